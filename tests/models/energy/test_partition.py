"""log Z: exact enumeration against brute force and numerical integration, and annealed
importance sampling against enumeration."""

import numpy as np
import pytest
from keras import ops

from keras_dl.models.energy import partition
from keras_dl.models.energy.energy import RBMWeights
from keras_dl.models.energy.visible_units import get as get_units
from keras_dl.testing import assert_clear_error


def zero_weights(n_visible, n_hidden, visible="bernoulli"):
    """Zero weights: the enumeration refuses them by their shape alone."""
    return RBMWeights(np.zeros((n_visible, n_hidden), "float32"), np.zeros(n_visible, "float32"),
                      np.zeros(n_hidden, "float32"), get_units(visible))


def test_exact_log_partition_and_normalised_distribution(tiny_rbm, brute_force):
    rbm = tiny_rbm()
    W, b, c = brute_force.parameters(rbm)
    expected, _ = brute_force.log_z(W, b, c)
    assert rbm.exact_log_partition() == pytest.approx(expected, abs=1e-4)
    # Enumerating the visible side (the larger one here) gives the same.
    wide = tiny_rbm(n_visible=3, n_hidden=5, seed=1)
    W2, b2, c2 = brute_force.parameters(wide)
    assert wide.exact_log_partition() == pytest.approx(brute_force.log_z(W2, b2, c2)[0], abs=1e-4)
    # P(v) = exp(-F(v)) / Z sums to one.
    probabilities = np.exp(
        -np.asarray(rbm.free_energy(brute_force.all_states(4)), "float64")
        - rbm.exact_log_partition()
    )
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert rbm.log_likelihood(brute_force.all_states(4)) == pytest.approx(
        np.mean(np.log(probabilities)), abs=1e-4
    )


def test_gaussian_visible_partition_matches_numerical_integration(tiny_rbm, brute_force):
    rbm = tiny_rbm(n_visible=1, n_hidden=2, visible="gaussian", seed=2)
    W, b, c = brute_force.parameters(rbm)
    grid = np.linspace(-15, 15, 60001)[:, None]
    H = brute_force.all_states(2)
    integrand = np.logaddexp.reduce(
        np.stack(
            [-brute_force.energy(grid, np.repeat(h[None], len(grid), 0), W, b, c, "gaussian")
             for h in H]
        ),
        axis=0,
    )
    expected = np.log(np.trapezoid(np.exp(integrand), grid[:, 0]))
    assert rbm.exact_log_partition() == pytest.approx(expected, abs=1e-4)
    expected_free_energy = -integrand[30000]  # v = 0
    assert float(rbm.free_energy(np.zeros((1, 1)))[0]) == pytest.approx(
        expected_free_energy, abs=1e-4
    )


@pytest.mark.parametrize("n_visible, n_hidden", [(4, 3), (3, 5), (5, 5)])
def test_either_enumerated_layer_gives_the_brute_force_log_z(n_visible, n_hidden, weights,
                                                               brute_force):
    rbm_weights = weights(n_visible, n_hidden, seed=n_visible + n_hidden)
    expected, _ = brute_force.log_z(*brute_force.parameters(rbm_weights))
    assert partition.exact_log_partition(rbm_weights) == pytest.approx(expected, abs=1e-4)


def test_log_sum_over_binary_states_in_blocks(monkeypatch):
    # Blocks of 4 of the 2**5 states give the one log-sum-exp of all of them.
    monkeypatch.setattr(partition, "ENUMERATION_BLOCK", 4)
    weights = np.random.default_rng(0).normal(size=5)

    def log_weight(states):
        return ops.sum(states * weights.astype("float32"), axis=-1)

    states = np.array([[(i >> k) & 1 for k in range(5)] for i in range(32)], "float64")
    assert partition.log_sum_over_binary_states(5, log_weight) == pytest.approx(
        np.logaddexp.reduce(states @ weights), abs=1e-5)


def test_inverse_temperatures_rise_from_zero_to_one_in_the_paper_s_proportions():
    betas = partition.ais_inverse_temperatures(14500)
    assert betas[0] == 0.0 and betas[-1] == 1.0 and np.all(np.diff(betas) > 0)
    assert len(betas) == 14501
    assert np.sum(betas < 0.5) == 500 and np.sum(betas < 0.9) == 4500
    assert len(partition.ais_inverse_temperatures(1)) >= 2


def test_base_rate_biases_are_the_smoothed_log_odds_of_the_data():
    mean, count = np.array([0.0, 0.25, 1.0]), 10
    smoothed = (mean * count + 0.05) / (count + 0.1)
    np.testing.assert_allclose(partition.base_rate_biases(mean, count),
                               np.log(smoothed / (1 - smoothed)), rtol=1e-6)
    np.testing.assert_array_equal(partition.base_rate_biases(np.zeros(3), 0), np.zeros(3))


def test_annealed_importance_sampling_agrees_with_enumeration(weights, brute_force):
    rbm_weights = weights(n_visible=8, n_hidden=5, seed=6)
    expected, _ = brute_force.log_z(*brute_force.parameters(rbm_weights))
    base_bias = partition.base_rate_biases(np.full(8, 0.4), 100)
    estimate, low, high = partition.annealed_importance_sampling(
        rbm_weights, base_bias, num_chains=100, num_betas=1000, seed=0)
    assert estimate == pytest.approx(expected, abs=0.1)
    assert low <= estimate <= high
    # Reproducible with its seed.
    assert partition.annealed_importance_sampling(
        rbm_weights, base_bias, num_chains=100, num_betas=1000, seed=0)[0] == estimate


BAD_INPUTS = {
    "too many hidden units": (lambda: partition.exact_log_partition(zero_weights(30, 25)),
                              ValueError, "needs n_hidden <= 20, this RBM has n_hidden=25"),
    "too many units": (lambda: partition.exact_log_partition(zero_weights(25, 30)), ValueError,
                       "needs n_hidden or n_visible <= 20, this RBM has n_visible=25"),
    "gaussian, too many hidden units": (
        lambda: partition.exact_log_partition(zero_weights(3, 25, "gaussian")), ValueError,
        "n_hidden <= 20"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
