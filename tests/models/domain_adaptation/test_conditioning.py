"""CDAN's multilinear maps and CDAN+E's entropy weights against NumPy."""

import keras
import numpy as np

from keras_dl.models.domain_adaptation.conditioning import (
    entropy_weights,
    multilinear_map,
    randomized_multilinear_map,
)


def test_multilinear_and_randomized_maps_match_numpy():
    rng = np.random.default_rng(0)
    f, g = rng.normal(size=(4, 3)).astype("float32"), rng.dirichlet(np.ones(5), 4).astype("float32")
    expected = np.stack([np.outer(gi, fi).ravel() for fi, gi in zip(f, g)])
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(multilinear_map(f, g)), expected, rtol=1e-6
    )
    r_f, r_g = rng.normal(size=(3, 7)).astype("float32"), rng.normal(size=(5, 7)).astype("float32")
    expected = (f @ r_f) * (g @ r_g) / np.sqrt(7)
    actual = keras.ops.convert_to_numpy(randomized_multilinear_map(f, g, r_f, r_g))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)


def test_entropy_weights_match_numpy():
    rng = np.random.default_rng(1)
    probabilities = rng.dirichlet(np.ones(4), 6)
    entropy = -np.sum(probabilities * np.log(probabilities + 1e-5), axis=1)
    domains = np.array([0, 0, 0, 1, 1, 1], "float32")
    raw = 1 + np.exp(-entropy)
    expected = np.where(domains == 0, raw / raw[:3].sum(), raw / raw[3:].sum()) / 2
    actual = keras.ops.convert_to_numpy(entropy_weights(entropy.astype("float32"), domains))
    np.testing.assert_allclose(actual, expected, rtol=1e-5)
