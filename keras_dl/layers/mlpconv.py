"""The Mlpconv layer of Network in Network."""

import keras

from keras_dl.layers import layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.Mlpconv")
class Mlpconv(keras.layers.Layer):
    """Network-in-Network block: a convolution followed by a shared micro-MLP.

    One `kernel_size` convolution with `filters[0]` channels, then one 1x1
    convolution per remaining entry of `filters`. A 1x1 convolution is a
    multilayer perceptron applied to every pixel with shared weights, so the
    block replaces the linear filter of a convolution by a small MLP.

    Batch normalization after short runs (`use_batchnorm=True`): inference
    normalizes with moving statistics that, at the default momentum 0.99,
    trail the weights by hundreds of steps, so a briefly trained network can
    validate near chance while it fits its training data. Lower
    `batch_norm_momentum` (e.g. 0.9), train longer, or recompute the
    statistics on training data in `training=True` mode before evaluating.

    Reference: Lin, Chen & Yan, "Network In Network", ICLR 2014.

    Args:
        filters: non-empty list of positive ints, the channels of each
            convolution; the output has `filters[-1]` channels.
        kernel_size: int or pair of ints, the size of the first convolution.
        strides: int or pair of ints, the strides of the first convolution.
        padding: `"same"` or `"valid"`, the padding of the first convolution.
        activation: activation after every convolution (name or callable).
        use_batchnorm: bool, whether to put batch normalization between each
            convolution and its activation (the convolutions then have no bias).
        batch_norm_momentum: float in [0, 1), the momentum of the moving
            statistics of batch normalization (Keras' default 0.99; Torch and
            PyTorch momentum `m` corresponds to `1 - m`).
        batch_norm_epsilon: positive float, the variance epsilon of batch
            normalization.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a 4D tensor `(batch, height, width, channels)`.
        training: bool, used by batch normalization.

    Returns:
        A 4D tensor with `filters[-1]` channels.

    Example:

    >>> layer = Mlpconv(filters=[192, 160, 96], kernel_size=5)
    >>> tuple(layer(keras.ops.ones((2, 32, 32, 3))).shape)
    (2, 32, 32, 96)
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="same",
        activation="relu",
        use_batchnorm=False,
        batch_norm_momentum=0.99,
        batch_norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters = validation.positive_int_sequence("filters", filters)
        self.kernel_size = validation.positive_int_pair("kernel_size", kernel_size)
        self.strides = validation.positive_int_pair("strides", strides)
        self.padding = validation.one_of("padding", padding, ("same", "valid"))
        self.activation = keras.activations.get(activation)
        self.use_batchnorm = validation.boolean("use_batchnorm", use_batchnorm)
        self.batch_norm_momentum, self.batch_norm_epsilon = layer_sequences.batch_norm_arguments(
            batch_norm_momentum, batch_norm_epsilon
        )

    def build(self, input_shape):
        layer_sequences.check_image_shape("Mlpconv", input_shape)
        self.micro_mlp = []
        for index, channels in enumerate(self.filters):
            first = index == 0
            self.micro_mlp += layer_sequences.conv_norm_activation(
                channels,
                self.kernel_size if first else 1,
                strides=self.strides if first else 1,
                padding=self.padding if first else "valid",
                use_batchnorm=self.use_batchnorm,
                batch_norm_momentum=self.batch_norm_momentum,
                batch_norm_epsilon=self.batch_norm_epsilon,
                activation=self.activation,
                dtype=self.dtype_policy,
                name=f"mlpconv_{index}",
            )
        layer_sequences.build_sequence(self.micro_mlp, input_shape)

    def call(self, inputs):
        layer_sequences.check_float_input("Mlpconv", inputs)
        return layer_sequences.apply_sequence(self.micro_mlp, inputs)

    def compute_output_shape(self, input_shape):
        first_conv = keras.layers.Conv2D(
            self.filters[-1], self.kernel_size, strides=self.strides, padding=self.padding
        )
        return first_conv.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": list(self.filters),
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "activation": keras.activations.serialize(self.activation),
                "use_batchnorm": self.use_batchnorm,
                "batch_norm_momentum": self.batch_norm_momentum,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        return config
