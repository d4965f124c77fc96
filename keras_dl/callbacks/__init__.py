"""Training callbacks: the gradient reversal schedule and image sampling."""

from keras_dl.callbacks.gradient_reversal_scheduler import GradientReversalScheduler
from keras_dl.callbacks.image_sampler import ImageSampler

__all__ = ["GradientReversalScheduler", "ImageSampler"]
