"""Everything keras_dl relies on in Keras beyond its public API, in one place.

Each function says which Keras attribute or behaviour it depends on (Keras
3.x; the TensorFlow backend unless it names another); `tests/utils/test_keras_compat.py`
checks each of them, so an upgrade of Keras that changes one fails there, loudly, instead of
somewhere inside a training step. Library code outside this module uses the
public API only.
"""

import keras
from keras import ops
from keras.src.backend.common import stateless_scope
from keras.src.trainers.compile_utils import MetricsList


def compiled_metrics(model):
    """The `CompileMetrics` that `compile(metrics=...)` created, or None.

    Relies on `Trainer._compile_metrics`. Models with their own loss trackers
    list it in their `metrics` beside the trackers, without Keras' own `loss`
    tracker (which such models never update).
    """
    return model._compile_metrics


def build_compiled_metrics(model, predictions_fn):
    """Builds the compiled metrics (and, on JAX, the compiled loss), if any and not
    built yet, on the pair `predictions_fn()` returns (`(y_true, y_pred)`, or None
    for no metrics pair).

    Keras builds them when it first sees a batch, from `(y, model(x))`
    (`Trainer._symbolic_build`: under a `tf.distribute` strategy, and on every
    `fit` of the JAX trainer). For models whose metrics and loss compare other
    pairs (an RBM's data and reconstructions, whose `call` gives hidden
    probabilities; a domain-adversarial model, whose training inputs are a
    source and a target batch), they are built here first, on the right pair,
    so that Keras leaves them as they are (`CompileMetrics.build`,
    `CompileLoss.build`; `_symbolic_build` skips both once `built`). On
    TensorFlow the compiled loss is left to the first step, which builds it on
    the pair the model passes.
    """
    containers = [compiled_metrics(model)]
    if keras.backend.backend() != "tensorflow":
        containers.append(model._compile_loss)
    pending = [container for container in containers
               if container is not None and not container.built]
    if not pending:
        return
    predictions = predictions_fn()
    if predictions is not None:
        for container in pending:
            container.build(*predictions)


def logits_of_sigmoid(outputs):
    """The logits a sigmoid output was computed from, or None.

    Keras' TensorFlow backend keeps them on the output of `sigmoid` as
    `_keras_logits`, and its binary cross-entropy uses them instead of the
    probabilities (no saturation, no clipping); so does keras_dl for a domain
    classifier that ends in a sigmoid.
    """
    return getattr(outputs, "_keras_logits", None)


def call_has_training_arg(layer):
    """Whether `layer.call` takes a `training` argument (`Layer._call_has_training_arg`)."""
    return layer._call_has_training_arg


def _in_multi_worker_mode(strategy):
    import tensorflow as tf

    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and (
        strategy.extended._in_multi_worker_mode()
    )


class MultiWorkerSymbolicBuild:
    """A `keras.Model` mixin: `fit` under a multi-worker strategy with integer labels.

    Before training under a strategy, Keras' TensorFlow trainer builds the
    model from the first batch, which it first averages over replicas with
    `strategy.reduce("MEAN", batch)` (`TensorFlowTrainer._maybe_symbolic_build`);
    under a `MultiWorkerMirroredStrategy` in multi-worker mode that fails for
    batches with integer tensors, e.g. `(images, labels)` ("Attempt to
    convert a value (PerReplica ...) to a Tensor"). Building from this
    worker's own replica of the batch gives the same shapes and dtypes.
    """

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        import tensorflow as tf

        if data_batch is None and iterator is not None and _in_multi_worker_mode(
            self.distribute_strategy
        ):
            for _, _, batches in iterator:
                data_batch = tf.nest.map_structure(
                    lambda value: self.distribute_strategy.experimental_local_results(value)[0]
                    if isinstance(value, tf.distribute.DistributedValues) else value,
                    next(batches),
                )
                break
            iterator = None
        return super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)


def logs_reducible_across_workers(logs):
    """Logs that `fit` can reduce under a multi-worker strategy.

    Keras' TensorFlow trainer reduces a step's logs with
    `strategy.reduce("MEAN", value, axis=0)` under a
    `MultiWorkerMirroredStrategy` in multi-worker mode
    (`keras.src.backend.tensorflow.trainer.reduce_per_replica`), which fails
    on scalars ("Invalid reduction dimension 0 for input with 0 dimensions",
    tensorflow/tensorflow#72388). Giving each scalar a leading axis of one
    makes that reduction the mean over the replicas, a scalar again. Other
    strategies, and the other backends, get the logs unchanged.
    """
    if keras.backend.backend() != "tensorflow":
        return logs
    import tensorflow as tf

    in_replica = tf.distribute.has_strategy() and not tf.distribute.in_cross_replica_context()
    if not (in_replica and _in_multi_worker_mode(tf.distribute.get_strategy())):
        return logs
    return {name: ops.reshape(value, (1,)) if len(ops.shape(value)) == 0 else value
            for name, value in logs.items()}


