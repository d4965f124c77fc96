"""Unpooling that puts pooled values back at their argmax positions."""

import keras
from keras import ops

from keras_dl.utils import backend_ops, validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.MaxUnpooling2D")
class MaxUnpooling2D(keras.layers.Layer):
    """Inverse of `MaxPoolingWithArgmax2D`: values back to their argmax, zeros elsewhere.

    The layer is the transpose (adjoint) of the selection that max pooling
    makes: each pooled value is scattered to the flat position in `argmax`, and
    the gradient with respect to each pooled value is the upstream gradient at
    that position, the same routes that max-pool backpropagation uses. When
    overlapping windows selected the same position, the values scattered there
    are summed, as max-pool backpropagation sums gradients.

    The output's spatial shape is that of the pooling input. It is taken from
    `reference` when given (needed whenever the pooling input size is not
    `(pooled - 1) * strides + pool_size`, e.g. odd sizes), otherwise it is
    `(pooled - 1) * strides + pool_size`.

    `argmax` positions outside the output raise a `ValueError` eagerly and
    fail a `tf.function` step through a TensorFlow assertion (a TensorFlow op,
    as Keras has none). XLA (`jit_compile=True`) and a traced JAX step have no
    assertions: there the values of out-of-range positions become NaN in the
    output, so the mistake shows in the loss instead of silently losing those
    values.

    Reference: Zeiler & Fergus, "Visualizing and Understanding Convolutional
    Networks", ECCV 2014; Badrinarayanan, Kendall & Cipolla, "SegNet", TPAMI 2017.

    Args:
        pool_size: int or pair of ints, the pooling window that was used.
        strides: int, pair of ints or None (defaults to `pool_size`).
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: `[pooled, argmax]` or `[pooled, argmax, reference]`: the outputs
            of `MaxPoolingWithArgmax2D` and optionally its input (only the
            shape of `reference` is used).

    Returns:
        A 4D tensor with the spatial shape of the pooling input and the
        channels of `pooled`.

    Example:

    >>> from keras_dl.layers import MaxPoolingWithArgmax2D
    >>> x = keras.ops.reshape(keras.ops.arange(16.0), (1, 4, 4, 1))
    >>> pooled, argmax = MaxPoolingWithArgmax2D()(x)
    >>> keras.ops.convert_to_numpy(MaxUnpooling2D()([pooled, argmax]))[0, :, :, 0]
    array([[ 0.,  0.,  0.,  0.],
           [ 0.,  5.,  0.,  7.],
           [ 0.,  0.,  0.,  0.],
           [ 0., 13.,  0., 15.]], dtype=float32)
    """

    def __init__(self, pool_size=2, strides=None, **kwargs):
        super().__init__(**kwargs)
        self.pool_size = validation.positive_int_pair("pool_size", pool_size)
        self.strides = (
            self.pool_size if strides is None else validation.positive_int_pair("strides", strides)
        )

    def build(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) not in (2, 3):
            raise ValueError(
                "MaxUnpooling2D expects `inputs` = [pooled, argmax] or "
                f"[pooled, argmax, reference], received input shapes: {input_shape}"
            )
        pooled_shape, argmax_shape = input_shape[0], input_shape[1]
        if len(pooled_shape) != 4 or tuple(pooled_shape[1:]) != tuple(argmax_shape[1:]):
            raise ValueError(
                "MaxUnpooling2D expects 4D `pooled` and `argmax` of the same shape, received "
                f"{pooled_shape} and {argmax_shape}"
            )
        if len(input_shape) == 3 and len(input_shape[2]) != 4:
            raise ValueError(
                f"MaxUnpooling2D expects a 4D `reference`, received shape {input_shape[2]}"
            )

    def compute_output_shape(self, input_shape):
        pooled_shape = input_shape[0]
        if len(input_shape) == 3:
            height, width = input_shape[2][1:3]
        else:
            height, width = (
                None if size is None else (size - 1) * stride + window
                for size, stride, window in zip(pooled_shape[1:3], self.strides, self.pool_size)
            )
        return (pooled_shape[0], height, width, pooled_shape[3])

    def call(self, inputs):
        pooled, argmax = inputs[0], inputs[1]
        if "int" not in str(argmax.dtype):
            raise TypeError(f"`argmax` must be an integer tensor, received dtype {argmax.dtype}")
        if len(inputs) == 3:
            reference_shape = ops.shape(inputs[2])
            height, width = reference_shape[1], reference_shape[2]
        else:
            _, height, width, _ = self.compute_output_shape([pooled.shape, argmax.shape])
        batch, channels = ops.shape(pooled)[0], pooled.shape[-1]
        size = height * width * channels
        positions = ops.reshape(ops.cast(argmax, "int32"), (batch, -1))
        values = ops.reshape(pooled, (batch, -1))
        in_range = ops.logical_and(positions >= 0, positions < size)
        _check_in_range(in_range, positions, size)
        # Where checks cannot run (XLA drops assertions), an out-of-range value
        # becomes NaN at a valid position instead of vanishing silently.
        values = ops.where(in_range, values, ops.cast(float("nan"), values.dtype))
        positions = ops.clip(positions, 0, size - 1)
        samples = ops.broadcast_to(
            ops.arange(batch, dtype="int32")[:, None], ops.shape(positions)
        )
        indices = ops.stack([ops.reshape(samples, (-1,)), ops.reshape(positions, (-1,))], axis=1)
        flat = ops.scatter(indices, ops.reshape(values, (-1,)), (batch, size))
        return ops.reshape(flat, (batch, height, width, channels))

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "strides": self.strides})
        return config


def _check_in_range(in_range, positions, size):
    """Refuses argmax positions outside `[0, size)`.

    Eagerly a `ValueError`; in a `tf.function` graph a TensorFlow assertion
    (Keras has no assertion op), which fails the step with the same message.
    XLA (`jit_compile=True`) drops assertions, and a traced JAX function has
    none (the NaN values of `call` show the mistake there).
    """
    message = "`argmax` must hold flat positions in [0, height * width * channels) of the output"
    if backend_ops.is_traced(in_range):
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            tf.debugging.Assert(ops.all(in_range), [message])
        return
    if not bool(ops.all(in_range)):
        raise ValueError(
            f"{message} = [0, {int(size)}), received values from "
            f"{int(ops.min(positions))} to {int(ops.max(positions))}"
        )
