"""The shared base of keras_dl models that train with their own `train_step`.

It solves once the Keras 3 mechanics that such models run into (see
`shared/KERAS3-NOTES.md` in the project):

- Loss trackers are `keras.metrics.Mean` objects returned by `metrics`, so
  `fit` resets them every epoch and logs epoch means.
- `gradient_step` divides the loss by the number of replicas in sync before
  differentiating (gradients are summed across replicas), so a two-replica
  `MirroredStrategy` run makes the same update as one replica with the same
  global batch, and applies the optimizer's loss scaling (mixed precision).
- Models with several optimizers (GANs) declare them in
  `named_optimizers`; `compile` takes them as keyword arguments, gives each
  sub-network its own optimizer (cloning one passed twice), builds them on
  their variables at once (an optimizer created inside an XLA-compiled step
  fails), and `get_compile_config`/`compile_from_config` round-trip them
  through `.keras` files so that training resumes with their state.
- `export` writes a SavedModel with the `serve` endpoint and the extra
  endpoints a model declares in `export_endpoints`.
- `fit` stops with a `FloatingPointError` naming the quantity and the step
  when a logged value becomes NaN or infinite, instead of training on.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_dl.utils.api_export import keras_dl_export


def tensor_specs(shapes):
    """`tf.TensorSpec`s with a free batch dimension for a shape or a list of shapes."""
    if isinstance(shapes, list):
        return [tf.TensorSpec((None, *shape[1:]), tf.float32) for shape in shapes]
    return tf.TensorSpec((None, *shapes[1:]), tf.float32)


def input_of(data):
    """The model input of a batch that `fit` gives as `x` or `(x, ...)`."""
    return data[0] if isinstance(data, (tuple, list)) else data


def batch_size_of(data):
    """The number of samples in a batch of any nesting (first dimension of its first tensor)."""
    return tf.shape(tf.nest.flatten(data)[0])[0]


def mean_over_replicas(value):
    """The mean of `value` over the replicas in sync (differentiable; `value` itself
    outside a distribution strategy): batch statistics of the global batch."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return value
    return context.all_reduce("MEAN", value)


def _split_loss(objective):
    loss, logs, predictions = objective
    return loss, (logs, predictions)


class NonFiniteLossError(FloatingPointError):
    """Raised by `fit` when a logged training quantity becomes NaN or infinite."""


