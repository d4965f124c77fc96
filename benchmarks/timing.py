"""Timing helpers shared by the benchmark scripts."""

import time

import keras
import numpy as np


class EpochTimes(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch of `fit` in `seconds`."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)


def median_seconds(function, repeats=3):
    """The median wall-clock seconds of `repeats` calls of `function()` after one untimed
    call (tracing, compiling); `function` must wait for its results."""
    function()
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return float(np.median(timings))
