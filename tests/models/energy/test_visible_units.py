"""Bernoulli and Gaussian visible units against NumPy: their energy term, mean, sampling,
log-integral over v, the data they accept and the methods they support."""

import keras
import numpy as np
import pytest
from scipy import stats

from keras_dl.models.energy import gibbs, visible_units
from keras_dl.models.energy.visible_units import BernoulliVisible, GaussianVisible
from keras_dl.testing import assert_clear_error

RNG = np.random.default_rng(0)
V = RNG.uniform(size=(5, 3)).astype("float32")
BIAS = RNG.normal(size=3).astype("float32")
PREACTIVATION = RNG.normal(0, 2, size=(5, 3)).astype("float32")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_get_gives_the_units_by_name_or_as_they_are():
    assert isinstance(visible_units.get("bernoulli"), BernoulliVisible)
    assert isinstance(visible_units.get("gaussian"), GaussianVisible)
    units = GaussianVisible()
    assert visible_units.get(units) is units
    # One object per name, so that compiled functions taking them trace once.
    assert visible_units.get("gaussian") is visible_units.get("gaussian")
    assert [units.name for units in visible_units.VISIBLE_UNITS.values()] == [
        "bernoulli", "gaussian"]


@pytest.mark.parametrize("units, expected", [
    (BernoulliVisible(), -V @ BIAS),
    (GaussianVisible(), 0.5 * np.sum((V - BIAS) ** 2, axis=-1)),
])
def test_energy_term(units, expected):
    np.testing.assert_allclose(units.energy_term(V, BIAS), expected, rtol=1e-5, atol=1e-6)


def test_means_and_their_keras_activations():
    bernoulli, gaussian = BernoulliVisible(), GaussianVisible()
    np.testing.assert_allclose(bernoulli.mean(PREACTIVATION), sigmoid(PREACTIVATION), rtol=1e-5)
    np.testing.assert_array_equal(gaussian.mean(PREACTIVATION), PREACTIVATION)
    for units in (bernoulli, gaussian):
        activation = keras.activations.get(units.activation)
        np.testing.assert_allclose(activation(PREACTIVATION), units.mean(PREACTIVATION),
                                   rtol=1e-6)


@pytest.mark.parametrize("beta", [0.0, 0.3, 1.0])
def test_tempered_bernoulli_mean_moves_from_the_base_rates_to_the_rbm(beta):
    base_bias = RNG.normal(size=3).astype("float32")
    expected = sigmoid(beta * PREACTIVATION + (1 - beta) * base_bias)
    np.testing.assert_allclose(BernoulliVisible().mean(PREACTIVATION, beta, base_bias), expected,
                               rtol=1e-5)


def test_gaussian_samples_have_unit_variance_around_the_mean():
    draw = gibbs.SeededDraw(keras.random.SeedGenerator(0))
    mean = np.tile(np.linspace(-3, 3, 100, dtype="float32"), (100, 1))
    residual = np.asarray(GaussianVisible().sample(mean, draw)) - mean
    assert stats.kstest(residual.ravel(), "norm").pvalue > 1e-3


def test_bernoulli_samples_are_binary_with_the_mean_as_probability():
    draw = gibbs.SeededDraw(keras.random.SeedGenerator(0))
    states = np.asarray(BernoulliVisible().sample(np.full((400, 100), 0.3, "float32"), draw))
    assert set(np.unique(states)) == {0.0, 1.0}
    assert stats.binomtest(int(states.sum()), states.size, 0.3).pvalue > 1e-3


def test_bernoulli_log_integral_sums_over_every_binary_state():
    top_down = RNG.normal(size=(4, 3))
    states = np.array([[(i >> k) & 1 for k in range(3)] for i in range(8)], "float64")
    expected = [np.logaddexp.reduce(-(-states @ BIAS) + states @ row) for row in top_down]
    np.testing.assert_allclose(BernoulliVisible().log_integral(top_down.astype("float32"), BIAS),
                               expected, rtol=1e-5)


def test_gaussian_log_integral_matches_numerical_integration():
    # The integrand factorises over units: integrate each on a grid.
    top_down = RNG.normal(size=(4, 3))
    grid = np.linspace(-20, 20, 40001)
    expected = [
        sum(np.log(np.trapezoid(np.exp(-0.5 * (grid - b) ** 2 + grid * t), grid))
            for b, t in zip(BIAS.astype("float64"), row))
        for row in top_down
    ]
    np.testing.assert_allclose(GaussianVisible().log_integral(top_down.astype("float32"), BIAS),
                               expected, rtol=1e-5)


def test_data_checks():
    BernoulliVisible().check_data(np.array([[0.0, 0.5, 1.0]]))
    GaussianVisible().check_data(np.array([[-3.0, 255.0]]))
    with pytest.raises(ValueError) as raised:
        BernoulliVisible().check_data(np.array([[0, 255]], "uint8"))
    assert str(raised.value) == (
        "RBM: Bernoulli visible units take values in [0, 1], but `x` holds values in [0, 255]; "
        "scale the data (e.g. uint8 pixels / 255) or use visible='gaussian' for standardised "
        "real values"
    )


def test_only_binary_units_support_the_binary_methods():
    assert BernoulliVisible().binary and not GaussianVisible().binary
    BernoulliVisible().require_binary("log_partition")
    with pytest.raises(ValueError) as raised:
        GaussianVisible().require_binary("log_partition")
    assert str(raised.value) == (
        "RBM.log_partition() needs Bernoulli visible units, this RBM has visible='gaussian'"
    )


BAD_INPUTS = {
    "get unknown name": (lambda: visible_units.get("poisson"), ValueError,
                         "`visible` must be one of ['bernoulli', 'gaussian'], received: 'poisson'"),
    "get a list": (lambda: visible_units.get(["gaussian"]), ValueError, "visible"),
    "gaussian pseudo-likelihood": (
        lambda: GaussianVisible().require_binary("pseudo_log_likelihood"), ValueError,
        "RBM.pseudo_log_likelihood() needs Bernoulli visible units"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
