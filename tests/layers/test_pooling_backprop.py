"""Backpropagation through pooling, checked against a NumPy reference.

Max pooling sends each window's upstream gradient to the window's argmax only;
average pooling shares it equally over the window; with overlapping windows
the contributions of every window accumulate.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl.layers import MaxPoolingWithArgmax2D


def windows(height, width, pool, stride):
    for row in range(0, height - pool + 1, stride):
        for column in range(0, width - pool + 1, stride):
            yield (
                row // stride,
                column // stride,
                slice(row, row + pool),
                slice(column, column + pool),
            )


def max_pool_gradient_reference(x, upstream, pool, stride):
    gradient = np.zeros_like(x)
    for n in range(x.shape[0]):
        for c in range(x.shape[3]):
            for i, j, rows, columns in windows(x.shape[1], x.shape[2], pool, stride):
                window = x[n, rows, columns, c]
                r, s = np.unravel_index(np.argmax(window), window.shape)
                gradient[n, rows.start + r, columns.start + s, c] += upstream[n, i, j, c]
    return gradient


def average_pool_gradient_reference(x, upstream, pool, stride):
    gradient = np.zeros_like(x)
    for i, j, rows, columns in windows(x.shape[1], x.shape[2], pool, stride):
        gradient[:, rows, columns, :] += upstream[:, i, j, None, None, :] / pool**2
    return gradient


def tensorflow_gradient(pooling, x, upstream):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        pooled = pooling(x)
        pooled = pooled[0] if isinstance(pooled, tuple) else pooled
        loss = tf.reduce_sum(pooled * upstream)
    return tape.gradient(loss, x).numpy()


@pytest.mark.parametrize("pool, stride", [(2, 2), (3, 2), (3, 1)])
def test_pooling_gradients_match_numpy(pool, stride):
    rng = np.random.default_rng(pool * 10 + stride)
    x = rng.normal(size=(2, 9, 9, 3)).astype("float32")
    pooled_size = (9 - pool) // stride + 1
    upstream = rng.normal(size=(2, pooled_size, pooled_size, 3)).astype("float32")

    expected_max = max_pool_gradient_reference(x, upstream, pool, stride)
    expected_average = average_pool_gradient_reference(x, upstream, pool, stride)
    keras_max = keras.layers.MaxPooling2D(pool, stride)
    keras_average = keras.layers.AveragePooling2D(pool, stride)
    ours = MaxPoolingWithArgmax2D(pool, stride)

    np.testing.assert_allclose(tensorflow_gradient(keras_max, x, upstream), expected_max, atol=1e-6)
    np.testing.assert_allclose(tensorflow_gradient(ours, x, upstream), expected_max, atol=1e-6)
    np.testing.assert_allclose(
        tensorflow_gradient(keras_average, x, upstream), expected_average, atol=1e-6
    )


def test_max_pool_gradient_reaches_one_position_per_window():
    x = np.random.default_rng(5).normal(size=(1, 8, 8, 1)).astype("float32")
    upstream = np.ones((1, 4, 4, 1), "float32")
    gradient = tensorflow_gradient(keras.layers.MaxPooling2D(2), x, upstream)
    blocks = gradient.reshape(4, 2, 4, 2).transpose(0, 2, 1, 3).reshape(16, 4)
    np.testing.assert_array_equal((blocks != 0).sum(axis=1), np.ones(16))
