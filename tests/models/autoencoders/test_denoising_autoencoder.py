"""DenoisingAutoencoder: corruption statistics, training only."""

import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import compiled
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


@pytest.mark.parametrize(
    "noise, level", [("gaussian", 0.5), ("masking", 0.3), ("salt_and_pepper", 0.2)]
)
def test_denoising_corruption_statistics_and_training_only(noise, level):
    model = models.DenoisingAutoencoder(
        dense(8, 4), dense(4, 8), noise=noise, noise_level=level, seed=0
    )
    x = np.full((20000, 8), 0.5, "float32")
    corrupted = np.asarray(model.corrupt(x, training=True))
    if noise == "gaussian":
        assert np.std(corrupted - x) == pytest.approx(level, rel=0.02)
    elif noise == "masking":
        assert np.mean(corrupted == 0.0) == pytest.approx(level, abs=0.01)
    else:
        assert np.mean(corrupted == 0.0) == pytest.approx(level / 2, abs=0.01)
        assert np.mean(corrupted == 1.0) == pytest.approx(level / 2, abs=0.01)
    np.testing.assert_array_equal(np.asarray(model.corrupt(x, training=False)), x)
    np.testing.assert_allclose(
        model.reconstruct(x[:3]), model.decode(model.encode(x[:3])), atol=1e-6
    )


def test_denoising_bad_arguments_are_named():
    with pytest.raises(ValueError, match="noise"):
        models.DenoisingAutoencoder(dense(4, 2), dense(2, 4), noise="pink")
    with pytest.raises(ValueError, match="noise_level"):
        models.DenoisingAutoencoder(dense(4, 2), dense(2, 4), noise="masking", noise_level=1.0)


FEATURES = 8


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


BAD_INPUTS = {
    "denoising noise": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise="pink"),
        ValueError,
        "noise",
    ),
    "denoising masking level": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise="masking", noise_level=1.5),
        ValueError,
        "noise_level",
    ),
    "denoising gaussian level": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise_level=-1.0),
        ValueError,
        "noise_level",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


def test_denoising_gaussian_noise_accepts_integer_inputs():
    model = compiled(autoencoder(models.DenoisingAutoencoder, noise="gaussian"))
    history = model.fit(np.random.default_rng(0).integers(0, 2, size=(16, FEATURES)), verbose=0)
    assert np.isfinite(history.history["loss"]).all()


test_platform = platform_test("DenoisingAutoencoder")
