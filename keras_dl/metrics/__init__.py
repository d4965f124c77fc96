"""Metrics: the streaming Frechet distance."""

from keras_dl.metrics.frechet_distance import FrechetDistance, frechet_distance

__all__ = ["FrechetDistance", "frechet_distance"]
