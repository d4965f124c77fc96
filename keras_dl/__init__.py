"""keras-dl: the classic advanced deep-learning techniques as first-class Keras 3 components."""

__version__ = "0.1.0"

from keras_dl import applications  # noqa: E402
from keras_dl import callbacks  # noqa: E402
from keras_dl import datasets  # noqa: E402
from keras_dl import layers  # noqa: E402
from keras_dl import losses  # noqa: E402
from keras_dl import metrics  # noqa: E402
from keras_dl import models  # noqa: E402

__all__ = [
    "__version__",
    "applications",
    "callbacks",
    "datasets",
    "layers",
    "losses",
    "metrics",
    "models",
]
