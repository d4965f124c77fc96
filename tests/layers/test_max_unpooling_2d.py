import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_dl.layers import MaxPoolingWithArgmax2D, MaxUnpooling2D


def unpool_reference(pooled, argmax, output_shape):
    """Scatter-add of every pooled value to its flat argmax position, per sample."""
    batch = pooled.shape[0]
    output = np.zeros((batch, int(np.prod(output_shape))), pooled.dtype)
    for n in range(batch):
        np.add.at(output[n], argmax[n].ravel(), pooled[n].ravel())
    return output.reshape((batch,) + tuple(output_shape))


class MaxUnpooling2DTest(testing.TestCase):
    def test_layer_conformance(self):
        x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
        pooled, argmax = MaxPoolingWithArgmax2D()(x)
        self.run_layer_test(
            MaxUnpooling2D,
            init_kwargs={"pool_size": 2},
            input_data=(np.asarray(pooled), np.asarray(argmax)),
            expected_output_shape=(2, 4, 4, 3),
            expected_num_trainable_weights=0,
        )

    def test_values_go_back_to_their_argmax(self):
        x = np.random.default_rng(1).uniform(0.1, 1.0, size=(2, 6, 6, 3)).astype("float32")
        pooled, argmax = MaxPoolingWithArgmax2D()(x)
        output = np.asarray(MaxUnpooling2D()([pooled, argmax]))
        expected = unpool_reference(np.asarray(pooled), np.asarray(argmax), (6, 6, 3))
        np.testing.assert_array_equal(output, expected)
        # Every 2x2 window keeps exactly one value, its maximum, and is zero elsewhere.
        windows = x.reshape(2, 3, 2, 3, 2, 3)
        kept = output.reshape(2, 3, 2, 3, 2, 3)
        np.testing.assert_array_equal((kept != 0).sum(axis=(2, 4)), np.ones((2, 3, 3, 3)))
        np.testing.assert_array_equal(kept.sum(axis=(2, 4)), windows.max(axis=(2, 4)))

    def test_odd_sizes_with_a_reference(self):
        x = np.random.default_rng(2).normal(size=(2, 7, 5, 2)).astype("float32")
        for pool, stride, padding in [(2, 2, "valid"), (2, 2, "same"), (3, 2, "same")]:
            pooled, argmax = MaxPoolingWithArgmax2D(pool, stride, padding)(x)
            output = MaxUnpooling2D(pool, stride)([pooled, argmax, x])
            self.assertEqual(tuple(output.shape), x.shape)
            expected = unpool_reference(np.asarray(pooled), np.asarray(argmax), x.shape[1:])
            self.assertAllClose(output, expected)

    def test_gradient_follows_the_argmax_routes(self):
        rng = np.random.default_rng(3)
        x = rng.normal(size=(2, 6, 6, 2)).astype("float32")
        pooled, argmax = MaxPoolingWithArgmax2D()(x)
        upstream = rng.normal(size=x.shape).astype("float32")
        pooled = tf.constant(pooled)
        with tf.GradientTape() as tape:
            tape.watch(pooled)
            loss = tf.reduce_sum(MaxUnpooling2D()([pooled, argmax]) * upstream)
        gradient = tape.gradient(loss, pooled).numpy()
        expected = np.take_along_axis(
            upstream.reshape(2, -1), np.asarray(argmax).reshape(2, -1), axis=1
        ).reshape(gradient.shape)
        np.testing.assert_allclose(gradient, expected, atol=1e-6)

    def test_compiles_with_xla_and_dynamic_batch(self):
        x = tf.constant(np.random.default_rng(4).normal(size=(3, 7, 7, 2)), tf.float32)
        pool, unpool = MaxPoolingWithArgmax2D(), MaxUnpooling2D()

        @tf.function(jit_compile=True, input_signature=[tf.TensorSpec((None, 7, 7, 2))])
        def round_trip(images):
            pooled, argmax = pool(images)
            return unpool([pooled, argmax, images])

        eager_pooled, eager_argmax = pool(x)
        self.assertAllClose(round_trip(x), unpool([eager_pooled, eager_argmax, x]))

    def test_out_of_range_argmax_is_refused_eagerly_and_in_graphs(self):
        pooled = np.ones((1, 2, 2, 1), "float32")
        argmax = np.array([0, 5, 16, 3], "int32").reshape(1, 2, 2, 1)  # 16 is past 4x4x1
        with self.assertRaisesRegex(
            ValueError, r"`argmax` .* \[0, 16\), received values from 0 to 16"
        ):
            MaxUnpooling2D()([pooled, argmax])
        graph = tf.function(lambda p, a: MaxUnpooling2D()([p, a]))
        with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "`argmax` must hold"):
            graph(pooled, argmax)
        with self.assertRaisesRegex(ValueError, "argmax"):
            MaxUnpooling2D()([pooled, -argmax])

    def test_out_of_range_argmax_gives_nan_under_xla(self):
        pooled = np.ones((2, 2, 2, 1), "float32")
        argmax = np.array([[0, 5, 16, 3], [0, 2, 8, 10]], "int32").reshape(2, 2, 2, 1)
        compiled = tf.function(lambda p, a: MaxUnpooling2D()([p, a]), jit_compile=True)
        output = compiled(pooled, argmax).numpy()
        self.assertTrue(np.isnan(output[0]).any())
        self.assertAllClose(output[1], unpool_reference(pooled[1:], argmax[1:], (4, 4, 1))[0])


POOLED = np.ones((1, 2, 2, 1), "float32")
ARGMAX = np.array([0, 2, 8, 10], "int32").reshape(1, 2, 2, 1)  # the maxima of a 4x4x1 input
# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "unpooling_pool_size": (lambda t: MaxUnpooling2D(pool_size=0), ValueError, "`pool_size`"),
    "unpooling_one_input": (lambda t: MaxUnpooling2D()([POOLED]), ValueError, "[pooled, argmax]"),
    "unpooling_float_argmax": (lambda t: MaxUnpooling2D()([POOLED, POOLED]), TypeError, "`argmax`"),
    "unpooling_argmax_out_of_range": (
        lambda t: MaxUnpooling2D()([POOLED, ARGMAX + 8]),
        ValueError,
        "`argmax` must hold flat positions in [0, height * width * channels)",
    ),
    "unpooling_shape_mismatch": (
        lambda t: MaxUnpooling2D()([POOLED, np.zeros((1, 2, 3, 1), "int32")]),
        ValueError,
        "same shape",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
