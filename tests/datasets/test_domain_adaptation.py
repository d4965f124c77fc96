import numpy as np
import pytest
import tensorflow as tf

from keras_dl.datasets import domain_adaptation


def test_batches_zip_source_and_target_and_repeat_the_shorter():
    x_source = np.arange(10, dtype="float32")[:, None]
    y_source = np.arange(10)
    x_target = 100 + np.arange(4, dtype="float32")[:, None]
    batches = list(domain_adaptation((x_source, y_source), x_target, batch_size=4))
    assert [int(y.shape[0]) for _, y in batches] == [4, 4, 2]
    sources = np.concatenate([xs.numpy()[:, 0] for (xs, _), _ in batches])
    targets = np.concatenate([xt.numpy()[:, 0] for (_, xt), _ in batches])
    labels = np.concatenate([y.numpy() for _, y in batches])
    np.testing.assert_array_equal(sources, np.arange(10))
    np.testing.assert_array_equal(labels, np.arange(10))
    np.testing.assert_array_equal(targets, 100 + np.arange(10) % 4)


def test_longer_target_repeats_the_source_and_drops_target_labels():
    source = tf.data.Dataset.from_tensor_slices((np.zeros((2, 3), "float32"), np.array([1, 2])))
    target = tf.data.Dataset.from_tensor_slices((np.ones((5, 3), "float32"), np.zeros(5)))
    batches = list(domain_adaptation(source, target, batch_size=5))
    assert len(batches) == 1
    (x_source, x_target), y_source = batches[0]
    assert x_target.shape == (5, 3)
    np.testing.assert_array_equal(y_source.numpy(), [1, 2, 1, 2, 1])


def test_bad_arguments_are_named():
    source = (np.zeros((2, 3), "float32"), np.zeros(2))
    with pytest.raises(ValueError, match="batch_size"):
        domain_adaptation(source, np.zeros((2, 3)), batch_size=0)
    with pytest.raises(ValueError, match="source"):
        domain_adaptation(tf.data.Dataset.from_tensor_slices(np.zeros((2, 3))), np.zeros((2, 3)), 2)
    unknown_length = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3))).filter(lambda x: True)
    with pytest.raises(ValueError, match="target"):
        domain_adaptation(source, unknown_length, 2)
