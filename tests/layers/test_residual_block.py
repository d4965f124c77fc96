import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_dl.layers import ResidualBlock

IMAGES = np.ones((2, 8, 8, 3), "float32")


def zero_residual_kernels(block):
    for layer in block.residual_layers:
        if hasattr(layer, "kernel"):
            layer.kernel.assign(np.zeros(layer.kernel.shape, "float32"))


class ResidualBlockTest(testing.TestCase):
    def test_basic_block_conformance(self):
        self.run_layer_test(
            ResidualBlock,
            init_kwargs={"filters": 4},
            input_shape=(2, 6, 6, 4),
            expected_output_shape=(2, 6, 6, 4),
            expected_num_trainable_weights=8,  # 2 x (kernel, bias, gamma, beta)
            expected_num_non_trainable_weights=4,
        )

    def test_bottleneck_projection_conformance(self):
        self.run_layer_test(
            ResidualBlock,
            init_kwargs={"filters": 2, "bottleneck": True, "strides": 2},
            input_shape=(2, 6, 6, 3),
            expected_output_shape=(2, 3, 3, 8),
            expected_num_trainable_weights=16,  # 4 convs + 4 batch norms
            expected_num_non_trainable_weights=8,
        )

    def test_preactivation_conformance(self):
        self.run_layer_test(
            ResidualBlock,
            init_kwargs={"filters": 4, "preactivation": True},
            input_shape=(2, 6, 6, 4),
            expected_output_shape=(2, 6, 6, 4),
            expected_num_trainable_weights=6,  # 2 kernels, 2 batch norms
            expected_num_non_trainable_weights=4,
        )

    def test_zero_pad_conformance(self):
        self.run_layer_test(
            ResidualBlock,
            init_kwargs={"filters": 8, "strides": 2, "shortcut": "zero_pad"},
            input_shape=(2, 6, 6, 4),
            expected_output_shape=(2, 3, 3, 8),
            expected_num_trainable_weights=8,  # no shortcut weights
            expected_num_non_trainable_weights=4,
        )

    def test_bottleneck_expands_four_times(self):
        block = ResidualBlock(16, bottleneck=True)
        block.build((None, 8, 8, 64))
        kernels = [
            tuple(layer.kernel.shape) for layer in block.residual_layers if hasattr(layer, "kernel")
        ]
        self.assertEqual(kernels, [(1, 1, 64, 16), (3, 3, 16, 16), (1, 1, 16, 64)])
        self.assertEqual(block.shortcut_kind, "identity")

    def test_shortcut_choice(self):
        cases = [
            ({"filters": 8}, 8, "identity"),
            ({"filters": 8}, 4, "projection"),
            ({"filters": 8, "strides": 2}, 8, "projection"),
            ({"filters": 8, "shortcut": "projection"}, 8, "projection"),
            ({"filters": 8, "strides": 2, "shortcut": "zero_pad"}, 4, "zero_pad"),
            ({"filters": 8, "shortcut": "zero_pad"}, 8, "identity"),
        ]
        for kwargs, channels, expected in cases:
            block = ResidualBlock(**kwargs)
            block.build((None, 8, 8, channels))
            self.assertEqual(block.shortcut_kind, expected, msg=str(kwargs))

    def test_zeroed_residual_is_identity_with_unit_skip_gradient(self):
        # Non-negative inputs: the v1 block ends with a ReLU, which is the identity there.
        x = tf.constant(np.random.default_rng(0).uniform(0.1, 2.0, (2, 6, 6, 8)), tf.float32)
        for kwargs in [
            {},
            {"bottleneck": True},
            {"preactivation": True},
            {"bottleneck": True, "preactivation": True},
        ]:
            block = ResidualBlock(8 if not kwargs.get("bottleneck") else 2, **kwargs)
            block.build(x.shape)
            zero_residual_kernels(block)
            with tf.GradientTape() as tape:
                tape.watch(x)
                output = block(x, training=False)
                total = tf.reduce_sum(output)
            self.assertAllClose(output, x, msg=str(kwargs))
            self.assertAllClose(tape.gradient(total, x), tf.ones_like(x))

    def test_preactivation_identity_holds_for_negative_inputs(self):
        x = tf.constant(np.random.default_rng(1).normal(size=(2, 5, 5, 4)), tf.float32)
        block = ResidualBlock(4, preactivation=True)
        block.build(x.shape)
        zero_residual_kernels(block)
        self.assertAllClose(block(x), x)

    def test_zero_pad_shortcut_subsamples_and_pads_channels(self):
        x = np.random.default_rng(2).uniform(0.1, 1.0, (2, 6, 6, 4)).astype("float32")
        block = ResidualBlock(8, strides=2, shortcut="zero_pad")
        block.build(x.shape)
        zero_residual_kernels(block)
        output = np.asarray(block(x))
        self.assertAllClose(output[..., :4], x[:, ::2, ::2, :])
        self.assertAllClose(output[..., 4:], np.zeros((2, 3, 3, 4)))

    def test_projection_shortcut_has_conv_and_batchnorm(self):
        block = ResidualBlock(8, strides=2)
        block.build((None, 8, 8, 4))
        self.assertEqual(
            [type(layer).__name__ for layer in block.projection_layers],
            ["Conv2D", "BatchNormalization"],
        )
        self.assertEqual(tuple(block.projection_layers[0].kernel.shape), (1, 1, 4, 8))


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "residual_filters": (lambda t: ResidualBlock(0), ValueError, "`filters`"),
    "residual_shortcut": (
        lambda t: ResidualBlock(4, shortcut="identity"),
        ValueError,
        "`shortcut`",
    ),
    "residual_strides": (lambda t: ResidualBlock(4, strides=(1, 2, 3)), TypeError, "`strides`"),
    "residual_zero_pad_fewer_channels": (
        lambda t: ResidualBlock(2, shortcut="zero_pad")(IMAGES),
        ValueError,
        "zero_pad",
    ),
    "residual_momentum": (
        lambda t: ResidualBlock(4, batch_norm_momentum=-0.1),
        ValueError,
        "`batch_norm_momentum`",
    ),
    "residual_int_input": (
        lambda t: ResidualBlock(3)(np.ones((2, 8, 8, 3), "int64")),
        TypeError,
        "received dtype int64",
    ),
    "residual_3d_input": (
        lambda t: ResidualBlock(4)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
    "residual_negative_filters": (lambda t: ResidualBlock(-8), ValueError, "`filters`"),
    "residual_zero_strides": (lambda t: ResidualBlock(8, strides=0), ValueError, "`strides`"),
    "residual_bottleneck": (
        lambda t: ResidualBlock(8, bottleneck="yes"),
        TypeError,
        "`bottleneck`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
