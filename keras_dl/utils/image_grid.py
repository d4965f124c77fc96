"""Arranging images into one grid picture, for TensorBoard and PNG files."""

import keras
import numpy as np


def as_images(array):
    """Images `(n, h, w[, c])` from model outputs; flat vectors of square length become
    square images."""
    array = np.asarray(array, dtype="float32")
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(f"cannot show vectors of length {array.shape[1]} as square images")
        array = array.reshape(-1, side, side)
    return array


def image_grid(images, columns=None, padding=1):
    """Tiles `images` `(n, height, width[, channels])` into one `(H, W, channels)` array.

    Each image is scaled to [0, 1] by the minimum and maximum of all images
    (weights and filters are not in [0, 1]); empty cells stay black.
    """
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"`images` must have shape (n, height, width[, channels]), received {images.shape}"
        )
    low, high = images.min(), images.max()
    images = (images - low) / (high - low) if high > low else np.zeros_like(images)
    count, height, width, channels = images.shape
    columns = columns or int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    grid = np.zeros(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        "float32",
    )
    for index, image in enumerate(images):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def write_png(path, grid, scale=1):
    """Writes a grid in [0, 1] as a PNG file, enlarged `scale` times (with TensorFlow's PNG
    encoder, on every Keras backend)."""
    import tensorflow as tf

    if scale > 1:
        grid = np.kron(grid, np.ones((scale, scale, 1), "float32"))
    tf.io.write_file(path, tf.io.encode_png(tf.cast(np.round(grid * 255), tf.uint8)))


def reconstruction_grid(owner, reconstruct, inputs, num_images):
    """`{"reconstructions": grid}`: the first `num_images` of `inputs` above what
    `reconstruct` makes of them, for `keras_dl.callbacks.ImageSampler`; a ValueError naming
    `owner` without `inputs`."""
    if inputs is None:
        raise ValueError(
            f"{owner}.summary_images() needs `inputs` to reconstruct: give the callback "
            "samples, e.g. ImageSampler(log_dir=..., inputs=x[:16])"
        )
    inputs = np.asarray(inputs)[:num_images]
    reconstructions = keras.ops.convert_to_numpy(reconstruct(inputs))
    pairs = np.concatenate([as_images(inputs), as_images(reconstructions)])
    return {"reconstructions": image_grid(pairs, columns=len(inputs))}
