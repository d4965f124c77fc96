"""The JAX and torch legs: every model kind of `keras_dl.testing.platform_cases` on the
backend of this process.

Run with `KERAS_BACKEND=jax python -m pytest tests/backends` or `KERAS_BACKEND=torch ...`;
on TensorFlow the module is skipped (the TensorFlow leg runs the same kinds through
every platform cell in tests/models). Per kind (tiny networks: JAX compiles each new
model's steps, slowly on CPU): `fit` in every compile form with finite logs, `evaluate`
and `predict`; the `.keras` round trip (same answers, optimizer state restored, training
goes on, deterministic kinds as the original would); a run interrupted after an epoch
and resumed by `keras.callbacks.BackupAndRestore` ends with the weights of an
uninterrupted run; `EarlyStopping` finds the direction of every log. What a backend
cannot do is refused by name. The energy family's own checks are in `test_energy.py`.
"""

import os

import keras
import numpy as np
import pytest

from keras_dl import callbacks, models
from keras_dl.testing import assert_keras_file_round_trip, platform_checks
from keras_dl.testing.platform_cases import CASES, FEATURES, compile_case, serving_inputs

BACKEND = keras.backend.backend()
pytestmark = pytest.mark.skipif(
    BACKEND == "tensorflow",
    reason="the JAX and torch legs run these (KERAS_BACKEND=jax or torch python -m pytest "
           "tests/backends)",
)


def only_on(backend):
    return pytest.mark.skipif(BACKEND != backend, reason=f"{backend} only (this is {BACKEND})")


KINDS = list(CASES)
SAMPLES = 16


def fit(model, x, y, epochs=1, **kwargs):
    return model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, shuffle=False,
                     **kwargs).history


def assert_finite(logs, where):
    for name, value in logs.items():
        assert np.all(np.isfinite(value)), (where, name, value)


@pytest.mark.parametrize("kind", KINDS)
def test_fit_evaluate_predict_in_every_compile_form(kind):
    case = CASES[kind]
    x, y = case.data(SAMPLES)
    for form in case.compile_forms:
        model = compile_case(kind, case.build(), form)
        history = fit(model, x, y)
        assert set(history) == set(model.get_metrics_result()), (kind, form, history)
        assert_finite(history, (kind, form))
        assert_finite(model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True),
                      (kind, form, "evaluate"))
        outputs = model.predict(serving_inputs(kind, x, y), batch_size=8, verbose=0)
        assert all(np.all(np.isfinite(output)) for output in keras.tree.flatten(outputs))


@pytest.mark.parametrize("kind", KINDS)
def test_keras_file_round_trip_and_training_goes_on(kind, tmp_path):
    platform_checks.check_keras_file(kind, tmp_path)


@pytest.mark.parametrize("kind", KINDS)
def test_resume_after_interruption_equals_an_uninterrupted_run(kind, tmp_path):
    case = CASES[kind]
    x, y = case.data(SAMPLES)

    def run(callbacks, epochs=3):
        keras.utils.set_random_seed(0)
        model = compile_case(kind, case.build())
        try:
            fit(model, x, y, epochs=epochs, callbacks=callbacks)
        except Interrupted:
            return None
        return [np.asarray(weight) for weight in model.weights]

    uninterrupted = run([])
    backup = keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    assert run([backup, InterruptAfterEpoch(1)]) is None
    resumed = run([keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))])
    for want, got in zip(uninterrupted, resumed):
        np.testing.assert_allclose(got, want, atol=1e-6, err_msg=kind)


class Interrupted(Exception):
    pass


class InterruptAfterEpoch(keras.callbacks.Callback):
    """Stops training with an exception at the end of `epoch` (0-based), after the
    callbacks before it (a `BackupAndRestore`) saved their state."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise Interrupted


def dense(inputs, units, activation=None):
    return keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(units, activation)])


@pytest.mark.parametrize("loss", ["minimax", "non_saturating", "least_squares", "hinge",
                                  "wasserstein"])
def test_the_gan_trains_with_every_loss(loss):
    gan = models.GAN(dense(2, FEATURES, "sigmoid"), dense(FEATURES, 1), latent_dim=2,
                     loss=loss, seed=1)
    gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    x, _ = CASES["GAN"].data(SAMPLES)
    assert_finite(fit(gan, x, None), loss)
    assert gan.generate(3, seed=4).shape == (3, FEATURES)
    np.testing.assert_allclose(*(keras.ops.convert_to_numpy(gan.generate(3, seed=4))
                                 for _ in range(2)))


@pytest.mark.parametrize("conditioning, entropy_weighting", [
    ("multilinear", False), ("randomized", False), ("multilinear", True), (None, True)])
def test_cdan_and_cdan_e_train_save_and_train_on(conditioning, entropy_weighting, tmp_path):
    width = {None: 8, "multilinear": 24, "randomized": 16}[conditioning]
    model = models.DomainAdversarialModel(
        dense(FEATURES, 8, "relu"), dense(8, 3, "softmax"), dense(width, 1, "sigmoid"),
        conditioning=conditioning, entropy_weighting=entropy_weighting, randomized_dim=16,
        seed=3)
    model.compile(optimizer="adam", metrics=["accuracy"])
    (source, target), labels = CASES["DomainAdversarialModel"].data(SAMPLES)
    assert_finite(fit(model, (source, target), labels), conditioning)
    restored = assert_keras_file_round_trip(model, source, str(tmp_path))
    assert_finite(fit(restored, (source, target), labels), (conditioning, "restored"))


@pytest.mark.parametrize("kind", ["Autoencoder", "WGAN-GP"])
def test_mixed_float16_scales_the_loss_and_round_trips(kind, tmp_path):
    platform_checks.check_mixed_precision("mixed_float16")(kind, tmp_path)


@pytest.mark.parametrize("kind", ["Autoencoder", "GAN", "DomainAdversarialModel", "RBM"])
def test_early_stopping_finds_every_log_direction(kind, tmp_path):
    platform_checks.check_monitor(kind, tmp_path)


def test_both_gan_optimizers_step_and_take_the_learning_rate_schedule():
    """Both optimizers of a GAN are `model.optimizer` for Keras' trainer, and both step in
    `fit` (on JAX, an optimizer outside the trainer's state would stay at 0 steps)."""
    case = CASES["GAN"]
    x, y = case.data(SAMPLES)
    model = compile_case("GAN", case.build())
    assert model.optimizer.optimizers == [model.generator_optimizer,
                                          model.discriminator_optimizer]
    fit(model, x, y, epochs=2)
    assert int(model.generator_optimizer.iterations) == 4
    assert int(model.discriminator_optimizer.iterations) == 4
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, rate: rate / 2)
    fit(model, x, y, callbacks=[schedule])
    for optimizer in model.optimizers:
        np.testing.assert_allclose(float(optimizer.learning_rate), 0.005)


