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

    Each batch's logs are read when the next batch ends (and at the end of
    the epoch), so that reading them never waits for a step in flight: the
    check costs no pipelining, and training stops at most one step late.
    Logged values alone can hide NaN weights (a ReLU fused into a matrix
    product maps NaN to 0 on some CPU kernels), so the weights are checked
    too, at the end of every epoch and of training.
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.pending = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._check_pending()
        self.pending = (batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._check_pending()
        self._check_weights(f"at the end of epoch {epoch + 1}")

    def on_train_end(self, logs=None):
        self._check_weights("at the end of training")

    def _check_pending(self):
        if self.pending is None:
            return
        batch, logs = self.pending
        self.pending = None
        for name, value in (logs or {}).items():
            value = np.asarray(value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"{self.model.name}: training produced a non-finite {name} ({value}) at "
                    f"epoch {self.epoch + 1}, batch {batch + 1}. {ADVICE}"
                )

    def _check_weights(self, when):
        for variable in self.model.weights:
            value = keras.ops.convert_to_numpy(variable)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"{self.model.name}: the weight {variable.path} holds "
                    f"{np.sum(~np.isfinite(value))} non-finite values {when}. {ADVICE}"
                )
