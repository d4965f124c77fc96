"""The Inception module of GoogLeNet."""

import keras

from keras_dl.layers import layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.InceptionBlock")
class InceptionBlock(keras.layers.Layer):
    """GoogLeNet Inception module with 1x1 dimension reductions.

    Four parallel branches on the same input, concatenated on the channel axis:
    a 1x1 convolution; a 1x1 reduction then a 3x3 convolution; a 1x1 reduction
    then a 5x5 convolution; a 3x3 max pooling (stride 1) then a 1x1 projection.
    Every convolution uses "same" padding and stride 1, so the spatial size is
    kept. With `use_batchnorm=False` the weights are exactly those of the
    paper's module: inception (3a) on 192 channels has 163,696 parameters.

    Batch normalization after short runs: with `use_batchnorm=True` and
    momentum 0.99 a briefly trained network can evaluate far worse than it
    trains (its moving statistics lag); lower `batch_norm_momentum`, train
    longer or recompute the statistics, as explained for `Mlpconv`.

    Reference: Szegedy et al., "Going Deeper with Convolutions", CVPR 2015
    (Table 1 lists the filter numbers of every module).

    Args:
        filters_1x1: channels of the 1x1 branch.
        filters_3x3_reduce: channels of the 1x1 reduction before the 3x3 conv.
        filters_3x3: channels of the 3x3 branch.
        filters_5x5_reduce: channels of the 1x1 reduction before the 5x5 conv.
        filters_5x5: channels of the 5x5 branch.
        filters_pool_proj: channels of the 1x1 projection after max pooling.
        activation: activation after every convolution.
        use_batchnorm: bool, batch normalization after every convolution
            (as in Inception v2; the convolutions then have no bias).
        batch_norm_momentum, batch_norm_epsilon: of the batch normalization,
            as for `Mlpconv`.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a 4D tensor `(batch, height, width, channels)`.
        training: bool, used by batch normalization.

    Returns:
        A 4D tensor of the same spatial size with
        `filters_1x1 + filters_3x3 + filters_5x5 + filters_pool_proj` channels.

    Example:

    >>> block = InceptionBlock(64, 96, 128, 16, 32, 32)  # inception (3a)
    >>> tuple(block(keras.ops.ones((1, 28, 28, 192))).shape)
    (1, 28, 28, 256)
    >>> block.count_params()
    163696
    """

    def __init__(
        self,
        filters_1x1,
        filters_3x3_reduce,
        filters_3x3,
        filters_5x5_reduce,
        filters_5x5,
        filters_pool_proj,
        activation="relu",
        use_batchnorm=False,
        batch_norm_momentum=0.99,
        batch_norm_epsilon=1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.filters_1x1 = validation.positive_int("filters_1x1", filters_1x1)
        self.filters_3x3_reduce = validation.positive_int("filters_3x3_reduce", filters_3x3_reduce)
        self.filters_3x3 = validation.positive_int("filters_3x3", filters_3x3)
        self.filters_5x5_reduce = validation.positive_int("filters_5x5_reduce", filters_5x5_reduce)
        self.filters_5x5 = validation.positive_int("filters_5x5", filters_5x5)
        self.filters_pool_proj = validation.positive_int("filters_pool_proj", filters_pool_proj)
        self.activation = keras.activations.get(activation)
        self.use_batchnorm = validation.boolean("use_batchnorm", use_batchnorm)
        self.batch_norm_momentum, self.batch_norm_epsilon = layer_sequences.batch_norm_arguments(
            batch_norm_momentum, batch_norm_epsilon
        )

    def _conv(self, filters, kernel_size, name):
        return layer_sequences.conv_norm_activation(
            filters,
            kernel_size,
            use_batchnorm=self.use_batchnorm,
            batch_norm_momentum=self.batch_norm_momentum,
            batch_norm_epsilon=self.batch_norm_epsilon,
            activation=self.activation,
            dtype=self.dtype_policy,
            name=name,
        )

    def build(self, input_shape):
        layer_sequences.check_image_shape("InceptionBlock", input_shape)
        self.branch_1x1 = self._conv(self.filters_1x1, 1, "branch_1x1")
        self.branch_3x3 = self._conv(self.filters_3x3_reduce, 1, "branch_3x3_reduce") + self._conv(
            self.filters_3x3, 3, "branch_3x3"
        )
        self.branch_5x5 = self._conv(self.filters_5x5_reduce, 1, "branch_5x5_reduce") + self._conv(
            self.filters_5x5, 5, "branch_5x5"
        )
        self.branch_pool = [
            keras.layers.MaxPooling2D(
                3, strides=1, padding="same", dtype=self.dtype_policy, name="branch_pool"
            )
        ] + self._conv(self.filters_pool_proj, 1, "branch_pool_proj")
        for branch in self._branches():
            layer_sequences.build_sequence(branch, input_shape)

    def _branches(self):
        return (self.branch_1x1, self.branch_3x3, self.branch_5x5, self.branch_pool)

    def call(self, inputs):
        layer_sequences.check_float_input("InceptionBlock", inputs)
        outputs = [layer_sequences.apply_sequence(branch, inputs) for branch in self._branches()]
        return keras.ops.concatenate(outputs, axis=-1)

    def compute_output_shape(self, input_shape):
        channels = self.filters_1x1 + self.filters_3x3 + self.filters_5x5 + self.filters_pool_proj
        return tuple(input_shape[:-1]) + (channels,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters_1x1": self.filters_1x1,
                "filters_3x3_reduce": self.filters_3x3_reduce,
                "filters_3x3": self.filters_3x3,
                "filters_5x5_reduce": self.filters_5x5_reduce,
                "filters_5x5": self.filters_5x5,
                "filters_pool_proj": self.filters_pool_proj,
                "activation": keras.activations.serialize(self.activation),
                "use_batchnorm": self.use_batchnorm,
                "batch_norm_momentum": self.batch_norm_momentum,
                "batch_norm_epsilon": self.batch_norm_epsilon,
            }
        )
        return config
