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


def write_idx(path, array, type_code, compress):
    header = bytes([0, 0, type_code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    payload = header + array.tobytes()
    with open(path, "wb") as file:
        file.write(gzip.compress(payload) if compress else payload)


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


def test_mismatched_label_count_is_refused(tmp_path):
    write_idx(tmp_path / "images", np.zeros((3, 2, 2), "u1"), 0x08, False)
    write_idx(tmp_path / "labels", np.zeros((4,), "u1"), 0x08, False)
    with pytest.raises(ValueError, match="labels_path"):
        load_idx(str(tmp_path / "images"), str(tmp_path / "labels"))


def test_non_idx_and_truncated_files_are_refused(tmp_path):
    (tmp_path / "text").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not an IDX file"):
        load_idx(str(tmp_path / "text"))
    write_idx(tmp_path / "short", np.zeros((3, 2, 2), "u1"), 0x08, False)
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-1])
    with pytest.raises(ValueError, match="header announces"):
        load_idx(str(tmp_path / "short"))
