"""SparseAutoencoder: the penalty is the KL divergence of Ng's notes."""

import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


def test_sparsity_penalty_is_the_kl_divergence():
    model = models.SparseAutoencoder(
        dense(5, 6, "sigmoid"), dense(6, 5), sparsity_target=0.1, sparsity_weight=0.5
    )
    x = np.random.default_rng(0).normal(size=(10, 5)).astype("float32")
    rho_hat = np.asarray(model.encode(x)).mean(axis=0).astype("float64")
    rho = 0.1
    expected = 0.5 * np.sum(
        rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
    )
    assert float(
        model.code_penalties(model.encode(x), x, training=False)["sparsity_loss"]
    ) == pytest.approx(expected, rel=1e-4)
    with pytest.raises(ValueError, match="sparsity_target"):
        models.SparseAutoencoder(dense(5, 6), dense(6, 5), sparsity_target=0.0)


FEATURES = 8


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


BAD_INPUTS = {
    "sparse target": (
        lambda: autoencoder(models.SparseAutoencoder, sparsity_target=0.0),
        ValueError,
        "sparsity_target",
    ),
    "sparse weight": (
        lambda: autoencoder(models.SparseAutoencoder, sparsity_weight=-1.0),
        ValueError,
        "sparsity_weight",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


test_platform = platform_test("SparseAutoencoder")
