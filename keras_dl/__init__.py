"""keras-dl: the classic advanced deep-learning techniques as first-class Keras 3 components."""

__version__ = "0.1.0"

from keras_dl import (
    applications,
    callbacks,
    datasets,
    layers,
    losses,
    metrics,
    models,
    optimizers,
)

__all__ = [
    "__version__",
    "applications",
    "callbacks",
    "datasets",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
]
