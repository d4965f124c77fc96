"""Optimizer utilities: learning-rate schedules."""

from keras_dl.optimizers.inverse_decay import InverseDecay

__all__ = ["InverseDecay"]
