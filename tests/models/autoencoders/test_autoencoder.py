"""Autoencoder (and the convolutional one of keras_dl.applications): learns digits, resets its
trackers, stops on NaN; bad input is refused."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import applications, models
from keras_dl.datasets import load
from keras_dl.testing import assert_clear_error, assert_export_matches, assert_keras_file_round_trip
from keras_dl.testing.platform_cases import CASES, binary_data, compile_case, compiled
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


@pytest.fixture(scope="module")
def digits():
    images = np.stack([x for x, _ in load("digits", "all").as_numpy_iterator()]).reshape(-1, 64)
    return images[:1500], images[1500:]


def test_autoencoder_learns_to_reconstruct_digits(digits):
    train, test = digits
    autoencoder = models.Autoencoder(dense(64, 16, "relu"), dense(16, 64, "sigmoid"))
    autoencoder.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["mse"]
    )
    before = autoencoder.evaluate(test, verbose=0, return_dict=True)
    history = autoencoder.fit(train, batch_size=64, epochs=20, verbose=0)
    after = autoencoder.evaluate(test, verbose=0, return_dict=True)
    assert set(history.history) == {"loss", "mse"}
    assert after["mse"] < 0.5 * before["mse"]
    np.testing.assert_allclose(
        autoencoder.reconstruct(test[:4]),
        autoencoder.decode(autoencoder.encode(test[:4])),
        atol=1e-6,
    )


def test_trackers_are_reset_every_epoch():
    autoencoder = models.Autoencoder(dense(4, 2), dense(2, 4))
    autoencoder.compile(optimizer="sgd")
    autoencoder.fit(np.ones((32, 4), "float32"), batch_size=8, epochs=3, verbose=0)
    (loss_tracker,) = autoencoder.metrics[0].metrics
    assert loss_tracker.name == "loss" and float(loss_tracker.count) == 32.0  # one epoch, not three


def test_non_finite_training_stops_with_a_clear_error():
    autoencoder = models.Autoencoder(dense(4, 2), dense(2, 4))
    autoencoder.compile(optimizer="sgd")
    x = np.ones((16, 4), "float32")
    x[13, 2] = np.nan  # in the second batch: `fit` refuses NaN it can see before training
    with pytest.raises(models.NonFiniteLossError, match="non-finite loss .* epoch 1, batch 2"):
        autoencoder.fit(tf.data.Dataset.from_tensor_slices(x).batch(8), epochs=2, verbose=0)
    with pytest.raises(ValueError, match="`x` holds NaN"):
        autoencoder.fit(x, batch_size=8, epochs=2, verbose=0)


def test_train_and_test_on_batch_before_fit_build_the_model():
    model = models.Autoencoder(dense(6, 3, "relu"), dense(3, 6))
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).uniform(size=(8, 6)).astype("float32")
    first = model.train_on_batch(x, return_dict=True)["loss"]
    for _ in range(20):
        model.train_on_batch(x)
    assert model.test_on_batch(x, return_dict=True)["loss"] < first


def test_encoder_and_decoder_must_be_keras_objects():
    with pytest.raises(TypeError, match="encoder"):
        models.Autoencoder(lambda x: x, dense(2, 4))


def test_convolutional_autoencoder_with_argmax_unpooling(tmp_path):
    x = np.random.default_rng(2).uniform(size=(8, 16, 16, 1)).astype("float32")
    autoencoder = applications.ConvolutionalAutoencoder((16, 16, 1), filters=(4, 8), latent_dim=6)
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy", jit_compile=True)
    history = autoencoder.fit(x, batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert_keras_file_round_trip(autoencoder, x, str(tmp_path))
    assert_export_matches(autoencoder, x, str(tmp_path))


FEATURES = 8


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


def with_nan_weight(model, x):
    model.build_from_data(x)
    model.encoder.layers[0].kernel.assign(np.full((FEATURES, 3), np.nan, "float32"))
    return model


BAD_INPUTS = {
    "autoencoder binary cross-entropy on pixels": (
        lambda: compiled(autoencoder(), loss="binary_crossentropy").fit(
            np.full((4, FEATURES), 200, "uint8"), verbose=0),
        ValueError,
        "uint8 pixels / 255",
    ),
    "autoencoder binary cross-entropy object on negative values": (
        lambda: compiled(autoencoder(), loss=keras.losses.BinaryCrossentropy()).fit(
            -binary_data(16, FEATURES), verbose=0),
        ValueError,
        "[0, 1]",
    ),
    "autoencoder encoder": (
        lambda: models.Autoencoder("encoder", dense(3, FEATURES)),
        TypeError,
        "encoder",
    ),
    "autoencoder decoder": (
        lambda: models.Autoencoder(dense(FEATURES, 3), 3),
        TypeError,
        "decoder",
    ),
    "autoencoder no samples": (
        lambda: compiled(autoencoder()).fit(np.zeros((0, FEATURES)), verbose=0),
        ValueError,
        "no samples",
    ),
    "autoencoder features": (
        lambda: compiled(autoencoder()).fit(binary_data(16, 5), verbose=0),
        ValueError,
        "(None, 8)",
    ),
    "autoencoder nan weights": (
        lambda: with_nan_weight(compiled(autoencoder()), binary_data(16, FEATURES)).fit(
            binary_data(16, FEATURES), epochs=1, verbose=0
        ),
        models.NonFiniteLossError,
        "non-finite",
    ),
    "autoencoder code width": (lambda: models.Autoencoder(dense(FEATURES, 3), dense(4, FEATURES)),
                               ValueError, "does not take the encoder's codes"),
    "autoencoder output width": (lambda: models.Autoencoder(dense(FEATURES, 3), dense(3, 6)),
                                 ValueError, "reconstructs its input"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


def test_bfloat16_loss_curve_follows_float32():
    x, _ = CASES["Autoencoder"].data(64)
    curves = {}
    for policy in ("float32", "mixed_bfloat16"):
        keras.mixed_precision.set_global_policy(policy)
        try:
            keras.utils.set_random_seed(0)
            model = compile_case("Autoencoder", CASES["Autoencoder"].build())
            curves[policy] = np.asarray(model.fit(x, batch_size=8, epochs=6, verbose=0,
                                                   shuffle=False).history["loss"])
        finally:
            keras.mixed_precision.set_global_policy("float32")
    np.testing.assert_allclose(curves["mixed_bfloat16"], curves["float32"], rtol=0.02)
    assert not np.array_equal(curves["mixed_bfloat16"], curves["float32"])


test_platform = platform_test("Autoencoder", "ConvolutionalAutoencoder")
