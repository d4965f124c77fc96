import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_dl.layers import MaxPoolingWithArgmax2D


class MaxPoolingWithArgmax2DTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            MaxPoolingWithArgmax2D,
            init_kwargs={"pool_size": 2},
            input_shape=(2, 6, 6, 3),
            expected_output_shape=((2, 3, 3, 3), (2, 3, 3, 3)),
            expected_output_dtype=("float32", "int32"),
            expected_num_trainable_weights=0,
        )

    def test_mixed_precision(self):
        layer = MaxPoolingWithArgmax2D(dtype="mixed_float16")
        pooled, argmax = layer(np.random.default_rng(0).normal(size=(1, 4, 4, 2)).astype("float32"))
        self.assertEqual(pooled.dtype, "float16")
        self.assertEqual(argmax.dtype, "int32")

    def test_matches_tensorflow_max_pool_with_argmax(self):
        x = np.random.default_rng(0).normal(size=(3, 9, 8, 4)).astype("float32")
        for pool, stride, padding in [(2, 2, "valid"), (3, 2, "valid"), (3, 2, "same"),
                                      (2, 1, "same"), ((2, 3), (1, 2), "same")]:
            pooled, argmax = MaxPoolingWithArgmax2D(pool, stride, padding)(x)
            expected_pooled, expected_argmax = tf.nn.max_pool_with_argmax(
                x, pool, stride, padding.upper(), include_batch_in_index=False
            )
            self.assertAllClose(pooled, expected_pooled)
            np.testing.assert_array_equal(np.asarray(argmax), expected_argmax.numpy())

    def test_argmax_points_at_the_pooled_value(self):
        x = -np.random.default_rng(1).uniform(size=(2, 7, 7, 3)).astype("float32")
        pooled, argmax = MaxPoolingWithArgmax2D(3, 2, "same")(x)
        flat = x.reshape(2, -1)
        gathered = np.take_along_axis(flat, np.asarray(argmax).reshape(2, -1), axis=1)
        np.testing.assert_array_equal(gathered, np.asarray(pooled).reshape(2, -1))

    def test_compiles_with_xla(self):
        x = tf.constant(np.random.default_rng(2).normal(size=(2, 6, 6, 2)), tf.float32)
        layer = MaxPoolingWithArgmax2D(2)
        eager = layer(x)
        compiled = tf.function(layer, jit_compile=True)(x)
        for a, b in zip(eager, compiled):
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "argmax_pooling_padding": (
        lambda t: MaxPoolingWithArgmax2D(padding="full"),
        ValueError,
        "`padding`",
    ),
    "argmax_pooling_3d_input": (
        lambda t: MaxPoolingWithArgmax2D()(np.ones((2, 8, 8), "float32")),
        ValueError,
        "(batch, height, width, channels)",
    ),
    "argmax_pooling_window_too_large": (
        lambda t: MaxPoolingWithArgmax2D(5)(np.ones((1, 4, 4, 1), "float32")),
        ValueError,
        "`pool_size`",
    ),
    "argmax_pooling_zero_pool_size": (
        lambda t: MaxPoolingWithArgmax2D(pool_size=0),
        ValueError,
        "`pool_size`",
    ),
    "argmax_pooling_negative_strides": (
        lambda t: MaxPoolingWithArgmax2D(strides=-1),
        ValueError,
        "`strides`",
    ),
    "argmax_pooling_pool_size_string": (
        lambda t: MaxPoolingWithArgmax2D(pool_size="2"),
        TypeError,
        "`pool_size`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
