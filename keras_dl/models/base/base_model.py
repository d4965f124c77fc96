"""The shared base of keras_dl models that train with their own step."""

import keras

from keras_dl.models.base import trainers
from keras_dl.models.base.batch_utils import (
    batch_size_of,
    first_batch,
    input_of,
    is_batch_source,
    num_samples,
    orders_itself,
    peek,
    require_finite,
)
from keras_dl.models.base.endpoints import SavedModelEndpoints
from keras_dl.models.base.loss_trackers import LossTrackers
from keras_dl.models.base.non_finite_guard import StopOnNonFinite
from keras_dl.models.base.optimizer_group import OptimizerGroup
from keras_dl.models.base.random_state import SavedRandomState
from keras_dl.models.base.trainers import checks
from keras_dl.utils import keras_compat
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.BaseModel")
class BaseModel(SavedRandomState, SavedModelEndpoints, trainers.Steps, keras.Model):
    """Base class of keras_dl models with their own training step.

    A small training template. A subclass:

    - names its logged quantities in `tracker_names` (a class attribute, or a
      property when they depend on constructor arguments); each is a
      `keras.metrics.Mean`, reset every epoch, weighted by batch size, that
      improves downwards (so Keras' `EarlyStopping`, `ModelCheckpoint` and
      `ReduceLROnPlateau` take it, or its `val_` form, as `monitor` without
      `mode`), except the gap-like logs it names in `undirected_logs`, which
      have no better direction (those callbacks then ask for `mode`);
    - returns one batch's `(loss, logs, predictions)` from
      `compute_objective(data, training)`: the inherited `training_step`
      minimises `loss` with `self.optimizer` and `evaluation_step` evaluates
      it. A model with several optimizers writes its own `training_step`
      (and `evaluation_step`) from `gradient_step` and `finish_step`, builds
      its optimizers in `compile` and exposes them with
      `share_optimizers()`; a model whose gradients have a closed form applies
      them with `closed_form_gradient_step`;
    - may refuse data it cannot train on in `check_data(x, y)`;
    - sets `accepts_compiled_loss = False` when its objective is its own,
      so that `compile(loss=...)` is refused rather than ignored;
    - names in `serialized_networks` the constructor arguments that are Keras
      models (kept as attributes of the same name), which `get_config` and
      `from_config` then serialize;
    - names in `optimizer_arguments` the `compile` arguments that are
      optimizers (kept as attributes of the same name; `("optimizer",)` by
      default), which the `optimizers` property lists;
    - creates its weights in `build(input_shape)` and then calls
      `super().build(input_shape)`, which records `serving_input_shape` (the
      shape the `serve` endpoint takes); a model whose networks are built
      when it is constructed sets `self.built = True` there and describes its
      inputs in `serving_signature()`;
    - may picture its state for `keras_dl.callbacks.ImageSampler` in
      `summary_images(num_images, seed, inputs)` (no pictures by default).

    Every attribute that `get_config` or `get_compile_config` reads is set in
    `__init__`, so a model saves before it is compiled or trained, and no
    constructor calls a method that a subclass overrides.

    The steps are written once, statefully (variables are read and assigned
    as in eager code); the base turns them into the `train_step`/`test_step`
    of the backend's Keras trainer (`keras_dl.models.base.trainers`): on
    TensorFlow they run as they are, on JAX as a pure function of the
    trainer's state, with gradients from `jax.grad`, on torch eagerly, with
    gradients from `torch.autograd.grad`.

    The base does the rest once for every model: `gradient_step` applies
    the optimizer's loss scaling (mixed precision) and, under a
    `tf.distribute` strategy, divides the loss by the replicas in sync (so
    two replicas make the update of one with the same global batch); `fit`
    builds the model from the first batch before any compiled step, refuses
    empty data, and stops with `NonFiniteLossError` when a logged value or a
    weight becomes NaN or infinite. Two jobs live in their own modules: the
    random state of the model and its layers is saved with the weights
    (`SavedRandomState`, so `keras.callbacks.BackupAndRestore` resumes
    exactly), and `export` writes the `serve` endpoint and those of
    `export_endpoints` (`SavedModelEndpoints`).

    Args:
        seed: optional int, the seed of `self.seed_generator`.
        **kwargs: `keras.Model` arguments.
    """

    tracker_names = ()
    undirected_logs = ()
    serialized_networks = ()
    optimizer_arguments = ("optimizer",)
    accepts_compiled_loss = True

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.serving_input_shape = None
        self._loss_trackers = LossTrackers(self)

    def build(self, input_shape):
        """Records `serving_input_shape`, `(None, *input_shape[1:])`, and marks the model
        built; subclasses create their weights first."""
        self.serving_input_shape = (None, *tuple(input_shape)[1:])
        self.built = True

    @property
    def optimizers(self):
        """The optimizers `compile` configured, in the order of `optimizer_arguments`
        (empty before `compile`)."""
        optimizers = (getattr(self, name, None) for name in self.optimizer_arguments)
        return [optimizer for optimizer in optimizers if optimizer is not None]

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{tag: image grid}` pictures of the model for `keras_dl.callbacks.ImageSampler`.

        Args:
            num_images: the number of images per grid.
            seed: the seed of any random draw, so grids compare across epochs.
            inputs: optional samples of the data, for models that picture
                what they make of them (reconstructions).

        Returns:
            A dict of `(height, width, channels)` float arrays in [0, 1]; by
            default empty (a model with nothing to picture).
        """
        return {}

    # Logged quantities -------------------------------------------------------

    @property
    def metrics(self):
        trackers = [self._loss_trackers.all()]
        compiled = keras_compat.compiled_metrics(self)
        return trackers + ([compiled] if compiled is not None else [])

    def update_trackers(self, batch_size, **values):
        """Adds this batch's `values` (`{tracker name: value}`) to the trackers."""
        self._loss_trackers.update(batch_size, values)

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, jit_compile="auto",
                **kwargs):
        if loss is not None and not self.accepts_compiled_loss:
            raise TypeError(
                f"{type(self).__name__} trains on its own objective, so compile() takes no "
                f"`loss`; received loss={loss!r}"
            )
        if jit_compile is True and self.differentiates_its_gradients:
            checks.refuse_torch_compile_of_gradients(self)
        self._requested_jit_compile = jit_compile
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics,
                        jit_compile=jit_compile, **kwargs)

    @property
    def differentiates_its_gradients(self):
        """Whether the training step takes gradients of gradients (of the outputs with
        respect to the inputs: a Jacobian penalty, a gradient penalty)."""
        return False

    def get_compile_config(self):
        """Keras' compile config, with `jit_compile` as it was asked for (`"auto"` by
        default, which each backend resolves: XLA on JAX, none on torch) and its
        optimizers named by their public Keras classes (so that a file saved on torch
        loads without torch)."""
        config = super().get_compile_config()
        if config:  # empty when not compiled
            config["jit_compile"] = self._requested_jit_compile
        return keras_compat.portable_config(config)

    def compile_from_config(self, config):
        """Compiles from `get_compile_config()` and builds the optimizer, so that `.keras`
        files restore its state."""
        self.compile(**keras.saving.deserialize_keras_object(config))
        if self.built and self.optimizer is not None:
            self.optimizer.build(self.trainable_variables)

    # The training template -----------------------------------------------------

    def compute_objective(self, data, training):
        """Returns `(loss, logs, predictions)` for one batch.

        `loss` is the scalar mean loss to minimise with `self.optimizer`,
        `logs` maps tracker names to this batch's values, and `predictions`
        is `(y_true, y_pred)` for the compiled metrics, or None.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement compute_objective()")

    def training_step(self, data):
        """One training step on the batch `data`, written statefully; returns the logs.

        By default minimises `compute_objective`'s loss with `self.optimizer`
        (`gradient_step`) and updates the trackers (`finish_step`). The
        backend's `train_step` runs it (`keras_dl.models.base.trainers`).
        """
        _, (logs, predictions) = self.gradient_step(
            self.optimizer, self.trainable_variables,
            lambda: _loss_and_rest(self.compute_objective(data, training=True)),
        )
        return self.finish_step(data, logs, predictions)

    def evaluation_step(self, data):
        """One evaluation step on the batch `data`; returns the logs."""
        _, logs, predictions = self.compute_objective(data, training=False)
        return self.finish_step(data, logs, predictions)

    def gradient_step(self, optimizer, variables, loss_fn):
        """Minimises `loss_fn()` over `variables` with `optimizer`.

        Args:
            optimizer: the optimizer built for `variables`.
            variables: the variables to update.
            loss_fn: a function returning `(loss, aux)`: the scalar mean loss
                of the batch (of this replica's share under `tf.distribute`)
                and any auxiliary values to return.

        Returns:
            `(loss, aux)`, unscaled.
        """
        return trainers.gradient_step(optimizer, variables, loss_fn)

    def closed_form_gradient_step(self, optimizer, variables, gradients_fn):
        """Applies gradients computed in closed form (no loss is differentiated).

        Args:
            optimizer: the optimizer built for `variables`.
            variables: the variables to update.
            gradients_fn: a function returning `(gradients, aux)`: the
                gradients of the batch's mean loss (of this replica's share
                under `tf.distribute`), one per variable, and any auxiliary
                values to return.

        Returns:
            `aux`. The gradients are divided by the replicas in sync (as
            `gradient_step` divides the loss) and go through the optimizer's
            `scale_loss` (linear: a loss-scaling optimizer unscales them again).
        """
        return trainers.closed_form_gradient_step(optimizer, variables, gradients_fn)

    def share_optimizers(self):
        """Sets `self.optimizer` to an `OptimizerGroup` of `self.optimizers` (a model with
        several optimizers calls it once `compile` has built them): Keras' JAX trainer
        carries only `model.optimizer`'s state, and Keras' learning-rate callbacks
        (`ReduceLROnPlateau`, `LearningRateScheduler`) change every optimizer of a
        group."""
        self.optimizer = OptimizerGroup(self.optimizers)

    def finish_step(self, data, logs, predictions=None):
        """Updates the trackers of `logs` and the compiled metrics; returns their means so
        far (the trackers this step did not update are not reported)."""
        self.update_trackers(batch_size_of(data), **logs)
        results = self._loss_trackers.results(logs)
        compiled = keras_compat.compiled_metrics(self)
        if predictions is not None and compiled is not None:
            self.compute_metrics(None, *predictions)
            results.update(compiled.result())
        return keras_compat.logs_reducible_across_workers(results)

    # Data ----------------------------------------------------------------------

    def check_data(self, x, y):
        """Raises `ValueError`/`TypeError` for data the model cannot train on.

        Called by `fit` and `evaluate` with all of the data for arrays and the
        first batch for a `tf.data.Dataset`, as NumPy (`y` None without
        targets). Reading that batch iterates the dataset once more, which
        moves a reshuffling dataset on to its next order. The default accepts
        everything.
        """

    def _prepare(self, x, y):
        """Checks `fit`'s data and builds the model from its first batch; returns `x`
        (a generator is replaced by one that yields the batch read here too)."""
        trainers.check_steps(self)
        if num_samples(x) == 0:
            raise ValueError(f"{type(self).__name__}: `x` holds no samples (received 0)")
        if x is None:
            return x
        x, batch = peek(x, y)
        if batch is None:
            raise ValueError(f"{type(self).__name__}: `x` is an empty dataset")
        require_finite(type(self).__name__, *batch)
        self.check_data(*batch)
        self.build_from_data(input_of(batch))
        self._build_compiled_metrics(batch)
        return x

    def _build_compiled_metrics(self, batch):
        """Builds the compiled metrics on the predictions of `compute_objective` (one
        sample, nothing updated: no variable or random state changes)."""
        x, y = (None if part is None else keras.tree.map_structure(lambda a: a[:1], part)
                for part in batch)

        def predictions():
            with keras.StatelessScope():
                return self.compute_objective(x if y is None else (x, y), training=False)[2]

        with trainers.variable_scope(self):
            keras_compat.build_compiled_metrics(self, predictions)

    def build_from_data(self, x):
        """Builds the model eagerly from the first sample of `x`, if it is not built.

        Keras defers building to the first traced step, but variables cannot
        be created inside an XLA-compiled step, and the optimizer must be
        built on the model's variables.
        """
        if self.built or x is None:
            return
        if is_batch_source(x):
            x = input_of(first_batch(x))
        sample = keras.tree.map_structure(lambda array: array[:1], x)
        with trainers.variable_scope(self):
            self(sample)

    def fit(self, x=None, y=None, *args, callbacks=None, **kwargs):
        if orders_itself(x) and not args:
            # Keras warns that fit's default shuffle=True is ignored there.
            kwargs.setdefault("shuffle", False)
        x = self._prepare(x, y)
        callbacks = list(callbacks or []) + [StopOnNonFinite()]
        return super().fit(x, y, *args, callbacks=callbacks, **kwargs)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        x = self._prepare(x, y)
        return super().evaluate(x, y, *args, **kwargs)

    def train_on_batch(self, x, y=None, *args, **kwargs):
        self._prepare(x, y)
        return super().train_on_batch(x, y, *args, **kwargs)

    def test_on_batch(self, x, y=None, *args, **kwargs):
        self._prepare(x, y)
        return super().test_on_batch(x, y, *args, **kwargs)

    # Saving --------------------------------------------------------------------

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

    def get_build_config(self):
        if self.built and self.serving_input_shape is not None:
            return {"input_shape": tuple(self.serving_input_shape)}
        return super().get_build_config()

    def build_from_config(self, config):
        if "input_shape" in config and not self.built:
            self.build(tuple(config["input_shape"]))
        elif not self.built:
            super().build_from_config(config)

def _loss_and_rest(objective):
    loss, logs, predictions = objective
    return loss, (logs, predictions)
