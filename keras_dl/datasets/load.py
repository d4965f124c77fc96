"""Image classification datasets as `tf.data.Dataset`s scaled to [0, 1]."""

import socket

import numpy as np

from keras_dl.utils.api_export import keras_dl_export

# scikit-learn's bundled digits (1,797 images of 8x8 pixels with values 0..16)
# are split deterministically: the first 1,500 for training, the rest for test.
DIGITS_TRAIN_SIZE = 1500
DIGITS_SPLITS = ("train", "test", "all")
# MNIST's framing: each digit fits a 20x20 box centred in a 28x28 image
# (LeCun et al., "Gradient-based learning applied to document recognition", 1998).
MNIST_DIGIT_BOX = 20
MNIST_IMAGE_SIZE = 28
DIGITS_IMAGE_SIZES = (8, MNIST_IMAGE_SIZE)


@keras_dl_export("keras_dl.datasets.load")
def load(name, split="train", **kwargs):
    """Loads a labelled image dataset as `(image, label)` pairs scaled to [0, 1].

    `name` is any `tensorflow_datasets` name (`"mnist"`, `"fashion_mnist"`,
    `"cifar10"`, ...; downloaded by tfds on first use), or `"digits"`:
    scikit-learn's bundled 8x8 handwritten digits, which need no network
    (Alpaydin & Kaynak, UCI Optical Recognition of Handwritten Digits, 1998).
    `load("digits", image_size=28)` renders them in MNIST's framing: each
    digit upsampled bilinearly to 20x20 and centred in a 28x28 image, so that
    a network trained on MNIST reads them (the MNIST -> UCI digits
    domain-adaptation task).

    Args:
        name: str, the dataset name.
        split: for tfds, any tfds split string (`"train"`, `"test[:10%]"`,
            ...); for `"digits"`, `"train"` (the first 1,500 images),
            `"test"` (the other 297) or `"all"`.
        **kwargs: passed on to `tfds.load` (e.g. `data_dir`, `download`);
            for `"digits"`, only `image_size`: 8 (default, the original
            images) or 28 (MNIST's framing).

    Returns:
        An unbatched `tf.data.Dataset` of `(image, label)`: float32 images of
        shape `(height, width, channels)` with values in [0, 1] and int64
        labels.

    Example:

    >>> dataset = load("digits", split="test")
    >>> image, label = next(iter(dataset))
    >>> tuple(image.shape), float(image.numpy().max()) <= 1.0
    ((8, 8, 1), True)
    """
    if not isinstance(name, str):
        raise TypeError(f"`name` must be a dataset name string, received: {name!r}")
    if name == "digits":
        return _load_digits(split, **kwargs)
    return _load_tfds(name, split, **kwargs)


def _load_digits(split, image_size=8, **unknown):
    import tensorflow as tf  # tf.data: the datasets are TensorFlow's on every backend
    from sklearn.datasets import load_digits

    if unknown:
        raise TypeError(f"load('digits') takes only `image_size`, received: {sorted(unknown)}")
    if split not in DIGITS_SPLITS:
        raise ValueError(
            f"`split` must be one of {list(DIGITS_SPLITS)} for 'digits', received: {split!r}"
        )
    if image_size not in DIGITS_IMAGE_SIZES:
        raise ValueError(
            f"`image_size` must be one of {list(DIGITS_IMAGE_SIZES)} for 'digits', "
            f"received: {image_size!r}"
        )
    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]
    if image_size == MNIST_IMAGE_SIZE:
        images = _in_mnist_frame(images)
    labels = digits.target.astype("int64")
    selection = {
        "train": slice(0, DIGITS_TRAIN_SIZE),
        "test": slice(DIGITS_TRAIN_SIZE, None),
        "all": slice(None),
    }[split]
    return tf.data.Dataset.from_tensor_slices((images[selection], labels[selection]))


def _in_mnist_frame(images):
    """Upsamples images bilinearly to MNIST's 20x20 digit box and centres them in 28x28."""
    import tensorflow as tf

    box = tf.image.resize(images, (MNIST_DIGIT_BOX, MNIST_DIGIT_BOX), method="bilinear")
    margin = (MNIST_IMAGE_SIZE - MNIST_DIGIT_BOX) // 2
    framed = tf.pad(box, [[0, 0], [margin, margin], [margin, margin], [0, 0]])
    return tf.clip_by_value(framed, 0.0, 1.0).numpy()


def _load_tfds(name, split, download=True, **kwargs):
    """`tfds.load` as supervised pairs scaled to [0, 1], failing fast when offline.

    Raises `ValueError` for an unknown `name`, `FileNotFoundError` when the
    data is not prepared and `download=False`, and `ConnectionError` when it
    is not prepared and the download host cannot be reached (checked before
    downloading, so an offline machine fails at once instead of retrying for
    minutes).
    """
    import tensorflow as tf
    import tensorflow_datasets as tfds

    try:
        # Prepared data (or tfds' test mocks) load without touching the network.
        dataset = tfds.load(name, split=split, as_supervised=True, download=False, **kwargs)
    except tfds.core.registered.DatasetNotFoundError as error:
        raise ValueError(
            f"`name` must be 'digits' or a tensorflow_datasets name (see tfds.list_builders()), "
            f"received: {name!r}"
        ) from error
    except AssertionError as error:  # tfds' "could not find data in <data_dir>"
        where = f"in data_dir={kwargs.get('data_dir')!r}" if "data_dir" in kwargs else "locally"
        if not download:
            raise FileNotFoundError(
                f"Dataset {name!r} is not prepared {where} and download=False: pass the "
                "`data_dir` of a prepared copy, allow the download, or use load('digits')"
            ) from error
        if not _download_host_reachable():
            raise ConnectionError(
                f"Dataset {name!r} is not prepared {where} and {TFDS_HOST} cannot be reached: "
                "connect to the network, pass the `data_dir` of a prepared copy, or use "
                "load('digits')"
            ) from error
        dataset = tfds.load(name, split=split, as_supervised=True, download=True, **kwargs)
    image_dtype = dataset.element_spec[0].dtype
    if image_dtype != tf.uint8:
        raise TypeError(
            f"load() expects a dataset of uint8 images, but {name!r} has images of dtype "
            f"{image_dtype.name}"
        )
    return dataset.map(_scale_to_unit_range, num_parallel_calls=tf.data.AUTOTUNE)


# The host that tensorflow_datasets downloads its datasets from.
TFDS_HOST = "storage.googleapis.com"


def _download_host_reachable(timeout=5.0):
    """Whether tfds' download host accepts a connection within `timeout` seconds.

    Without this check an offline download retries for minutes before failing.
    """
    try:
        with socket.create_connection((TFDS_HOST, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _scale_to_unit_range(image, label):
    import tensorflow as tf

    return tf.cast(image, tf.float32) / np.float32(255.0), tf.cast(label, tf.int64)