def declare_direction(metric, direction):
    """Declares that `metric` improves `"up"` or `"down"`.

    Keras' monitoring callbacks (`EarlyStopping`, `ModelCheckpoint`,
    `ReduceLROnPlateau`) with `mode="auto"` read a metric's `_direction`
    (`keras.src.callbacks.monitor_callback.MonitorCallback._set_monitor_op`),
    which Keras' own accuracy-like metrics set to `"up"`.
    """
    metric._direction = direction


def monitorable_metrics_list(metrics):
    """`metrics` as one metric whose result is `{name: result}`, where Keras' monitoring
    callbacks find them.

    With `mode="auto"` those callbacks look for the monitored metric only inside
    the `CompileMetrics`/`MetricsList` containers of `model.metrics`
    (`MonitorCallback._set_monitor_op`); a bare metric there is not found.
    Relies on `keras.src.trainers.compile_utils.MetricsList`, which Keras itself
    reads only through its `get_result()`.
    """
    return _MonitorableMetricsList(metrics, name="loss_trackers")


class _MonitorableMetricsList(MetricsList):
    def result(self):
        return self.get_result()


class ForkedStatelessScope(keras.StatelessScope):
    """A `keras.StatelessScope` that starts from the values of the enclosing one.

    Inside it every variable reads its value in the enclosing stateless
    scope (if any), except those given in `state_mapping`, and assignments
    are recorded here, not there; `assigned` lists the variables assigned
    inside. That is what a JAX transformation (`jax.grad`, `jax.jacrev`) of
    stateful Keras code needs: the traced values of the differentiated
    variables, the enclosing step's values of all others (whose own values
    Keras' JAX trainer has purged during `fit`), and the assignments made
    inside, to be returned out of the transformation rather than leaked.

    Relies on `StatelessScope.state_mapping` (a dict from `id(variable)` to
    its value), on `keras.src.backend.common.stateless_scope.get_stateless_scope`
    and on `Variable.assign` inside a stateless scope calling the scope's
    `add_update((variable, value))`.
    """

    def __init__(self, state_mapping=()):
        super().__init__(state_mapping=list(state_mapping))
        enclosing = stateless_scope.get_stateless_scope()
        inherited = dict(enclosing.state_mapping) if enclosing is not None else {}
        inherited.update(self.state_mapping)
        self.state_mapping = inherited
        self.assigned = {}

    def add_update(self, update):
        super().add_update(update)
        self.assigned[id(update[0])] = update[0]


def sync_training_state(model):
    """Lets a callback assign a model variable during `fit` on JAX.

    Keras' JAX trainer keeps the model's state out of its variables during an
    epoch and reads them again only after `JAXTrainer.jax_state_sync()`, which
    writes the state back and sets `_jax_state_synced`; an assignment made
    without it is lost at the next step. Call this before assigning. Other
    backends assign variables in place: nothing to do.
    """
    if keras.backend.backend() == "jax" and getattr(model, "_jax_state", None):
        model.jax_state_sync()


def optimizer_trainable_variables(optimizer):
    """The variables `optimizer` was built for, in the order its `stateless_apply`
    takes their values and gradients (`BaseOptimizer._trainable_variables`)."""
    return optimizer._trainable_variables


def portable_config(config):
    """A serialized config (nested dicts and lists) with every optimizer that Keras' torch
    backend serialized under its own module named by its public class instead
    (`keras.optimizers.Adam`), as the other backends name theirs.

    Relies on Keras' torch backend replacing `keras.optimizers.Adam` and its kin by
    subclasses of the same name (`keras.src.backend.torch.optimizers`, made by
    `TorchOptimizer.__new__`), which serialize with that module: a `.keras` file saved on
    torch would otherwise import torch wherever it is loaded. Loaded on torch, the public
    name gives the torch subclass again.
    """
    if isinstance(config, list):
        return [portable_config(value) for value in config]
    if not isinstance(config, dict):
        return config
    config = {key: portable_config(value) for key, value in config.items()}
    module, name = config.get("module"), config.get("class_name")
    if (isinstance(module, str) and module.startswith("keras.src.backend.")
            and isinstance(getattr(keras.optimizers, str(name), None), type)):
        config.update(module="keras.optimizers", registered_name=None)
    return config
