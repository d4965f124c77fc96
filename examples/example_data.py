"""Data shared by the example scripts: the shared MNIST split, or bundled digits.

The MNIST test set lives in `../shared/data/mnist` beside the project (see
that folder's README). The examples split it deterministically, the first
8,000 images for training and the last 2,000 for evaluation, and fall back to
scikit-learn's bundled 8x8 digits when the folder is absent.
"""

import os

import numpy as np
import tensorflow as tf

from keras_dl import datasets

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_MNIST_DIR = os.path.join(PROJECT_ROOT, "..", "shared", "data", "mnist")
MNIST_TRAIN_SIZE = 8000


def shared_mnist_available():
    return os.path.exists(os.path.join(SHARED_MNIST_DIR, "t10k-images-idx3-ubyte.gz"))


def load_shared_mnist():
    """Returns `((x_train, y_train), (x_test, y_test))`, images (n, 28, 28, 1) in [0, 1]."""
    images, labels = datasets.load_idx(
        os.path.join(SHARED_MNIST_DIR, "t10k-images-idx3-ubyte.gz"),
        os.path.join(SHARED_MNIST_DIR, "t10k-labels-idx1-ubyte.gz"),
    )
    images = (images.astype("float32") / 255.0)[..., None]
    labels = labels.astype("int64")
    split = MNIST_TRAIN_SIZE
    return (images[:split], labels[:split]), (images[split:], labels[split:])


def load_shared_mnist_named():
    """`(description, (x_train, y_train), (x_test, y_test))` of the shared MNIST split."""
    return ("shared MNIST (first 8,000 / last 2,000)", *load_shared_mnist())


def load_digits_arrays():
    """Returns `((x_train, y_train), (x_test, y_test))` from scikit-learn's bundled digits."""

    def to_arrays(split):
        pairs = list(datasets.load("digits", split).as_numpy_iterator())
        return np.stack([x for x, _ in pairs]), np.array([y for _, y in pairs])

    return to_arrays("train"), to_arrays("test")


def load_digit_images(prefer_mnist=True):
    """The shared MNIST split when present (and preferred), else the bundled digits.

    Returns:
        `(name, (x_train, y_train), (x_test, y_test))`.
    """
    if prefer_mnist and shared_mnist_available():
        return load_shared_mnist_named()
    return ("scikit-learn digits (1,500 / 297)", *load_digits_arrays())


def pad_crop_flip(image, label, pad=4, flip=True):
    """The CIFAR augmentation of He et al. 2016 and Lin et al. 2014: pad by `pad`
    pixels, crop back to the original size at random, and flip horizontally at random."""
    size = tf.shape(image)
    image = tf.image.random_crop(tf.pad(image, [[pad, pad], [pad, pad], [0, 0]]), size)
    if flip:
        image = tf.image.random_flip_left_right(image)
    return image, label


def load_tfds_arrays(name):
    """Returns `((x_train, y_train), (x_test, y_test))` of a tfds dataset as arrays.

    Needs the network the first time (tfds downloads the data).
    """

    def to_arrays(split):
        images, labels = [], []
        for image, label in datasets.load(name, split).batch(4096).as_numpy_iterator():
            images.append(image)
            labels.append(label)
        return np.concatenate(images), np.concatenate(labels)

    return to_arrays("train"), to_arrays("test")


def load_named(dataset):
    """`"mnist"`: the shared MNIST split (or digits if absent); `"digits"`; else a tfds name
    (`"tfds:NAME"` forces tfds for a name that is also a local one, e.g. `"tfds:mnist"`).

    Returns:
        `(description, (x_train, y_train), (x_test, y_test))`.
    """
    if dataset == "mnist":
        return load_digit_images(prefer_mnist=True)
    if dataset == "digits":
        return load_digit_images(prefer_mnist=False)
    name = dataset.removeprefix("tfds:")
    return (f"tfds {name}", *load_tfds_arrays(name))
