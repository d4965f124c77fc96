"""Timing helpers shared by the benchmark scripts."""

import time

import keras


class EpochTimes(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch of `fit` in `seconds`."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.started)
