"""Small helpers on batches and data that the models share."""

import sys

import keras
import numpy as np
from keras import ops


def input_of(data):
    """The model input of a batch that `fit` gives as `x` or `(x, ...)`."""
    return data[0] if isinstance(data, (tuple, list)) else data


def batch_size_of(data):
    """The number of samples in a batch of any nesting (first dimension of its first tensor)."""
    return ops.shape(keras.tree.flatten(data)[0])[0]


def is_tf_dataset(x):
    """Whether `x` is a `tf.data.Dataset` (never without TensorFlow imported)."""
    tf = sys.modules.get("tensorflow")
    return tf is not None and isinstance(x, tf.data.Dataset)


def tensor_specs(shapes, name=None):
    """float32 `tf.TensorSpec`s with a free batch dimension for a shape or a list of shapes,
    named `name` (`name_0`, `name_1`, ... for a list)."""
    import tensorflow as tf

    if isinstance(shapes, list):
        return [tf.TensorSpec((None, *shape[1:]), tf.float32,
                              name=None if name is None else f"{name}_{index}")
                for index, shape in enumerate(shapes)]
    return tf.TensorSpec((None, *shapes[1:]), tf.float32, name=name)


def first_batch(x, y=None):
    """What `fit(x, y)` trains on first, as NumPy: all of `(x, y)` for arrays (they are
    already in memory), the first element for a `tf.data.Dataset`.

    Returns:
        `(x, y)`: nested NumPy arrays (`y` None when there are no targets), or
        None for an empty dataset.
    """
    if is_tf_dataset(x):
        for element in x.take(1):
            element = keras.tree.map_structure(np.asarray, element)
            if not isinstance(element, tuple):
                return element, None
            return element[0], element[1] if len(element) > 1 else None
        return None
    as_array = lambda value: value if isinstance(value, np.ndarray) else np.asarray(value)  # noqa: E731
    return keras.tree.map_structure(as_array, x), (
        None if y is None else keras.tree.map_structure(as_array, y)
    )


def num_samples(x):
    """The number of samples of `fit`'s data (first dimension of its first array), or
    None for a dataset or a generator."""
    if x is None or is_tf_dataset(x) or not hasattr(x, "__len__"):
        return None
    return len(keras.tree.flatten(x)[0])


def require_finite(owner, x, y):
    """Raises a ValueError naming `owner` where the floating-point arrays of `x` or `y`
    (nested NumPy arrays) hold NaN or infinite values."""
    for name, part in (("x", x), ("y", y)):
        for array in [] if part is None else keras.tree.flatten(part):
            array = np.asarray(array)
            if array.dtype.kind != "f":
                continue
            count = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
            if count:
                raise ValueError(
                    f"{owner}: `{name}` holds NaN or infinite values ({count} of "
                    f"{np.size(array)}); remove or impute them before training"
                )
