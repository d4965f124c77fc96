import numpy as np
import pytest
import tensorflow as tf

from keras_dl.datasets import domain_adaptation


def test_batches_zip_source_and_target_and_repeat_the_shorter():
    x_source = np.arange(10, dtype="float32")[:, None]
    y_source = np.arange(10)
    x_target = 100 + np.arange(4, dtype="float32")[:, None]
    batches = list(domain_adaptation((x_source, y_source), x_target, batch_size=4, shuffle=False))
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
    batches = list(domain_adaptation(source, target, batch_size=5, shuffle=False))
    assert len(batches) == 1
    (x_source, x_target), y_source = batches[0]
    assert x_target.shape == (5, 3)
    np.testing.assert_array_equal(y_source.numpy(), [1, 2, 1, 2, 1])


def epoch_contents(batches):
    """The (source, target, label) values of one pass, batch by batch."""
    return [(xs.numpy()[:, 0].tolist(), xt.numpy()[:, 0].tolist(), y.numpy().tolist())
            for (xs, xt), y in batches]


def test_shuffles_both_domains_every_epoch_keeping_batches_balanced_and_pairs_labelled():
    x_source = np.arange(12, dtype="float32")[:, None]
    x_target = 100 + np.arange(8, dtype="float32")[:, None]
    batches = domain_adaptation((x_source, 10 * np.arange(12)), x_target, batch_size=4, seed=0)
    first, second = epoch_contents(batches), epoch_contents(batches)
    assert first != second  # a new order every epoch
    for epoch in (first, second):
        assert [(len(xs), len(xt)) for xs, xt, _ in epoch] == [(4, 4)] * 3  # balanced
        sources = sorted(x for xs, _, _ in epoch for x in xs)
        assert sources == list(range(12))  # each source sample once per epoch
        assert all(y == [10 * x for x in xs] for xs, _, y in epoch)  # labels follow their images
        targets = [x for _, xt, _ in epoch for x in xt]
        assert sorted(targets[:8]) == list(100 + np.arange(8))  # the whole target before repeats
    again = domain_adaptation((x_source, 10 * np.arange(12)), x_target, batch_size=4, seed=0)
    assert epoch_contents(again) == first  # the seed fixes the sequence


def test_bad_arguments_are_named():
    source = (np.zeros((2, 3), "float32"), np.zeros(2))
    with pytest.raises(ValueError, match="batch_size"):
        domain_adaptation(source, np.zeros((2, 3)), batch_size=0)
    with pytest.raises(ValueError, match="source"):
        domain_adaptation(tf.data.Dataset.from_tensor_slices(np.zeros((2, 3))), np.zeros((2, 3)), 2)
    unknown_length = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3))).filter(lambda x: True)
    with pytest.raises(ValueError, match="target"):
        domain_adaptation(source, unknown_length, 2)
    with pytest.raises(TypeError, match="shuffle"):
        domain_adaptation(source, np.zeros((2, 3)), 2, shuffle="yes")
    with pytest.raises(TypeError, match="seed"):
        domain_adaptation(source, np.zeros((2, 3)), 2, seed=1.5)
    with pytest.raises(ValueError, match=r"source samples of shape \(3,\) and target samples"):
        domain_adaptation(source, np.zeros((2, 5)), 2)
