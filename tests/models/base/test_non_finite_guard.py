"""NaN stops training and says where, also when a ReLU hides it from the losses.

`fit` refuses non-finite arrays before training (and a dataset's first batch); NaN that
reaches a step (a later batch of a dataset, an exploding update) stops training with
`NonFiniteLossError`. These tests feed their NaN in a later batch of a `tf.data.Dataset`.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import models
from keras_dl.models.base.non_finite_guard import StopOnNonFinite
from keras_dl.testing.platform_cases import CASES, compile_case


def autoencoder(activation="relu", steps_per_execution=1):
    encoder = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4, activation=activation)])
    decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6)])
    model = models.Autoencoder(encoder, decoder)
    model.compile(optimizer="sgd", loss="mse", steps_per_execution=steps_per_execution)
    return model


def batches(data, batch_size=8):
    return tf.data.Dataset.from_tensor_slices(data).batch(batch_size)


def test_nan_input_behind_a_relu_stops_training_naming_the_weight():
    x = np.random.default_rng(0).uniform(size=(32, 6)).astype("float32")
    x[13, 2] = np.nan
    with pytest.raises(models.NonFiniteLossError, match="non-finite"):
        autoencoder().fit(batches(x), epochs=2, verbose=0)


def test_nan_target_data_stops_domain_adversarial_training():
    rng = np.random.default_rng(0)
    x_source, y_source = rng.uniform(size=(32, 4)).astype("float32"), rng.integers(0, 2, 32)
    x_target = rng.uniform(size=(32, 4)).astype("float32")
    x_target[15, 1] = np.nan
    model = models.DomainAdversarialModel(
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu")]),
        keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")]),
        keras.Sequential([keras.Input((8,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1)]),
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with pytest.raises(models.NonFiniteLossError) as raised:
        model.fit(batches(((x_source, x_target), y_source)), epochs=3, verbose=0)
    assert "non-finite" in str(raised.value)


def test_the_weight_check_names_the_variable_and_the_epoch():
    model = autoencoder()
    model.fit(np.random.default_rng(1).uniform(size=(16, 6)).astype("float32"), verbose=0)
    model.decoder.layers[0].bias.assign(np.full((6,), np.nan, "float32"))
    guard = StopOnNonFinite()
    guard.set_model(model)
    with pytest.raises(models.NonFiniteLossError,
                       match="bias holds 6 non-finite values at the end of epoch 3"):
        guard.on_epoch_end(2)


def test_with_several_steps_per_call_the_error_names_the_call_s_batches():
    # The RBM runs 32 steps per call by default; an epoch of 30 batches is one call.
    rbm = models.RBM(4, visible="gaussian", seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(1e6))
    x = 100.0 * np.random.default_rng(1).normal(size=(300, 20)).astype("float32")
    with pytest.raises(models.NonFiniteLossError, match="at epoch 1, batches 1-30\\."):
        rbm.fit(x, batch_size=10, epochs=3, verbose=0)


@pytest.mark.parametrize("steps_per_execution, nan_row, expected", [
    (1, 8 * 2 + 1, "batch 3"),  # one step per call: the batch itself
    (16, 8 * 23, "batches 17-25"),  # the second call runs batches 17-25 of 25
    (8, 8 * 24, "batch 25"),  # the last call runs batch 25 alone
    (4, 8 * 5, "batches 5-8"),
])
def test_the_error_names_the_batches_of_the_call_that_saw_the_first_non_finite_loss(
        steps_per_execution, nan_row, expected):
    model = autoencoder(activation=None, steps_per_execution=steps_per_execution)
    x = np.random.default_rng(3).uniform(size=(200, 6)).astype("float32")
    x[nan_row, 0] = np.nan
    with pytest.raises(models.NonFiniteLossError, match=f"at epoch 1, {expected}\\."):
        model.fit(batches(x), epochs=2, verbose=0)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_non_finite_data_is_refused_before_training(kind):
    x, y = CASES[kind].data(8)
    first = (x[0] if isinstance(x, tuple) else x).reshape(-1)
    first[3] = np.nan
    model = compile_case(kind, CASES[kind].build())
    with pytest.raises(ValueError, match=r"`x` holds NaN or infinite values \(1 of"):
        model.fit(x, y, batch_size=4, epochs=1, verbose=0)
