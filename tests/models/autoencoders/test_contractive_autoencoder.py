"""ContractiveAutoencoder: the penalty against the closed form of Rifai et al. 2011."""

import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


def test_contractive_penalty_matches_the_closed_form_for_a_sigmoid_layer():
    # Rifai et al. 2011, eq. 4: ||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2.
    encoder = dense(5, 3, "sigmoid")
    model = models.ContractiveAutoencoder(encoder, dense(3, 5), contractive_weight=2.0)
    x = np.random.default_rng(1).normal(size=(7, 5)).astype("float32")
    W = np.asarray(encoder.layers[-1].kernel, "float64")
    h = np.asarray(model.encode(x), "float64")
    closed_form = np.sum((h * (1 - h)) ** 2 * np.sum(W**2, axis=0), axis=1)
    np.testing.assert_allclose(model.jacobian_frobenius_norm_squared(x), closed_form, rtol=1e-4)
    penalty = float(model.code_penalties(model.encode(x), x, training=False)["contractive_loss"])
    assert penalty == pytest.approx(2.0 * closed_form.mean(), rel=1e-4)


FEATURES = 8


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


BAD_INPUTS = {
    "contractive weight": (
        lambda: autoencoder(models.ContractiveAutoencoder, contractive_weight=-1.0),
        ValueError,
        "contractive_weight",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


def test_contractive_penalty_is_computed_for_integer_inputs():
    model = autoencoder(models.ContractiveAutoencoder, contractive_weight=1.0)
    integers = np.random.default_rng(0).integers(0, 2, size=(8, FEATURES))
    _, logs, _ = model.compute_objective(integers, training=False)
    expected = model.compute_objective(integers.astype("float32"), training=False)[1]
    assert float(logs["contractive_loss"]) > 0
    assert float(logs["contractive_loss"]) == pytest.approx(float(expected["contractive_loss"]))


test_platform = platform_test("ContractiveAutoencoder")