@only_on("jax")
@pytest.mark.parametrize("kind", ["Autoencoder", "PCA", "DomainAdversarialModel", "RBM"])
def test_export_serves_like_the_keras_model(kind, tmp_path):
    pytest.importorskip("tensorflow", reason="Keras exports JAX models through TensorFlow")
    platform_checks.check_export(kind, tmp_path)


@only_on("jax")
@pytest.mark.parametrize("kind", ["GAN", "ConditionalGAN", "VariationalAutoencoder"])
def test_export_of_an_endpoint_with_an_optional_input_names_tensorflow(kind, tmp_path):
    pytest.importorskip("tensorflow", reason="Keras exports JAX models through TensorFlow")
    model = CASES[kind].build()
    model.build_from_data(CASES[kind].data(8)[0])
    with pytest.raises(NotImplementedError, match="generate.*jax backend.*tensorflow"):
        model.export(os.path.join(tmp_path, kind), verbose=False)


@pytest.mark.parametrize("kind", ["Autoencoder", "RBM", "GAN"])
def test_a_default_compile_saves_jit_compile_as_auto_for_the_loading_backend(kind):
    """A `.keras` file of a default `compile` leaves XLA or torch.compile to the backend
    that loads it (JAX resolves "auto" to XLA, torch to none)."""
    model = compile_case(kind, CASES[kind].build())
    assert model.get_compile_config()["jit_compile"] == "auto"
    model = compile_case(kind, CASES[kind].build(), jit_compile=False)
    assert model.get_compile_config()["jit_compile"] is False


@only_on("torch")
@pytest.mark.parametrize("kind", ["ContractiveAutoencoder", "WGAN-GP"])
def test_torch_compile_of_a_step_that_differentiates_gradients_is_refused(kind):
    with pytest.raises(NotImplementedError,
                       match=r"jit_compile=True .*torch backend.*tensorflow or KERAS_BACKEND=jax"):
        compile_case(kind, CASES[kind].build(), jit_compile=True)
    compile_case(kind, CASES[kind].build(), jit_compile=False)


@only_on("torch")
@pytest.mark.parametrize("kind", ["Autoencoder", "RBM", "GAN"])
def test_export_is_refused_on_torch_naming_tensorflow_and_jax(kind, tmp_path):
    model = CASES[kind].build()
    model.build_from_data(CASES[kind].data(8)[0])
    with pytest.raises(NotImplementedError,
                       match="SavedModel.*torch backend.*tensorflow or KERAS_BACKEND=jax"):
        model.export(os.path.join(tmp_path, kind), verbose=False)


def test_a_tf_distribute_strategy_is_refused_by_name():
    tf = pytest.importorskip("tensorflow", reason="a tf.distribute strategy needs TensorFlow")

    case = CASES["Autoencoder"]
    x, y = case.data(SAMPLES)
    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        model = compile_case("Autoencoder", case.build())
        with pytest.raises(NotImplementedError,
                           match=f"tf.distribute.*{BACKEND} backend.*tensorflow"):
            fit(model, x, y)


def test_the_gradient_reversal_schedule_reaches_the_step():
    case = CASES["DomainAdversarialModel"]
    x, y = case.data(SAMPLES)
    model = compile_case("DomainAdversarialModel", case.build())
    scheduler = callbacks.GradientReversalScheduler(gamma=10.0)
    fit(model, x, y, epochs=2, callbacks=[scheduler])
    assert len(scheduler.history) == 4 and scheduler.history[-1] > 0.9
    np.testing.assert_allclose(model.lambda_, scheduler.history[-1], rtol=1e-6)


class OwnStep(models.BaseModel):
    tracker_names = ("loss",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)

    def call(self, inputs):
        return self.dense(inputs)


class TensorFlowFormStep(OwnStep):
    def train_step(self, data):
        return {}


class JAXFormStep(OwnStep):
    def train_step(self, state, data):
        return {}, state


# The step form of the other trainer, and the backend that calls it.
FOREIGN_STEPS = {"jax": (TensorFlowFormStep, r"train_step\(data\)", "tensorflow"),
                 "torch": (JAXFormStep, r"train_step\(state, data\)", "jax")}


def test_a_step_in_another_trainers_form_is_refused_by_name():
    cls, step, other = FOREIGN_STEPS[BACKEND]
    model = cls()
    model.compile(optimizer="sgd")
    with pytest.raises(NotImplementedError,
                       match=rf"{cls.__name__}.{step}.*{BACKEND} backend.*{other}"):
        model.fit(np.ones((4, 2), "float32"), verbose=0)
