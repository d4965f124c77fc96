"""Replica arithmetic (`keras_dl.models.base.replicas`): each function against what one
replica with the same global batch computes, on a two-replica `MirroredStrategy`."""

import keras
import numpy as np
import tensorflow as tf

from keras_dl.models.base import replicas
from keras_dl.testing import two_replica_strategy


def dense_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def on_replicas(strategy, function, *args):
    values = strategy.run(function, args=args)
    return [np.asarray(v) for v in strategy.experimental_local_results(values)]


def test_outside_a_strategy_everything_is_the_identity():
    assert replicas.replicas_in_sync() == 1
    assert float(replicas.replica_share(3.0)) == 3.0
    np.testing.assert_array_equal(replicas.mean_over_replicas(np.ones(2)), np.ones(2))
    np.testing.assert_array_equal(replicas.sum_over_replicas(np.ones(2)), np.ones(2))


def test_two_replicas_share_losses_and_reduce_statistics_of_the_global_batch():
    strategy = two_replica_strategy()
    assert on_replicas(strategy, lambda: replicas.replica_share(3.0)) == [1.5, 1.5]
    shares = strategy.experimental_distribute_values_from_function(
        lambda context: tf.constant(context.replica_id_in_sync_group + 1.0))
    mean = on_replicas(strategy, replicas.mean_over_replicas, shares)
    np.testing.assert_allclose(mean, [1.5, 1.5])
    np.testing.assert_allclose(on_replicas(strategy, replicas.sum_over_replicas, shares), [3.0] * 2)


def test_global_state_is_read_once_not_summed_over_replicas():
    strategy = two_replica_strategy()
    with strategy.scope():
        layer = keras.layers.Layer()
        state = replicas.add_global_state(layer, "count", ())
    strategy.run(lambda: state.assign_add(replicas.sum_over_replicas(tf.constant(1.0))))
    assert float(state.numpy()) == 2.0
    assert not state.trainable


def test_keras_divides_compiled_losses_by_the_replicas_and_replicas_undoes_it():
    x = np.arange(12, dtype="float32").reshape(4, 3)
    y = np.ones((4, 2), "float32")
    strategy = two_replica_strategy()
    with strategy.scope():
        model = dense_model()
        model.compile(optimizer="sgd", loss="mse")
    y_pred = model(x)
    plain = float(keras.losses.mean_squared_error(y, y_pred).numpy().mean())

    def on_replica(function):
        return [float(v) for v in on_replicas(strategy, lambda: function(model, x, y, y_pred))]

    scaled = on_replica(lambda m, *data: m.compute_loss(x=data[0], y=data[1], y_pred=data[2]))
    np.testing.assert_allclose(scaled, [plain / 2, plain / 2], rtol=1e-5)
    unscaled = on_replica(replicas.compiled_loss_as_replica_mean)
    np.testing.assert_allclose(unscaled, [plain, plain], rtol=1e-5)


