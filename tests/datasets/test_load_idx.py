import gzip
import hashlib
import os

import numpy as np
import pytest

from keras_dl.datasets import load_idx

MNIST_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist")
MNIST_IMAGES = os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")
MNIST_LABELS = os.path.join(MNIST_DIR, "t10k-labels-idx1-ubyte.gz")
needs_mnist = pytest.mark.skipif(
    not os.path.exists(MNIST_IMAGES), reason=f"the shared MNIST test set is absent ({MNIST_DIR})"
)


def idx_bytes(array, type_code=0x08):
    header = bytes([0, 0, type_code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    return header + array.tobytes()


def write(path, data):
    path.write_bytes(data)
    return str(path)


def write_idx(path, array, type_code=0x08, compress=False):
    payload = idx_bytes(array, type_code)
    return write(path, gzip.compress(payload) if compress else payload)


def images_and_labels(directory, num_images, num_labels):
    """Writes `num_images` 2x2 images and `num_labels` labels as IDX files; returns the paths."""
    return (
        write_idx(directory / "images.idx", np.zeros((num_images, 2, 2), "u1")),
        write_idx(directory / "labels.idx", np.zeros(num_labels, "u1")),
    )


@needs_mnist
def test_reads_the_shared_mnist_test_set():
    images, labels = load_idx(MNIST_IMAGES, MNIST_LABELS)
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    # MD5 of the uncompressed file, from shared/data/README.md.
    with gzip.open(MNIST_IMAGES) as file:
        assert hashlib.md5(file.read()).hexdigest() == "2646ac647ad5339dbf082846283269ea"
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert images.max() == 255 and images.min() == 0


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize(
    "dtype, type_code",
    [("u1", 0x08), ("i1", 0x09), (">i2", 0x0B), (">i4", 0x0C), (">f4", 0x0D), (">f8", 0x0E)],
)
def test_round_trips_every_idx_type(tmp_path, dtype, type_code, compress):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype if dtype != "u1" else "u1")
    if dtype == "u1":
        array = np.arange(24, dtype="u1").reshape(2, 3, 4)
    path = tmp_path / "data.idx"
    write_idx(path, array, type_code, compress)
    np.testing.assert_array_equal(load_idx(str(path)), array)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "load_idx_missing_file": (
        lambda t: load_idx(str(t / "missing.idx")),
        FileNotFoundError,
        "missing.idx",
    ),
    "load_idx_not_idx": (
        lambda t: load_idx(write(t / "a.txt", b"hello world")),
        ValueError,
        "is not an IDX file",
    ),
    "load_idx_truncated": (
        lambda t: load_idx(write(t / "a.idx", idx_bytes(np.zeros((4, 2), "u1"))[:-3])),
        ValueError,
        "header announces shape (4, 2)",
    ),
    "load_idx_gzip_not_idx": (
        lambda t: load_idx(write(t / "a.gz", gzip.compress(b"\x01\x02\x03\x04"))),
        ValueError,
        "is not an IDX file",
    ),
    "load_idx_label_count": (
        lambda t: load_idx(*images_and_labels(t, 4, 3)),
        ValueError,
        "holds 3 labels",
    ),
    "load_idx_more_labels_than_images": (
        lambda t: load_idx(*images_and_labels(t, 3, 4)),
        ValueError,
        "`labels_path` holds 4 labels",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
