"""Stopping training at the first NaN or infinity, in the logs or in the weights."""

import keras
import numpy as np


class NonFiniteLossError(FloatingPointError):
    """Raised by `fit` when a logged training quantity or a weight becomes NaN or infinite."""


ADVICE = (
    "The weights are no longer usable; lower the learning rate, check the inputs for NaN/inf "
    "and their scale, or clip the gradients (e.g. `clipnorm=1.0` on the optimizer)."
)


class StopOnNonFinite(keras.callbacks.Callback):
    """Raises `NonFiniteLossError` at the first non-finite logged value or weight.

    The callback is `async_safe`: when every callback of `fit` is, Keras
    hands each batch's logs to its callbacks on a worker thread, so reading
    them never holds up the next step, and the error reaches `fit` at a
    later batch end or at the end of the epoch (a callback that is not
    async-safe makes Keras read the logs on the main thread after every
    step, for all callbacks). Logged values alone can hide NaN weights (a
    ReLU fused into a matrix product maps NaN to 0 on some CPU kernels), so
    the weights are checked too, at the end of every epoch and of training.
    """

    async_safe = True

    def __init__(self):
        super().__init__()
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for name, value in (logs or {}).items():
            value = np.asarray(value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"{self.model.name}: training produced a non-finite {name} ({value}) at "
                    f"epoch {self.epoch + 1}, {self._batches_ending_at(batch)}. {ADVICE}"
                )

    def _batches_ending_at(self, batch):
        """"batch N", or "batches M-N" for the steps of one multi-step call: Keras numbers
        a call by its last step, `batch`, even past the end of the epoch."""
        steps_per_call = getattr(self.model, "steps_per_execution", 1) or 1
        first, last = batch + 2 - steps_per_call, batch + 1
        steps = (self.params or {}).get("steps")
        if steps:
            last = min(last, steps)
        if first >= last:
            return f"batch {last}"
        return f"batches {first}-{last}" + ("" if steps else " (or fewer: the data may end sooner)")

    def on_epoch_end(self, epoch, logs=None):
        self._check_weights(f"at the end of epoch {epoch + 1}")

    def on_train_end(self, logs=None):
        self._check_weights("at the end of training")

    def _check_weights(self, when):
        for variable in self.model.weights:
            value = keras.ops.convert_to_numpy(variable)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"{self.model.name}: the weight {variable.path} holds "
                    f"{np.sum(~np.isfinite(value))} non-finite values {when}. {ADVICE}"
                )
