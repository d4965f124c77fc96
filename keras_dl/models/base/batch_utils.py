"""Small helpers on batches and data that the models share."""

import itertools
import sys
import types

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


def is_batch_source(x):
    """Whether `x` gives `fit` its data batch by batch and can be read again: a
    `tf.data.Dataset`, a `keras.utils.PyDataset` or a torch `DataLoader`."""
    if is_tf_dataset(x) or isinstance(x, keras.utils.PyDataset):
        return True
    return any(parent.__name__ == "DataLoader" and parent.__module__.startswith("torch.utils")
               for parent in type(x).__mro__)


def comes_in_batches(x):
    """Whether `x` is a batch source (`is_batch_source`) or a generator of batches."""
    return isinstance(x, types.GeneratorType) or is_batch_source(x)


def orders_itself(x):
    """Whether `x` is data whose order `fit` cannot shuffle (Keras warns that `shuffle=True`
    is ignored): a `tf.data.Dataset`, a torch `DataLoader` or a generator."""
    return comes_in_batches(x) and not isinstance(x, keras.utils.PyDataset)


def first_batch(x, y=None):
    """What `fit(x, y)` trains on first, as NumPy: all of `(x, y)` for arrays (they are
    already in memory), the first batch of a `tf.data.Dataset`, a `keras.utils.PyDataset`
    or a torch `DataLoader`, the first element of a generator (`peek` keeps it for `fit`).

    Returns:
        `(x, y)`: nested NumPy arrays (`y` None when there are no targets), or
        None for an empty dataset.
    """
    if comes_in_batches(x):
        return next((_split_batch(element) for element in batches(x, limit=1)), None)
    as_array = lambda value: value if isinstance(value, np.ndarray) else np.asarray(value)  # noqa: E731
    return keras.tree.map_structure(as_array, x), (
        None if y is None else keras.tree.map_structure(as_array, y)
    )


def peek(x, y=None):
    """`(x, first_batch(x, y))`; for a generator, which reading moves on, a generator of
    the same elements in place of `x`."""
    if not isinstance(x, types.GeneratorType):
        return x, first_batch(x, y)
    try:
        element = next(x)
    except StopIteration:
        return x, None

    def again():
        yield element
        yield from x

    return again(), _split_batch(element)


def batches(x, limit=None):
    """The elements of a batch source or a generator (at most `limit`)."""
    if is_tf_dataset(x):
        return iter(x if limit is None else x.take(limit))
    if isinstance(x, keras.utils.PyDataset):
        return (x[index] for index in range(len(x) if limit is None else min(limit, len(x))))
    return itertools.islice(x, limit)


def _split_batch(element):
    """`(x, y)` as NumPy of a batch `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""
    element = keras.tree.map_structure(np.asarray, element)
    if not isinstance(element, tuple):
        return element, None
    return element[0], element[1] if len(element) > 1 else None


def num_samples(x):
    """The number of samples of `fit`'s data (first dimension of its first array), or
    None for a dataset or a generator."""
    if x is None or is_batch_source(x) or not hasattr(x, "__len__"):
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