class _StopOnNonFinite(keras.callbacks.Callback):
    """Raises `NonFiniteLossError` at the first non-finite logged value.

    Each batch's logs are read when the next batch ends (and at the end of
    the epoch), so that reading them never waits for a step in flight: the
    check costs no pipelining, and training stops at most one step late.
    """

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.pending = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._check_pending()
        self.pending = (batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._check_pending()

    def _check_pending(self):
        if self.pending is None:
            return
        batch, logs = self.pending
        self.pending = None
        for name, value in (logs or {}).items():
            value = np.asarray(value)
            if value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise NonFiniteLossError(
                    f"{self.model.name}: training produced a non-finite {name} ({value}) at "
                    f"epoch {self.epoch + 1}, batch {batch + 1}. The weights are no longer "
                    "usable; lower the learning rate, check the inputs for NaN/inf and their "
                    "scale, or clip the gradients (e.g. `clipnorm=1.0` on the optimizer)."
                )


@keras_dl_export("keras_dl.models.BaseModel")
class BaseModel(keras.Model):
    """Base class of keras_dl models with a custom `train_step`.

    Subclasses name their logged quantities in `tracker_names`, create their
    sub-networks and weights in `__init__`/`build`, and implement
    `compute_objective` (one optimizer) or `train_step` (several, computing
    each loss inside `gradient_step` and updating the trackers with
    `update_trackers`).

    Args:
        seed: optional int, the seed of `self.seed_generator` (for models
            that sample).
        **kwargs: `keras.Model` arguments.

    Class attributes:
        tracker_names: the names of the `keras.metrics.Mean` trackers logged
            by `fit` and `evaluate` (reset every epoch).
        serialized_networks: the constructor arguments that are Keras models
            (kept as attributes of the same name), serialized into the config.
        named_optimizers: mapping from the extra `compile` keyword (e.g.
            `"generator_optimizer"`) to the name of the method returning the
            variables that optimizer trains. Empty for models trained by the
            ordinary `optimizer`.
    """

    named_optimizers = {}
    tracker_names = ()
    serialized_networks = ()

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._trackers = [keras.metrics.Mean(name=name) for name in self.tracker_names]
        self._optimizers_by_name = {}

    # Logged quantities -------------------------------------------------------

    @property
    def metrics(self):
        metrics = list(self._trackers)
        if self._compile_metrics is not None:
            metrics.append(self._compile_metrics)
        return metrics

    def update_trackers(self, batch_size, **values):
        """Updates the trackers named in `values`, weighting each by `batch_size`."""
        by_name = {tracker.name: tracker for tracker in self._trackers}
        for name, value in values.items():
            by_name[name].update_state(value, sample_weight=batch_size)

    # The default training loop ------------------------------------------------

    def compute_objective(self, data, training):
        """Returns `(loss, logs, predictions)` for one batch.

        `loss` is the scalar mean loss to minimise with `self.optimizer`,
        `logs` maps tracker names to this batch's values, and `predictions`
        is `(y_true, y_pred)` for the compiled metrics, or None. Models with
        a single optimizer implement this and inherit `train_step` and
        `test_step`; models with several optimizers override `train_step`.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement compute_objective()")

    def _finish_step(self, data, logs, predictions):
        self.update_trackers(batch_size_of(data), **logs)
        if predictions is not None and self._compile_metrics is not None:
            return self.compute_metrics(None, *predictions)
        return self.get_metrics_result()

    def train_step(self, data):
        _, (logs, predictions) = self.gradient_step(
            self.optimizer,
            self.trainable_variables,
            lambda: _split_loss(self.compute_objective(data, training=True)),
        )
        return self._finish_step(data, logs, predictions)

    def test_step(self, data):
        _, logs, predictions = self.compute_objective(data, training=False)
        return self._finish_step(data, logs, predictions)

    # Gradient steps ------------------------------------------------------------

    @staticmethod
    def replica_count():
        return tf.distribute.get_strategy().num_replicas_in_sync

    def gradient_step(self, optimizer, variables, loss_fn):
        """Minimises `loss_fn()` over `variables` with `optimizer`.

        Args:
            optimizer: the optimizer built for `variables`.
            variables: the variables to update.
            loss_fn: a function returning `(loss, aux)`: the scalar mean loss
                of this replica's batch and any auxiliary values to return.

        Returns:
            `(loss, aux)`, unscaled.
        """
        with tf.GradientTape() as tape:
            loss, aux = loss_fn()
            scaled = optimizer.scale_loss(loss / self.replica_count())
        gradients = tape.gradient(scaled, variables)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss, aux

    # Several optimizers ----------------------------------------------------------

    def compile_optimizers(self, **optimizers):
        """Sets, clones where shared, and builds the optimizers of `named_optimizers`."""
        missing = sorted(set(self.named_optimizers) - set(optimizers))
        unknown = sorted(set(optimizers) - set(self.named_optimizers))
        if missing or unknown:
            raise TypeError(
                f"{type(self).__name__}.compile() expects the optimizers "
                f"{sorted(self.named_optimizers)}; missing {missing}, unexpected {unknown}"
            )
        seen = set()
        for name, optimizer in optimizers.items():
            optimizer = keras.optimizers.get(optimizer)
            if id(optimizer) in seen:
                optimizer = optimizer.__class__.from_config(optimizer.get_config())
            seen.add(id(optimizer))
            self._optimizers_by_name[name] = optimizer
            setattr(self, name, optimizer)
        self.build_optimizers()

    def build_optimizers(self):
        """Builds every named optimizer on its variables (before any compiled step)."""
        for name, optimizer in self._optimizers_by_name.items():
            if not optimizer.built:
                variables = getattr(self, self.named_optimizers[name])()
                optimizer.build(variables)

    def get_compile_config(self):
        config = super().get_compile_config() or {}
        for name, optimizer in self._optimizers_by_name.items():
            config[name] = keras.saving.serialize_keras_object(optimizer)
        return config

    def compile_from_config(self, config):
        """Compiles from `get_compile_config()`, named optimizers included, and builds
        the optimizers so that `.keras` files restore their state."""
        config = dict(config)
        optimizers = {
            name: keras.saving.deserialize_keras_object(config.pop(name))
            for name in self.named_optimizers
            if name in config
        }
        self.compile(**keras.saving.deserialize_keras_object(config), **optimizers)
        if self.built and self.optimizer is not None:
            self.optimizer.build(self.trainable_variables)

    # Training --------------------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config["seed"] = self.seed
        for name in self.serialized_networks:
            config[name] = keras.saving.serialize_keras_object(getattr(self, name))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for name in cls.serialized_networks:
            config[name] = keras.saving.deserialize_keras_object(config[name])
        return cls(**config)

    def build_from_data(self, x):
        """Builds the model eagerly from the first batch of `x`, if it is not built.

        Keras defers building to the first traced step, but variables cannot
        be created inside an XLA-compiled step, and the optimizer must be
        built on the model's variables.
        """
        if self.built or x is None:
            return
        if isinstance(x, tf.data.Dataset):
            sample = input_of(next(iter(x)))
        else:
            sample = tf.nest.map_structure(lambda array: np.asarray(array)[:1], input_of(x))
        with self.distribute_strategy.scope():
            self(sample)

    def fit(self, x=None, *args, callbacks=None, **kwargs):
        self.build_from_data(x)
        callbacks = list(callbacks or []) + [_StopOnNonFinite()]
        return super().fit(x, *args, callbacks=callbacks, **kwargs)

    def evaluate(self, x=None, *args, **kwargs):
        self.build_from_data(x)
        return super().evaluate(x, *args, **kwargs)

    # Export ----------------------------------------------------------------------

    def get_build_config(self):
        shape = getattr(self, "serving_input_shape", None)
        if self.built and shape is not None:
            return {"input_shape": tuple(shape)}
        return super().get_build_config()

    def build_from_config(self, config):
        if "input_shape" in config and not self.built:
            self.build(tuple(config["input_shape"]))
        elif not self.built:
            super().build_from_config(config)

    def serving_signature(self):
        """The `tf.TensorSpec` of `call`'s input (a list of specs for several inputs);
        by default from `serving_input_shape`, which `build` records."""
        return tensor_specs(self.serving_input_shape)

    def export_endpoints(self):
        """Extra SavedModel endpoints: `{name: (function, input_signature)}`."""
        return {}

    def export(self, filepath, format="tf_saved_model", verbose=True, input_signature=None, **kwargs):
        """Exports a SavedModel with the `serve` endpoint and the model's extra endpoints."""
        if format != "tf_saved_model":
            return super().export(filepath, format=format, verbose=verbose,
                                  input_signature=input_signature, **kwargs)
        archive = keras.export.ExportArchive()
        archive.track(self)
        # One argument: a tensor, or a list of tensors for multi-input models.
        signature = input_signature or [self.serving_signature()]
        archive.add_endpoint("serve", lambda inputs: self(inputs, training=False), signature)
        for name, (function, endpoint_signature) in self.export_endpoints().items():
            archive.add_endpoint(name, function, endpoint_signature)
        archive.write_out(filepath, verbose=verbose)
