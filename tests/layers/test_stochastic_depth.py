import numpy as np
import pytest
from keras.src import testing

from keras_dl.layers import StochasticDepth

IMAGES = np.ones((2, 8, 8, 3), "float32")


class StochasticDepthTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            StochasticDepth,
            init_kwargs={"rate": 0.3, "seed": 1},
            input_shape=((2, 4, 4, 3), (2, 4, 4, 3)),
            expected_output_shape=(2, 4, 4, 3),
            expected_num_trainable_weights=0,
            expected_num_seed_generators=1,
        )

    def test_whole_branch_dropped_per_sample_and_expected_value_kept(self):
        rate = 0.3
        layer = StochasticDepth(rate, seed=7)
        shortcut = np.zeros((20000, 3, 2), "float32")
        residual = np.ones((20000, 3, 2), "float32")
        output = np.asarray(layer([shortcut, residual], training=True))
        per_sample = output.reshape(20000, -1)
        # Each sample keeps or drops its whole branch.
        np.testing.assert_array_equal(per_sample.min(axis=1), per_sample.max(axis=1))
        self.assertTrue(set(np.unique(per_sample)) <= {0.0, 1.0})
        # Binomial standard error of the kept fraction: sqrt(0.21 / 20000) ~ 0.0032.
        self.assertAllClose(per_sample[:, 0].mean(), 1 - rate, atol=0.015)
        inference = np.asarray(layer([shortcut, residual], training=False))
        self.assertAllClose(inference, np.full_like(residual, 1 - rate))

    def test_inference_adds_the_scaled_branch(self):
        rng = np.random.default_rng(0)
        shortcut, residual = (
            rng.normal(size=(2, 4, 3)).astype("float32"),
            rng.normal(size=(2, 4, 3)).astype("float32"),
        )
        output = StochasticDepth(0.25)([shortcut, residual])
        self.assertAllClose(output, shortcut + 0.75 * residual)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "stochastic_depth_rate": (lambda t: StochasticDepth(1.0), ValueError, "`rate`"),
    "stochastic_depth_single_input": (
        lambda t: StochasticDepth(0.1)(IMAGES),
        ValueError,
        "[shortcut, residual]",
    ),
    "stochastic_depth_shape_mismatch": (
        lambda t: StochasticDepth(0.1)([IMAGES, IMAGES[:, :4]]),
        ValueError,
        "same shape",
    ),
    "stochastic_depth_negative_rate": (lambda t: StochasticDepth(-0.1), ValueError, "`rate`"),
    "stochastic_depth_rate_string": (lambda t: StochasticDepth("0.5"), TypeError, "`rate`"),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
