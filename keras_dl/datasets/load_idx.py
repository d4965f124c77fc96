"""Reader for the IDX file format of MNIST, Fashion-MNIST and KMNIST."""

import gzip

import numpy as np

from keras_dl.utils.api_export import keras_dl_export

# The third byte of an IDX file's magic number names the element type.
IDX_DTYPES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
GZIP_MAGIC = b"\x1f\x8b"


@keras_dl_export("keras_dl.datasets.load_idx")
def load_idx(images_path, labels_path=None):
    """Reads IDX files (plain or gzip-compressed) into NumPy arrays.

    The format (LeCun et al., http://yann.lecun.com/exdb/mnist/): two zero
    bytes, a type code, the number of dimensions, one big-endian uint32 per
    dimension, then the data in row-major order.

    Args:
        images_path: path of the images file, e.g. `t10k-images-idx3-ubyte.gz`.
        labels_path: optional path of the matching labels file.

    Returns:
        The images array (e.g. uint8 of shape `(10000, 28, 28)`), or the tuple
        `(images, labels)` when `labels_path` is given.

    Raises:
        ValueError: if a file is not IDX, is truncated, or the label count does
            not match the image count.
    """
    images = _read_idx(images_path)
    if labels_path is None:
        return images
    labels = _read_idx(labels_path)
    if labels.shape[0] != images.shape[0]:
        raise ValueError(
            f"`labels_path` holds {labels.shape[0]} labels but `images_path` holds "
            f"{images.shape[0]} images"
        )
    return images, labels


def _read_idx(path):
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == GZIP_MAGIC:
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in IDX_DTYPES:
        raise ValueError(f"{path!r} is not an IDX file: expected the magic 00 00 <type> <ndim>")
    dtype, ndim = IDX_DTYPES[data[2]], data[3]
    header_size = 4 + 4 * ndim
    shape = tuple(int(size) for size in np.frombuffer(data[4:header_size], dtype=">u4"))
    expected_size = header_size + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected_size:
        raise ValueError(
            f"{path!r} is not a valid IDX file: its header announces shape {shape} "
            f"({expected_size} bytes) but the file has {len(data)} bytes"
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(shape)
    return array.astype(dtype.newbyteorder("="))
