"""The RBM's compile policy: several training steps per compiled call by default."""

import keras

from keras_dl.models.base import replicas

# Steps per compiled call unless `compile` is told otherwise (one replica only): a step
# of a small RBM (batch 10 or 100, a few hundred hidden units) costs less than Keras'
# own work per call, and 32 steps per call made epochs 2.5-2.8x faster at batch 10 on a
# 2-core CPU (benchmarks/RESULTS.md).
DEFAULT_STEPS_PER_EXECUTION = 32


class ManyStepsPerCall:
    """A `keras.Model` mixin whose `compile` runs `DEFAULT_STEPS_PER_EXECUTION` (32)
    steps per call by default on one replica, 1 under a multi-replica strategy and on
    torch (whose Keras trainer runs one step per call).

    Batch-level callbacks then run once per call, numbered by its last step (a
    progress bar may show 32/30 before 30/30),
    `keras.callbacks.TensorBoard(update_freq="batch")` writes one point per
    call and `StopOnNonFinite` names the call's batches; pass
    `steps_per_execution=1` to see every batch. The default is saved as the
    default: a `.keras` file loaded under another strategy takes that
    strategy's. The model sets `_default_steps_per_execution = True` in its
    `__init__`, so that it saves before it is compiled.
    """

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, steps_per_execution=None,
                **kwargs):
        self._default_steps_per_execution = steps_per_execution is None
        if steps_per_execution is None:
            # Keras' multi-step loop fails under a multi-replica strategy (Keras 3.15,
            # TensorFlow 2.21: "You must feed a value for placeholder tensor").
            single = replicas.replicas_of(self) == 1
            several = single and keras.backend.backend() != "torch"
            steps_per_execution = DEFAULT_STEPS_PER_EXECUTION if several else 1
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics,
                        steps_per_execution=steps_per_execution, **kwargs)

    def get_compile_config(self):
        """Keras' compile config; a default `steps_per_execution` is saved as the default
        (None), so that a model loaded under another strategy takes that strategy's."""
        config = super().get_compile_config()
        if config and self._default_steps_per_execution:  # empty when not compiled
            config["steps_per_execution"] = None
        return config
