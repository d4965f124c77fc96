"""The RBM's random draws and Bernoulli sampling against their distributions."""

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
