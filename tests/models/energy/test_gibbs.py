"""Gibbs sampling: the random draws and Bernoulli states against their distributions, the
chains' starting states, and block Gibbs sampling against an RBM's exact distribution."""

import keras
import numpy as np
import pytest
from scipy import stats

from keras_dl.models.energy import gibbs as rbm_gibbs


def draws(seed, count, shape=(200, 50)):
    draw = rbm_gibbs.SeededDraw(keras.random.SeedGenerator(seed))
    return [np.asarray(draw.uniform(shape)) for _ in range(count)]


def test_seeded_draws_are_uniform_distinct_and_reproducible():
    first, second = draws(seed=3, count=2)
    for sample in (first, second):
        assert sample.min() >= 0.0 and sample.max() < 1.0
        # Kolmogorov-Smirnov against U[0, 1) on 10,000 numbers.
        assert stats.kstest(sample.ravel(), "uniform").pvalue > 1e-3
    # Two draws of one generator share no block of numbers, nor are they correlated.
    assert not np.any(first == second)
    assert abs(np.corrcoef(first.ravel(), second.ravel())[0, 1]) < 0.05
    np.testing.assert_array_equal(draws(seed=3, count=2)[1], second)
    assert not np.array_equal(draws(seed=4, count=1)[0], first)


def test_seeded_normal_draws_are_standard_normal():
    draw = rbm_gibbs.SeededDraw(keras.random.SeedGenerator(0))
    sample = np.asarray(draw.normal((100, 100))).ravel()
    assert stats.kstest(sample, "norm").pvalue > 1e-3


@pytest.mark.parametrize("probability", [0.0, 1e-3, 0.3, 0.5, 0.9, 1.0])
def test_bernoulli_states_have_the_given_probability(probability):
    draw = rbm_gibbs.SeededDraw(keras.random.SeedGenerator(1))
    count = 200_000
    states = np.asarray(
        rbm_gibbs.sample_bernoulli(np.full((count // 100, 100), probability, "float32"), draw)
    )
    assert set(np.unique(states)) <= {0.0, 1.0}
    ones = int(states.sum())
    if probability in (0.0, 1.0):
        assert ones == probability * count
    else:
        # Two-sided binomial test of the number of ones.
        assert stats.binomtest(ones, count, probability).pvalue > 1e-3


def test_stateless_draws_are_reproducible_and_advance_per_draw():
    first, second = rbm_gibbs.StatelessDraw(3, 0), rbm_gibbs.StatelessDraw(3, 0)
    a, b = first.uniform((4, 5)), first.uniform((4, 5))
    np.testing.assert_array_equal(a, second.uniform((4, 5)))
    assert not np.array_equal(a, b)
    # Step `k` uses streams 2k and 2k + 1: the next step's draws differ.
    assert not np.array_equal(a, rbm_gibbs.StatelessDraw(3, 1).uniform((4, 5)))


def test_chains_start_from_the_biases_model(weights):
    bernoulli = weights(n_visible=3, n_hidden=2, seed=1)
    base_bias = np.array([-2.0, 0.0, 2.0], "float32")
    states = np.asarray(rbm_gibbs.initial_visible_states(bernoulli, 20000, 0, base_bias))
    assert set(np.unique(states)) == {0.0, 1.0}
    np.testing.assert_allclose(states.mean(axis=0), 1 / (1 + np.exp(-base_bias)), atol=0.02)
    gaussian = weights(n_visible=3, n_hidden=2, visible="gaussian", seed=1)
    states = np.asarray(rbm_gibbs.initial_visible_states(gaussian, 20000, 0))
    np.testing.assert_allclose(states.mean(axis=0), gaussian.visible_bias, atol=0.05)
    np.testing.assert_allclose(states.std(axis=0), 1.0, atol=0.05)


def test_gibbs_chains_sample_the_rbm_s_distribution(weights, brute_force):
    # Chi-square test of 4,000 chains after 50 steps against P(v) = exp(-F(v)) / Z.
    rbm_weights = weights(n_visible=3, n_hidden=2, seed=2)
    W, b, c = brute_force.parameters(rbm_weights)
    V = brute_force.all_states(3)
    log_p = -brute_force.free_energy(V, W, b, c)
    expected = np.exp(log_p - np.logaddexp.reduce(log_p))
    draw = rbm_gibbs.SeededDraw(keras.random.SeedGenerator(4))
    start = np.zeros((4000, 3), "float32")
    states = np.asarray(rbm_gibbs.gibbs_steps(rbm_weights, start, 50, draw))
    counts = np.bincount((states @ [4, 2, 1]).astype(int), minlength=8)
    assert stats.chisquare(counts, 4000 * expected).pvalue > 1e-3


def test_gibbs_step_returns_the_mean_its_states_were_drawn_around(weights):
    rbm_weights = weights(n_visible=4, n_hidden=3, visible="gaussian", seed=3)
    v = np.zeros((2000, 4), "float32")
    draw = rbm_gibbs.SeededDraw(keras.random.SeedGenerator(5))
    states, mean = rbm_gibbs.gibbs_step(rbm_weights, v, draw)
    residual = np.asarray(states) - np.asarray(mean)
    assert stats.kstest(residual.ravel(), "norm").pvalue > 1e-3
    assert rbm_gibbs.gibbs_steps(rbm_weights, v, 0, draw) is v
