import importlib

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_dl.datasets import load


def test_digits_are_offline_scaled_and_split():
    train, test = list(load("digits", "train")), list(load("digits", "test"))
    assert len(train) == 1500 and len(test) == 297
    images = np.stack([image.numpy() for image, _ in train])
    labels = np.array([label.numpy() for _, label in train])
    assert images.shape == (1500, 8, 8, 1) and images.dtype == np.float32
    assert images.min() == 0.0 and images.max() == 1.0
    assert labels.dtype == np.int64 and set(labels.tolist()) == set(range(10))
    assert len(list(load("digits", "all"))) == 1797


def test_digits_in_mnist_framing():
    framed = np.stack([image.numpy() for image, _ in load("digits", "test", image_size=28)])
    small = np.stack([image.numpy() for image, _ in load("digits", "test")])
    assert framed.shape == (297, 28, 28, 1) and framed.dtype == np.float32
    assert framed.min() >= 0.0 and framed.max() <= 1.0
    # A 4-pixel empty margin around the 20x20 digit box, as in MNIST.
    assert framed[:, :4].max() == 0 and framed[:, -4:].max() == 0
    assert framed[:, :, :4].max() == 0 and framed[:, :, -4:].max() == 0
    box = framed[:, 4:24, 4:24, 0]
    # The box is the 8x8 image upsampled: same mean ink, and averaging 2.5x2.5 blocks
    # back gives nearly the original pixels.
    np.testing.assert_allclose(box.mean(), small.mean(), rtol=1e-3)
    downsampled = tf.image.resize(box[..., None], (8, 8), method="area").numpy()
    assert np.corrcoef(downsampled.ravel(), small.ravel())[0, 1] > 0.95


def test_tfds_path_scales_images_without_network():
    with tfds.testing.mock_data(num_examples=5):
        dataset = load("mnist", split="train")
        examples = list(dataset)
    assert len(examples) == 5
    image, label = examples[0]
    assert image.dtype == tf.float32 and tuple(image.shape) == (28, 28, 1)
    assert 0.0 <= float(tf.reduce_min(image)) and float(tf.reduce_max(image)) <= 1.0
    assert label.dtype == tf.int64


def test_unprepared_tfds_data_without_download_fails_at_once(tmp_path):
    with pytest.raises(FileNotFoundError, match="not prepared.*download=False.*digits"):
        load("mnist", data_dir=str(tmp_path / "missing"), download=False)


def test_unprepared_tfds_data_offline_fails_at_once_with_what_to_do(tmp_path, monkeypatch):
    load_module = importlib.import_module("keras_dl.datasets.load")
    monkeypatch.setattr(load_module, "_download_host_reachable", lambda: False)
    with pytest.raises(ConnectionError, match="connect to the network.*data_dir.*digits"):
        load("mnist", data_dir=str(tmp_path / "missing"))


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "load_name_type": (lambda t: load(3), TypeError, "`name`"),
    "load_unknown_name": (
        lambda t: load("no_such_dataset_anywhere"),
        ValueError,
        "`name` must be 'digits' or a tensorflow_datasets name",
    ),
    "load_digits_split": (lambda t: load("digits", "validation"), ValueError, "`split`"),
    "load_digits_kwargs": (
        lambda t: load("digits", data_dir=str(t)),
        TypeError,
        "takes only `image_size`",
    ),
    "load_unprepared_without_download": (
        lambda t: load("mnist", data_dir=str(t / "none"), download=False),
        FileNotFoundError,
        "not prepared",
    ),
    "load_digits_image_size": (lambda t: load("digits", image_size=32), ValueError, "`image_size`"),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
