"""The residual block of ResNet (v1 and v2)."""

import keras

from keras_dl.layers import layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

SHORTCUTS = ("auto", "projection", "zero_pad")


@keras_dl_export("keras_dl.layers.ResidualBlock")
class ResidualBlock(keras.layers.Layer):
    """Residual block: `output = shortcut(x) + F(x)`.

    Basic block: two `kernel_size` convolutions with `filters` channels.
    Bottleneck block (`bottleneck=True`): 1x1 (`filters`), `kernel_size`
    (`filters`), 1x1 (`4 * filters`), so the output has `4 * filters` channels.

    With `preactivation=False` (ResNet v1, He et al. 2016a) every convolution is
    followed by batch normalization, the activation follows each but the last,
    and the activation is applied after the addition; the convolutions keep
    their biases and the stride sits on the first convolution, exactly as in
    `keras.applications.ResNet50`, whose parameter count the v1 nets match.
    With `preactivation=True` (ResNet v2, He et al. 2016b, "identity
    mappings") batch normalization and activation come before each
    convolution, nothing follows the addition, the stride sits on the
    `kernel_size` convolution and a projection shortcut is a 1x1 convolution of
    the pre-activated input (no batch norm), as in that paper's code.

    Shortcuts: `"projection"` is a strided 1x1 convolution (+ batch norm in
    v1); `"zero_pad"` is option A of He et al. 2016a section 4.2: the input
    subsampled by the stride with its new channels filled with zeros, no
    weights; `"auto"` is the identity when the shapes match and a projection
    otherwise.

    Batch normalization after short runs: at the default momentum 0.99 the
    moving statistics that inference uses lag the weights, and a ResNet
    trained for a few hundred steps can validate near chance while it fits
    its training data; lower `batch_norm_momentum` (0.9 is Torch's 0.1),
    train longer or recompute the statistics, as explained for `Mlpconv`.

    References:
        He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition",
        CVPR 2016. He, Zhang, Ren & Sun, "Identity Mappings in Deep Residual
        Networks", ECCV 2016.

    Args:
        filters: positive int, channels of the block (the output has
            `4 * filters` channels when `bottleneck=True`).
        kernel_size: int or pair, size of the spatial convolutions.
        strides: int or pair, downsampling factor of the block.
        bottleneck: bool, the 1x1-3x3-1x1 bottleneck design.
        preactivation: bool, the v2 ordering.
        shortcut: `"auto"`, `"projection"` or `"zero_pad"`.
        activation: activation function (name or callable).
        batch_norm_momentum, batch_norm_epsilon: of the batch normalization,
            as for `Mlpconv`.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a 4D tensor `(batch, height, width, channels)`.
        training: bool, used by batch normalization.

    Returns:
        A 4D tensor with `filters` (or `4 * filters`) channels and the spatial
        size divided by `strides` (rounded up).

    Example:

    >>> block = ResidualBlock(64, bottleneck=True, strides=2)
    >>> tuple(block(keras.ops.ones((2, 56, 56, 64))).shape)
    (2, 28, 28, 256)
    """

    def __init__(
        self,
        filters,
        kernel_size=3,
        strides=1,
        bottleneck=False,
        preactivation=False,
        shortcut="auto",
        activation="relu",
        batch_norm_momentum=0.99,
        batch_norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = validation.positive_int("filters", filters)
        self.kernel_size = validation.positive_int_pair("kernel_size", kernel_size)
        self.strides = validation.positive_int_pair("strides", strides)
        self.bottleneck = validation.boolean("bottleneck", bottleneck)
        self.preactivation = validation.boolean("preactivation", preactivation)
        self.shortcut = validation.one_of("shortcut", shortcut, SHORTCUTS)
        self.activation = keras.activations.get(activation)
        self.batch_norm_momentum, self.batch_norm_epsilon = layer_sequences.batch_norm_arguments(
            batch_norm_momentum, batch_norm_epsilon
        )

    @property
    def output_channels(self):
        return 4 * self.filters if self.bottleneck else self.filters

    def _unit(self, filters, kernel_size, strides, name, activation=None):
        return layer_sequences.conv_norm_activation(
            filters,
            kernel_size,
            strides=strides,
            use_batchnorm=not self.preactivation,
            batch_norm_momentum=self.batch_norm_momentum,
            batch_norm_epsilon=self.batch_norm_epsilon,
            activation=activation,
            use_bias=not self.preactivation,
            dtype=self.dtype_policy,
            name=name,
        )

    def _norm_activation(self, name):
        return [
            layer_sequences.batch_normalization(
                self.batch_norm_momentum, self.batch_norm_epsilon, self.dtype_policy, f"{name}_bn"
            ),
            keras.layers.Activation(self.activation, dtype=self.dtype_policy, name=f"{name}_act"),
        ]

    def _residual_layers_v1(self):
        act, k, s = self.activation, self.kernel_size, self.strides
        if self.bottleneck:
            return (
                self._unit(self.filters, 1, s, "conv_1", act)
                + self._unit(self.filters, k, 1, "conv_2", act)
                + self._unit(self.output_channels, 1, 1, "conv_3")
            )
        return self._unit(self.filters, k, s, "conv_1", act) + self._unit(
            self.filters, k, 1, "conv_2"
        )

    def _residual_layers_v2(self):
        # The first batch norm + activation (the pre-activation) is applied in
        # `call`, because a projection shortcut shares it.
        k, s = self.kernel_size, self.strides
        if self.bottleneck:
            return (
                self._unit(self.filters, 1, 1, "conv_1")
                + self._norm_activation("conv_2_preact")
                + self._unit(self.filters, k, s, "conv_2")
                + self._norm_activation("conv_3_preact")
                + self._unit(self.output_channels, 1, 1, "conv_3")
            )
        return (
            self._unit(self.filters, k, s, "conv_1")
            + self._norm_activation("conv_2_preact")
            + self._unit(self.filters, k, 1, "conv_2")
        )

    def _shortcut_kind(self, input_channels):
        shapes_match = self.strides == (1, 1) and input_channels == self.output_channels
        if self.shortcut == "auto":
            return "identity" if shapes_match else "projection"
        if self.shortcut == "zero_pad":
            if input_channels > self.output_channels:
                raise ValueError(
                    "`shortcut='zero_pad'` can only add channels: expected an input with at "
                    f"most {self.output_channels} channels, received {input_channels}"
                )
            return "identity" if shapes_match else "zero_pad"
        return "projection"

    def build(self, input_shape):
        layer_sequences.check_image_shape("ResidualBlock", input_shape)
        self.shortcut_kind = self._shortcut_kind(input_shape[-1])
        self.preactivation_layers = self._norm_activation("preact") if self.preactivation else []
        layer_sequences.build_sequence(self.preactivation_layers, input_shape)
        if self.shortcut_kind == "projection":
            self.projection_layers = layer_sequences.conv_norm_activation(
                self.output_channels,
                1,
                strides=self.strides,
                use_batchnorm=not self.preactivation,
                batch_norm_momentum=self.batch_norm_momentum,
                batch_norm_epsilon=self.batch_norm_epsilon,
                use_bias=True,
                dtype=self.dtype_policy,
                name="shortcut",
            )
        else:
            self.projection_layers = []
        layer_sequences.build_sequence(self.projection_layers, input_shape)
        self.residual_layers = (
            self._residual_layers_v2() if self.preactivation else self._residual_layers_v1()
        )
        layer_sequences.build_sequence(self.residual_layers, input_shape)
        self.output_activation = (
            None
            if self.preactivation
            else keras.layers.Activation(self.activation, dtype=self.dtype_policy, name="out_act")
        )

    def _zero_pad_shortcut(self, inputs):
        row_stride, column_stride = self.strides
        subsampled = inputs[:, ::row_stride, ::column_stride, :]
        extra_channels = self.output_channels - inputs.shape[-1]
        return keras.ops.pad(subsampled, [[0, 0], [0, 0], [0, 0], [0, extra_channels]])

    def call(self, inputs):
        layer_sequences.check_float_input("ResidualBlock", inputs)
        preactivated = layer_sequences.apply_sequence(self.preactivation_layers, inputs)
        residual = layer_sequences.apply_sequence(self.residual_layers, preactivated)
        if self.shortcut_kind == "projection":
            # v2 projects the pre-activated input; v1 has no pre-activation.
            shortcut = layer_sequences.apply_sequence(self.projection_layers, preactivated)
        elif self.shortcut_kind == "zero_pad":
            shortcut = self._zero_pad_shortcut(inputs)
        else:
            shortcut = inputs
        outputs = shortcut + residual
        if self.output_activation is not None:
            outputs = self.output_activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        spatial = [
            None if size is None else -(-size // stride)
            for size, stride in zip(input_shape[1:3], self.strides)
        ]
        return (input_shape[0], *spatial, self.output_channels)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "bottleneck": self.bottleneck,
                "preactivation": self.preactivation,
                "shortcut": self.shortcut,
                "activation": keras.activations.serialize(self.activation),
                "batch_norm_momentum": self.batch_norm_momentum,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        return config
