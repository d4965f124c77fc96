"""Batches of a labelled source domain zipped with an unlabelled target domain."""

import numbers

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.datasets.domain_adaptation")
def domain_adaptation(source, target, batch_size, shuffle=True, seed=None):
    """Zips a labelled source and an unlabelled target into training batches.

    Each batch is `((x_source, x_target), y_source)`, the format that
    `keras_dl.models.DomainAdversarialModel.fit` takes, with as many source
    as target samples (the domain classifier sees balanced classes). One
    pass (one epoch) covers the longer of the two domains; the shorter one
    is repeated. With `shuffle=True` (the default, like `fit` on arrays),
    both domains are reshuffled independently every epoch, so that each
    epoch pairs different source and target samples, as the data loaders
    of the reference implementations do (Ganin et al. 2016; Long et al.,
    "Conditional Adversarial Domain Adaptation", NeurIPS 2018); the shuffle
    buffer holds a whole domain.

    Args:
        source: `(x, y)` arrays or an unbatched `tf.data.Dataset` of `(x, y)`.
        target: `x` array, or an unbatched `tf.data.Dataset` of `x` or of
            `(x, y)` (its labels are dropped: the target is unlabelled).
        batch_size: positive int, the number of source samples (and of
            target samples) per batch.
        shuffle: bool, whether to reshuffle both domains every epoch.
        seed: optional int, the seed of the shuffles: the same seed gives
            the same sequence of epochs.

    Returns:
        A `tf.data.Dataset` of `((x_source, x_target), y_source)` batches.

    Example:

    >>> import numpy as np
    >>> source = (np.zeros((10, 4), "float32"), np.zeros(10, "int64"))
    >>> target = np.ones((3, 4), "float32")
    >>> batches = domain_adaptation(source, target, batch_size=4, shuffle=False)
    >>> [int(y.shape[0]) for (_, _), y in batches]
    [4, 4, 2]
    """
    import tensorflow as tf  # tf.data: the datasets are TensorFlow's on every backend

    batch_size = validation.positive_int("batch_size", batch_size)
    shuffle = validation.boolean("shuffle", shuffle)
    if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool)):
        raise TypeError(f"`seed` must be an integer or None, received: {seed!r}")
    source = _as_dataset("source", source)
    target = _as_dataset("target", target)
    if not (isinstance(source.element_spec, tuple) and len(source.element_spec) == 2):
        raise ValueError(
            f"`source` must yield (x, y) pairs, received elements with spec {source.element_spec}"
        )
    if isinstance(target.element_spec, tuple):
        target = target.map(lambda x, *_: x)
    source_shape, target_shape = source.element_spec[0].shape, target.element_spec.shape
    if not source_shape.is_compatible_with(target_shape):
        raise ValueError(
            "`source` and `target` must hold samples of the same shape (the model sees both), "
            f"received source samples of shape {tuple(source_shape)} and target samples of "
            f"shape {tuple(target_shape)}"
        )
    source_length, target_length = _length("source", source), _length("target", target)
    if shuffle:
        # Distinct seeds per domain, so that equal-length domains are not
        # permuted in lockstep.
        source = source.shuffle(source_length, seed=seed, reshuffle_each_iteration=True)
        target = target.shuffle(
            target_length, seed=None if seed is None else seed + 1, reshuffle_each_iteration=True
        )
    pairs = tf.data.Dataset.zip((source.repeat(), target.repeat()))
    pairs = pairs.take(max(source_length, target_length))
    batches = pairs.map(lambda labelled, x_target: ((labelled[0], x_target), labelled[1]))
    return batches.batch(batch_size)


def _as_dataset(name, data):
    import tensorflow as tf

    if isinstance(data, tf.data.Dataset):
        return data
    if isinstance(data, list):
        raise TypeError(
            f"`{name}` must be an array, a tuple of arrays or a tf.data.Dataset, received a list"
        )
    return tf.data.Dataset.from_tensor_slices(data)


def _length(name, dataset):
    length = int(dataset.cardinality())
    if length < 0:
        raise ValueError(
            f"`{name}` must be a finite dataset of known length (use "
            "`dataset.apply(tf.data.experimental.assert_cardinality(n))`), received a "
            "dataset of unknown or infinite length"
        )
    if length == 0:
        raise ValueError(f"`{name}` must not be empty")
    return length
