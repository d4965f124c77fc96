
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_dl.layers import GradientReversal


def gradient_of(layer, x, upstream):
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(layer(x) * upstream)
    return tape.gradient(loss, x)


class GradientReversalTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            GradientReversal,
            init_kwargs={"lambda_": 0.5},
            input_shape=(2, 3, 4),
            expected_output_shape=(2, 3, 4),
            expected_num_trainable_weights=0,
            expected_num_non_trainable_weights=1,
        )

    def test_forward_is_exactly_the_identity(self):
        x = tf.constant(np.random.default_rng(0).normal(size=(64, 17)) * 1e3, tf.float32)
        output = GradientReversal(lambda_=0.37)(x)
        np.testing.assert_array_equal(np.asarray(output), np.asarray(x))

    def test_gradient_is_minus_lambda_times_upstream(self):
        rng = np.random.default_rng(1)
        x = tf.constant(rng.normal(size=(8, 5)), tf.float32)
        upstream = tf.constant(rng.normal(size=(8, 5)), tf.float32)
        for lambda_ in (0.0, 0.3, 1.0, 2.5):
            gradient = gradient_of(GradientReversal(lambda_=lambda_), x, upstream)
            self.assertAllClose(gradient, -lambda_ * upstream, atol=1e-6)

    def test_lambda_is_a_non_trainable_weight_assignable_between_steps(self):
        layer = GradientReversal(lambda_=1.0)
        x = tf.ones((3, 2))
        upstream = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        compiled_gradient = tf.function(lambda: gradient_of(layer, x, upstream), jit_compile=True)
        self.assertAllClose(compiled_gradient(), -upstream)
        self.assertEqual(layer.lambda_weight.name, "lambda")
        self.assertFalse(layer.lambda_weight.trainable)
        self.assertEqual(layer.trainable_weights, [])
        layer.lambda_weight.assign(0.25)
        self.assertAllClose(compiled_gradient(), -0.25 * upstream)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "gradient_reversal_negative": (
        lambda t: GradientReversal(lambda_=-1.0),
        ValueError,
        "`lambda_`",
    ),
    "gradient_reversal_string": (lambda t: GradientReversal(lambda_="1"), TypeError, "`lambda_`"),
    "gradient_reversal_nan": (
        lambda t: GradientReversal(lambda_=float("nan")),
        ValueError,
        "`lambda_`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
