"""The energies of `energy.py` against brute-force NumPy: every sum over states enumerated,
every integral over Gaussian units computed on a grid."""

import numpy as np
import pytest

from keras_dl.models.energy import energy

VISIBLE_TYPES = ["bernoulli", "gaussian"]


def visible_samples(visible, n, seed=0):
    """Every binary vector of `n` units (Bernoulli), or 16 standard normal ones."""
    if visible == "bernoulli":
        return np.array([[(i >> k) & 1 for k in range(n)] for i in range(2**n)], "float64")
    return np.random.default_rng(seed).normal(size=(16, n))


def test_energy_and_free_energy_match_numpy(tiny_rbm, brute_force):
    rbm = tiny_rbm()
    W, b, c = brute_force.parameters(rbm)
    V, H = brute_force.all_states(4), brute_force.all_states(3)
    pairs_v, pairs_h = np.repeat(V, len(H), axis=0), np.tile(H, (len(V), 1))
    np.testing.assert_allclose(
        rbm.energy(pairs_v, pairs_h), brute_force.energy(pairs_v, pairs_h, W, b, c), rtol=1e-5,
        atol=1e-5
    )
    # F(v) = -log sum_h exp(-E(v, h)) by brute force.
    np.testing.assert_allclose(rbm.free_energy(V), brute_force.free_energy(V, W, b, c),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("visible", VISIBLE_TYPES)
def test_pre_activations_energy_and_free_energy(visible, weights, brute_force):
    rbm_weights = weights(n_visible=4, n_hidden=3, visible=visible, seed=1)
    W, b, c = brute_force.parameters(rbm_weights)
    V, H = visible_samples(visible, 4), brute_force.all_states(3)
    np.testing.assert_allclose(energy.hidden_preactivation(rbm_weights, V.astype("float32")),
                               c + V @ W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(energy.visible_preactivation(rbm_weights, H.astype("float32")),
                               b + H @ W.T, rtol=1e-5, atol=1e-6)
    pairs_v, pairs_h = np.repeat(V, len(H), axis=0), np.tile(H, (len(V), 1))
    np.testing.assert_allclose(
        energy.energy(rbm_weights, pairs_v.astype("float32"), pairs_h.astype("float32")),
        brute_force.energy(pairs_v, pairs_h, W, b, c, visible), rtol=1e-5, atol=1e-5)
    free_energy = energy.free_energy(rbm_weights, V.astype("float32"))
    np.testing.assert_allclose(free_energy, brute_force.free_energy(V, W, b, c, visible),
                               rtol=1e-5, atol=1e-5)
    # Given the hidden pre-activations, the free energy does not compute them again.
    preactivation = energy.hidden_preactivation(rbm_weights, V.astype("float32"))
    np.testing.assert_array_equal(
        energy.free_energy(rbm_weights, V.astype("float32"), preactivation), free_energy)


def test_bernoulli_hidden_marginal_sums_over_every_visible_state(weights, brute_force):
    rbm_weights = weights(n_visible=4, n_hidden=3, seed=2)
    W, b, c = brute_force.parameters(rbm_weights)
    _, energies = brute_force.log_z(W, b, c)  # (visible states, hidden states)
    expected = np.logaddexp.reduce(-energies, axis=0)
    H = brute_force.all_states(3).astype("float32")
    np.testing.assert_allclose(energy.log_unnormalised_hidden_marginal(rbm_weights, H), expected,
                               rtol=1e-5, atol=1e-5)


def test_gaussian_hidden_marginal_integrates_over_v(weights, brute_force):
    rbm_weights = weights(n_visible=1, n_hidden=2, visible="gaussian", seed=3)
    W, b, c = brute_force.parameters(rbm_weights)
    grid = np.linspace(-15, 15, 30001)[:, None]
    H = brute_force.all_states(2)
    expected = [
        np.log(np.trapezoid(np.exp(-brute_force.energy(grid, np.tile(h, (len(grid), 1)), W, b, c,
                                                       "gaussian")), grid[:, 0]))
        for h in H
    ]
    np.testing.assert_allclose(
        energy.log_unnormalised_hidden_marginal(rbm_weights, H.astype("float32")), expected,
        rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("beta", [0.0, 0.25, 0.9, 1.0])
def test_tempered_marginal_sums_the_tempered_model_over_h(beta, weights, brute_force):
    # p*_beta(v) = sum_h exp(-(1 - beta) term(v; b_A) - beta E(v, h)).
    rbm_weights = weights(n_visible=4, n_hidden=3, seed=4)
    W, b, c = brute_force.parameters(rbm_weights)
    base_bias = np.random.default_rng(5).normal(size=4)
    V, H = brute_force.all_states(4), brute_force.all_states(3)
    expected = [
        np.logaddexp.reduce([(1 - beta) * (v @ base_bias) - beta * brute_force.energy(v, h, W, b, c)
                             for h in H])
        for v in V
    ]
    log_marginal = energy.log_tempered_marginal(
        rbm_weights, base_bias.astype("float32"), V.astype("float32"), np.float32(beta))
    np.testing.assert_allclose(log_marginal, expected, rtol=1e-5, atol=1e-5)
    if beta == 1.0:  # the RBM itself
        np.testing.assert_allclose(log_marginal, -brute_force.free_energy(V, W, b, c), rtol=1e-5,
                                   atol=1e-5)


def test_exact_pseudo_log_likelihood_matches_brute_force(tiny_rbm, brute_force):
    rbm = tiny_rbm(n_visible=5, n_hidden=3, seed=3)
    W, b, c = brute_force.parameters(rbm)
    V = brute_force.all_states(5)
    log_unnormalised = {tuple(v): -(-(v @ b) - np.sum(np.logaddexp(0, c + v @ W))) for v in V}
    expected = []
    for v in V:
        total = 0.0
        for i in range(5):
            flipped = v.copy()
            flipped[i] = 1 - flipped[i]
            own, other = log_unnormalised[tuple(v)], log_unnormalised[tuple(flipped)]
            total += own - np.logaddexp(own, other)
        expected.append(total)
    assert rbm.pseudo_log_likelihood(V) == pytest.approx(np.mean(expected), abs=1e-4)
    # Per sample, as `energy.log_pseudo_likelihood` gives them.
    np.testing.assert_allclose(
        energy.log_pseudo_likelihood(rbm.energy_weights(), V.astype("float32")), expected,
        rtol=1e-5, atol=1e-5)
