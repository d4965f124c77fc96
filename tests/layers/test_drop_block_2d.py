import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing
from scipy import ndimage

from keras_dl.layers import DropBlock2D


class DropBlock2DTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            DropBlock2D,
            init_kwargs={"rate": 0.2, "block_size": 3, "seed": 1},
            input_shape=(2, 8, 8, 3),
            expected_output_shape=(2, 8, 8, 3),
            expected_num_trainable_weights=0,
            expected_num_seed_generators=1,
        )

    def test_identity_at_inference(self):
        x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
        np.testing.assert_array_equal(np.asarray(DropBlock2D(0.5, 3)(x, training=False)), x)

    def test_drops_contiguous_blocks_at_the_requested_rate(self):
        rate, block_size = 0.15, 5
        x = np.ones((32, 32, 32, 4), "float32")
        output = np.asarray(DropBlock2D(rate, block_size, seed=3)(x, training=True))
        dropped = output == 0
        # About `rate` is dropped; overlapping blocks make it a little less.
        self.assertBetween(dropped.mean(), rate - 0.03, rate + 0.01)
        # The dropped set is a union of whole block_size x block_size squares:
        # a morphological opening with that square leaves it unchanged.
        square = np.ones((1, block_size, block_size, 1), bool)
        np.testing.assert_array_equal(ndimage.binary_opening(dropped, structure=square), dropped)
        # Kept activations are rescaled so that the total is preserved.
        self.assertAllClose(output.sum(), x.sum(), rtol=1e-4)
        np.testing.assert_allclose(output[~dropped], 1.0 / (1.0 - dropped.mean()), rtol=1e-4)

    def test_blocks_follow_the_shape_of_each_call(self):
        layer = DropBlock2D(0.2, 3, seed=0)
        layer.build((None, 8, 8, 4))
        x = np.ones((16, 16, 16, 4), "float32")
        dropped = np.asarray(layer(x, training=True)) == 0
        self.assertBetween(dropped.mean(), 0.15, 0.21)
        # Blocks reach the whole 16x16 map, not only the 8x8 the layer was built on.
        self.assertBetween(dropped[:, 8:, 8:].mean(), 0.15, 0.21)

    def test_unknown_spatial_size_in_a_model(self):
        inputs = keras.Input((None, None, 2))
        model = keras.Model(inputs, DropBlock2D(0.2, 3, seed=0)(inputs, training=True))
        for size in (6, 12):
            dropped = np.asarray(model(np.ones((8, size, size, 2), "float32"))) == 0
            self.assertBetween(dropped.mean(), 0.1, 0.25)

    def test_graph_mode_with_dynamic_spatial_size(self):
        layer = DropBlock2D(0.2, 3, seed=0)
        function = tf.function(
            lambda x: layer(x, training=True),
            input_signature=[tf.TensorSpec((None, None, None, 2), tf.float32)],
        )
        dropped = np.asarray(function(np.ones((8, 12, 10, 2), "float32"))) == 0
        self.assertBetween(dropped.mean(), 0.1, 0.25)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "drop_block_rate": (lambda t: DropBlock2D(1.5, 3), ValueError, "`rate`"),
    "drop_block_block_size": (lambda t: DropBlock2D(0.1, 2.0), TypeError, "`block_size`"),
    "drop_block_3d_input": (
        lambda t: DropBlock2D(0.1, 3)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "(batch, height, width, channels)",
    ),
    "drop_block_block_larger_than_map": (
        lambda t: DropBlock2D(0.1, 9)(np.ones((2, 8, 8, 3), "float32"), training=True),
        ValueError,
        "`block_size`",
    ),
    "drop_block_rate_one": (lambda t: DropBlock2D(1.0, 3), ValueError, "`rate`"),
    "drop_block_negative_rate": (lambda t: DropBlock2D(-0.2, 3), ValueError, "`rate`"),
    "drop_block_zero_block_size": (lambda t: DropBlock2D(0.1, 0), ValueError, "`block_size`"),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
