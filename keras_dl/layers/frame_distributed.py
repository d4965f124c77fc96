"""TimeDistributed that runs the wrapped layer once on all frames together."""

import keras
from keras import ops

from keras_dl.utils import keras_compat
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.FrameDistributed")
class FrameDistributed(keras.layers.TimeDistributed):
    """Applies a layer to every time step by folding time into the batch.

    Same contract as `keras.layers.TimeDistributed`: the `(batch, time, ...)`
    input is reshaped to `(batch * time, ...)`, the wrapped layer is called
    once, and the result is reshaped back. Batch normalization inside it
    therefore normalizes with the statistics of all frames, in training and
    at inference alike, so a sequence model sees the same frame features in
    both.

    Args:
        layer: a `keras.layers.Layer` (or model) taking single frames.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a tensor `(batch, time, ...)` whose dimensions after `time`
            are known.
        training: bool, passed to the wrapped layer.

    Returns:
        A tensor `(batch, time, ...)` of the wrapped layer's frame outputs.

    Example:

    >>> layer = FrameDistributed(keras.layers.Conv2D(4, 3))
    >>> tuple(layer(keras.ops.ones((2, 5, 8, 8, 1))).shape)
    (2, 5, 6, 6, 4)
    """

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError(
                "FrameDistributed expects inputs (batch, time, ...) of rank 3 or more, "
                f"received input shape {tuple(input_shape)}"
            )
        try:
            super().build(input_shape)
        except ValueError as error:
            raise ValueError(
                f"FrameDistributed expects inputs (batch, time, *frame_shape), but the wrapped "
                f"{type(self.layer).__name__} refused frames of shape "
                f"{tuple(input_shape[2:])} taken from input shape {tuple(input_shape)} (is the "
                f"time axis missing?): {error}"
            ) from error

    def call(self, inputs, training=None, mask=None):
        if None in inputs.shape[2:]:
            raise ValueError(
                "FrameDistributed needs the dimensions after the time axis to be known, "
                f"received input shape {inputs.shape}"
            )
        shape = ops.shape(inputs)
        # One call on all frames: Keras 3's TimeDistributed calls the layer once per time step
        # when the number of steps is static, so batch normalization inside it normalizes each
        # step with that step's own batch statistics in training but with one moving average
        # over all steps at inference (a CNN-LSTM with a batch-normalized frame CNN then fits
        # its training set and stays at chance on test data in inference mode).
        frames = ops.reshape(inputs, (-1, *inputs.shape[2:]))
        kwargs = {"training": training} if keras_compat.call_has_training_arg(self.layer) else {}
        outputs = self.layer(frames, **kwargs)
        return ops.reshape(outputs, (shape[0], shape[1], *outputs.shape[1:]))
