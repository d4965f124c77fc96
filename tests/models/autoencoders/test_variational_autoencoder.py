"""VariationalAutoencoder: its terms against NumPy, deterministic inference, generation."""

import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import compiled
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


def test_vae_terms_inference_and_generation():
    encoder = dense(6, 4)
    vae = models.VariationalAutoencoder(
        encoder, dense(2, 6, "sigmoid"), latent_dim=2, beta=0.5, seed=0
    )
    x = (np.random.default_rng(2).uniform(size=(9, 6)) > 0.5).astype("float32")
    statistics = np.asarray(encoder(x), "float64")
    mean, log_variance = statistics[:, :2], statistics[:, 2:]
    expected_kl = np.mean(-0.5 * np.sum(1 + log_variance - mean**2 - np.exp(log_variance), axis=1))
    probabilities = np.asarray(vae.decode(mean.astype("float32")), "float64")
    expected_reconstruction = np.mean(
        -np.sum(x * np.log(probabilities) + (1 - x) * np.log(1 - probabilities), axis=1)
    )
    loss, logs, _ = vae.compute_objective(x, training=False)
    assert float(logs["kl_loss"]) == pytest.approx(expected_kl, rel=1e-4)
    assert float(logs["reconstruction_loss"]) == pytest.approx(expected_reconstruction, rel=1e-4)
    assert float(loss) == pytest.approx(expected_reconstruction + 0.5 * expected_kl, rel=1e-4)
    np.testing.assert_array_equal(
        np.asarray(vae(x)), np.asarray(vae(x))
    )  # inference decodes the mean
    assert not np.allclose(vae(x, training=True), vae(x, training=True))
    np.testing.assert_array_equal(
        np.asarray(vae.generate(4, seed=7)), np.asarray(vae.generate(4, seed=7))
    )
    with pytest.raises(ValueError, match="2 \\* latent_dim"):
        models.VariationalAutoencoder(dense(6, 3), dense(2, 6), latent_dim=2)


FEATURES = 8


def vae():
    return models.VariationalAutoencoder(
        dense(FEATURES, 4), dense(2, FEATURES, "sigmoid"), latent_dim=2
    )


BAD_INPUTS = {
    "vae encoder width": (
        lambda: models.VariationalAutoencoder(dense(FEATURES, 3), dense(2, FEATURES), latent_dim=2),
        ValueError,
        "2 * latent_dim",
    ),
    "vae latent_dim": (
        lambda: models.VariationalAutoencoder(dense(FEATURES, 4), dense(2, 8), latent_dim=0),
        ValueError,
        "latent_dim",
    ),
    "vae beta": (
        lambda: models.VariationalAutoencoder(
            dense(FEATURES, 4), dense(2, 8), latent_dim=2, beta=-1.0
        ),
        ValueError,
        "beta",
    ),
    "vae likelihood": (
        lambda: models.VariationalAutoencoder(
            dense(FEATURES, 4), dense(2, 8), latent_dim=2, likelihood="poisson"
        ),
        ValueError,
        "likelihood",
    ),
    "vae uint8": (
        lambda: compiled(vae()).fit(np.full((4, FEATURES), 255, "uint8"), verbose=0),
        ValueError,
        "[0, 1]",
    ),
    "vae generate negative": (lambda: vae().generate(-1), ValueError, "num_samples"),
    "vae generate float": (lambda: vae().generate(2.5), TypeError, "num_samples"),
    "vae compiled loss": (lambda: vae().compile(optimizer="adam", loss="mse"), TypeError, "loss"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


test_platform = platform_test("VariationalAutoencoder")
