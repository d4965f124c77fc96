"""Max pooling that also returns where each maximum came from."""

import keras
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


def same_padding(size, window, stride):
    """Returns `(before, after)` padding of TensorFlow's "same" convention."""
    output_size = -(-size // stride)
    total = max((output_size - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


@keras_dl_export("keras_dl.layers.MaxPoolingWithArgmax2D")
class MaxPoolingWithArgmax2D(keras.layers.Layer):
    """2D max pooling that returns the pooled values and their argmax.

    `argmax` holds, for each pooled value, the flat position of its maximum in
    its own input sample, `(row * width + column) * channels + channel` (the
    layout of `tf.nn.max_pool_with_argmax` with `include_batch_in_index=False`).
    Feed both to `MaxUnpooling2D` to put the values back where they came from,
    as in the decoder of SegNet. Ties go to the first maximum in row-major
    order, and the gradient of `pooled` goes to that position only, exactly as
    in max-pool backpropagation.

    The argmax is computed by scanning the `pool_size` window offsets with
    `keras.ops` (strided slices and `where`), so the layer compiles with XLA.

    Reference: Zeiler & Fergus, "Visualizing and Understanding Convolutional
    Networks", ECCV 2014 (switches); Badrinarayanan, Kendall & Cipolla,
    "SegNet", TPAMI 2017.

    Args:
        pool_size: int or pair of ints, the pooling window.
        strides: int, pair of ints or None (defaults to `pool_size`).
        padding: `"valid"` or `"same"` (padded positions never win).
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a 4D tensor `(batch, height, width, channels)` with known
            height, width and channels.

    Returns:
        A tuple `(pooled, argmax)` of 4D tensors of the same shape; `argmax` is
        int32.

    Example:

    >>> x = keras.ops.reshape(keras.ops.arange(16.0), (1, 4, 4, 1))
    >>> pooled, argmax = MaxPoolingWithArgmax2D()(x)
    >>> keras.ops.convert_to_numpy(argmax)[0, :, :, 0]
    array([[ 5,  7],
           [13, 15]], dtype=int32)
    """

    def __init__(self, pool_size=2, strides=None, padding="valid", **kwargs):
        super().__init__(**kwargs)
        self.pool_size = validation.positive_int_pair("pool_size", pool_size)
        self.strides = (
            self.pool_size if strides is None else validation.positive_int_pair("strides", strides)
        )
        self.padding = validation.one_of("padding", padding, ("valid", "same"))

    def build(self, input_shape):
        if len(input_shape) != 4 or any(size is None for size in input_shape[1:]):
            raise ValueError(
                "MaxPoolingWithArgmax2D expects inputs of shape (batch, height, width, "
                f"channels) with known height, width and channels, received: {input_shape}"
            )
        for size, window, axis in zip(input_shape[1:3], self.pool_size, ("height", "width")):
            if self.padding == "valid" and size < window:
                raise ValueError(
                    f"`pool_size` {self.pool_size} does not fit the input {axis} {size} "
                    "with padding='valid'"
                )

    def _pooled_size(self, size, window, stride):
        if self.padding == "same":
            return -(-size // stride)
        return (size - window) // stride + 1

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        shape = (
            batch,
            self._pooled_size(height, self.pool_size[0], self.strides[0]),
            self._pooled_size(width, self.pool_size[1], self.strides[1]),
            channels,
        )
        return shape, shape

    def compute_output_spec(self, inputs):
        shape, _ = self.compute_output_shape(inputs.shape)
        return (
            keras.KerasTensor(shape, dtype=self.compute_dtype),
            keras.KerasTensor(shape, dtype="int32"),
        )

    def call(self, inputs):
        _, height, width, channels = inputs.shape
        (window_rows, window_columns), (row_stride, column_stride) = self.pool_size, self.strides
        pooled_rows = self._pooled_size(height, window_rows, row_stride)
        pooled_columns = self._pooled_size(width, window_columns, column_stride)
        top, left = 0, 0
        if self.padding == "same":
            top, bottom = same_padding(height, window_rows, row_stride)
            left, right = same_padding(width, window_columns, column_stride)
            inputs = ops.pad(
                inputs,
                [[0, 0], [top, bottom], [left, right], [0, 0]],
                constant_values=float("-inf"),
            )
        # Flat input position of the top-left corner of every window.
        rows = ops.arange(pooled_rows, dtype="int32") * row_stride - top
        columns = ops.arange(pooled_columns, dtype="int32") * column_stride - left
        corner = (rows[:, None] * width + columns[None, :]) * channels
        corner = corner[:, :, None] + ops.arange(channels, dtype="int32")[None, None, :]

        # A scan of the window offsets rather than `tf.nn.max_pool_with_argmax`, which XLA
        # has no kernel for.
        pooled, argmax = None, None
        for dy in range(window_rows):
            for dx in range(window_columns):
                candidate = inputs[
                    :,
                    dy : dy + (pooled_rows - 1) * row_stride + 1 : row_stride,
                    dx : dx + (pooled_columns - 1) * column_stride + 1 : column_stride,
                    :,
                ]
                position = corner + (dy * width + dx) * channels
                if pooled is None:
                    pooled = candidate
                    argmax = ops.broadcast_to(position, ops.shape(candidate))
                else:
                    better = candidate > pooled
                    pooled = ops.where(better, candidate, pooled)
                    argmax = ops.where(better, position, argmax)
        return pooled, argmax

    def get_config(self):
        config = super().get_config()
        config.update(
            {"pool_size": self.pool_size, "strides": self.strides, "padding": self.padding}
        )
        return config
