"""Every piece of arithmetic across replicas that keras_dl models do, in one module.

Under a `tf.distribute` strategy each replica runs the training step on its share of
the global batch, and the gradients of the replicas are summed. The models keep the
update of one replica with the same global batch by:

- dividing their mean loss (or closed-form gradients) by the replicas in sync
  (`replica_share`), after undoing the same division that Keras applies to the
  losses it reduces itself (`compiled_loss_as_replica_mean`);
- computing batch statistics (a mean activation, data sums) over the global batch
  (`mean_over_replicas`, `sum_over_replicas`);
- keeping state that every replica updates identically from global statistics in
  variables aggregated as the first replica's value (`add_global_state`).

Outside a strategy, or with one replica, each of these is the identity; so are they
on the backends without `tf.distribute` (JAX: `keras.distribution` runs one step on
the global batch, so its statistics are already global).
"""

import keras
from keras import ops

# Every replica assigns the same value (computed from global statistics): keep the first.
GLOBAL_STATE_AGGREGATION = "only_first_replica"


def _distribute():
    """`tf.distribute` on the TensorFlow backend, None on the others."""
    if keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    return tf.distribute


def replicas_in_sync():
    """The number of replicas of the current `tf.distribute` strategy (1 outside one)."""
    distribute = _distribute()
    return 1 if distribute is None else distribute.get_strategy().num_replicas_in_sync


def replicas_of(model):
    """The number of replicas of the strategy `model` was created under (1 on the
    backends without `tf.distribute`)."""
    if _distribute() is None:
        return 1
    return model.distribute_strategy.num_replicas_in_sync


def replica_share(value):
    """`value / replicas in sync`: this replica's share of a mean loss or of gradients of
    one, so that the gradients summed over replicas equal those of the global mean."""
    return value / replicas_in_sync()


def compiled_loss_as_replica_mean(model, x, y, y_pred, sample_weight=None, training=True):
    """The compiled loss (plus `model.losses`) as the plain mean over this replica's batch.

    Under a strategy Keras divides every loss it reduces by the replicas in sync
    (`keras.src.losses.loss.scale_loss_for_distribution`, also applied to
    `model.losses`); keras_dl's steps divide their whole objective once
    (`replica_share`), so this undoes Keras' division.
    """
    loss = model.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                              training=training)
    return ops.cast(loss, "float32") * replicas_in_sync()


def mean_over_replicas(value):
    """The mean of `value` over the replicas in sync (differentiable): a statistic of the
    global batch from each replica's statistic of its equal share."""
    return _all_reduce("MEAN", value)


def sum_over_replicas(value):
    """The sum of `value` over the replicas in sync: totals of the global batch."""
    return _all_reduce("SUM", value)


def _all_reduce(reduction, value):
    distribute = _distribute()
    if distribute is None:
        return value
    context = distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce(reduction, value)


def add_global_state(layer, name, shape):
    """A non-trainable, zero-initialised variable of `layer` that every replica updates
    with the same value (from `sum_over_replicas`/`mean_over_replicas` statistics), so
    that it is read back once, not summed over replicas."""
    return layer.add_weight(name=name, shape=shape, initializer="zeros", trainable=False,
                            aggregation=GLOBAL_STATE_AGGREGATION)
