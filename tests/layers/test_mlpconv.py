import keras
import numpy as np
import pytest
from keras.src import testing

from keras_dl.layers import Mlpconv


class MlpconvTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            Mlpconv,
            init_kwargs={"filters": [8, 6, 4], "kernel_size": 3},
            input_shape=(2, 10, 10, 3),
            expected_output_shape=(2, 10, 10, 4),
            expected_num_trainable_weights=6,
            expected_num_non_trainable_weights=0,
        )

    def test_layer_conformance_with_batchnorm_and_strides(self):
        self.run_layer_test(
            Mlpconv,
            init_kwargs={
                "filters": [8, 4],
                "kernel_size": 5,
                "strides": 2,
                "padding": "valid",
                "use_batchnorm": True,
            },
            input_shape=(2, 11, 11, 3),
            expected_output_shape=(2, 4, 4, 4),
            expected_num_trainable_weights=6,  # 2 kernels, 2 gammas, 2 betas
            expected_num_non_trainable_weights=4,  # moving means and variances
        )

    def test_one_spatial_conv_then_1x1_convs(self):
        layer = Mlpconv(filters=[192, 160, 96], kernel_size=5)
        layer.build((None, 32, 32, 3))
        kernel_shapes = [tuple(w.shape) for w in layer.weights if w.name == "kernel"]
        self.assertEqual(kernel_shapes, [(5, 5, 3, 192), (1, 1, 192, 160), (1, 1, 160, 96)])

    def test_1x1_convs_are_a_per_pixel_mlp(self):
        layer = Mlpconv(filters=[5, 7, 2], kernel_size=1)
        x = np.random.default_rng(0).normal(size=(2, 4, 4, 3)).astype("float32")
        output = np.asarray(layer(x))
        hidden = x.reshape(-1, 3)
        for kernel, bias in zip(layer.weights[0::2], layer.weights[1::2]):
            matrix = np.asarray(kernel).reshape(kernel.shape[-2], kernel.shape[-1])
            hidden = np.maximum(hidden @ matrix + np.asarray(bias), 0.0)
        self.assertAllClose(output.reshape(-1, 2), hidden, atol=1e-5)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "mlpconv_empty_filters": (lambda t: Mlpconv([], 3), ValueError, "`filters`"),
    "mlpconv_kernel_size": (lambda t: Mlpconv([4], 0), ValueError, "`kernel_size`"),
    "mlpconv_padding": (lambda t: Mlpconv([4], 3, padding="full"), ValueError, "`padding`"),
    "mlpconv_momentum": (
        lambda t: Mlpconv([4], 3, use_batchnorm=True, batch_norm_momentum=1.0),
        ValueError,
        "`batch_norm_momentum` must be a float in [0, 1)",
    ),
    "mlpconv_epsilon": (
        lambda t: Mlpconv([4], 3, batch_norm_epsilon=0.0),
        ValueError,
        "`batch_norm_epsilon` must be a positive number",
    ),
    "mlpconv_3d_input": (
        lambda t: Mlpconv([4], 3)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
    "mlpconv_unknown_channels": (
        lambda t: Mlpconv([4], 3)(keras.Input((8, 8, None))),
        ValueError,
        "known channels",
    ),
    "mlpconv_int_input": (
        lambda t: Mlpconv([4], 3)(np.ones((2, 8, 8, 3), "int32")),
        TypeError,
        "Mlpconv expects floating-point inputs",
    ),
    "mlpconv_zero_filters": (lambda t: Mlpconv([8, 0], 3), ValueError, "`filters`"),
    "mlpconv_negative_filters": (lambda t: Mlpconv([-4], 3), ValueError, "`filters`"),
    "mlpconv_filters_not_a_list": (lambda t: Mlpconv(8, 3), TypeError, "`filters`"),
    "mlpconv_use_batchnorm": (
        lambda t: Mlpconv([8], 3, use_batchnorm=1),
        TypeError,
        "`use_batchnorm`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
