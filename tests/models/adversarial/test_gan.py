"""GAN: learns a 1-D Gaussian, trains with every loss, saves, resumes and exports; bad
configurations are refused."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import losses, models
from keras_dl.testing import (
    assert_clear_error,
    assert_export_matches,
    assert_keras_file_round_trip,
    two_replica_strategy,
)
from keras_dl.testing.platform_cases import binary_data, one_dimensional_conditional_networks
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


def mlp(inputs, hidden, outputs, name):
    return keras.Sequential(
        [
            keras.Input((inputs,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(outputs),
        ],
        name=name,
    )

def gaussian_gan(**kwargs):
    return models.GAN(
        mlp(4, 32, 1, "generator"), mlp(1, 32, 1, "discriminator"), latent_dim=4, seed=0, **kwargs
    )


def test_gan_learns_a_one_dimensional_gaussian():
    # The least-squares loss: over seeds 0-5 its samples stayed within 0.2 of
    # the mean and 0.15 of the spread, where the non-saturating loss sometimes
    # oscillated to twice the spread.
    data = np.random.default_rng(0).normal(4.0, 1.25, size=(4096, 1)).astype("float32")
    gan = gaussian_gan(loss="least_squares")
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    gan.fit(data, batch_size=256, epochs=100, verbose=0)
    samples = np.asarray(gan.generate(4000, seed=1))
    assert samples.mean() == pytest.approx(4.0, abs=0.3)
    assert samples.std() == pytest.approx(1.25, abs=0.3)


@pytest.mark.parametrize(
    "loss", ["minimax", "non_saturating", "least_squares", "hinge", "wasserstein"]
)
def test_every_loss_trains_finite_steps(loss):
    data = np.random.default_rng(2).normal(size=(64, 1)).astype("float32")
    gan = gaussian_gan(
        loss=loss,
        discriminator_steps=2,
        gradient_penalty_weight=10.0 if loss == "wasserstein" else 0.0,
    )
    gan.compile(generator_optimizer="adam", discriminator_optimizer="adam", jit_compile=True)
    history = gan.fit(data, batch_size=16, epochs=2, verbose=0).history
    expected = {"generator_loss", "discriminator_loss"} | (
        {"gradient_penalty"} if loss == "wasserstein" else set()
    )
    assert set(history) == expected
    assert all(np.isfinite(values).all() for values in history.values())
    assert (
        int(gan.discriminator_optimizer.iterations)
        == 2 * int(gan.generator_optimizer.iterations)
        == 16
    )


def test_generate_is_reproducible_with_a_seed():
    gan = gaussian_gan()
    np.testing.assert_array_equal(
        np.asarray(gan.generate(5, seed=3)), np.asarray(gan.generate(5, seed=3))
    )
    assert not np.array_equal(
        np.asarray(gan.generate(5, seed=3)), np.asarray(gan.generate(5, seed=4))
    )


def test_bad_configurations_are_refused():
    with pytest.raises(ValueError, match="loss"):
        gaussian_gan(loss="earth_movers")
    with pytest.raises(ValueError, match="does not fit"):
        models.GAN(mlp(4, 8, 2, "g"), mlp(1, 8, 1, "d"), latent_dim=4)
    gan = gaussian_gan()
    gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    with pytest.raises(ValueError, match="discriminator takes samples of shape"):
        gan.fit(np.zeros((8, 3), "float32"), verbose=0)
    with pytest.raises(TypeError, match="generator_optimizer"):
        gan.compile(optimizer="adam")


def test_one_optimizer_passed_twice_is_cloned():
    gan = gaussian_gan()
    shared = keras.optimizers.Adam(1e-3)
    gan.compile(generator_optimizer=shared, discriminator_optimizer=shared)
    assert gan.generator_optimizer is not gan.discriminator_optimizer
    assert gan.generator_optimizer.built and gan.discriminator_optimizer.built
    gan.fit(np.zeros((8, 1), "float32"), batch_size=4, verbose=0)


@pytest.mark.parametrize("conditional", [False, True])
def test_gans_save_resume_and_export(conditional, tmp_path):
    rng = np.random.default_rng(3)
    if conditional:
        gan = models.ConditionalGAN(
            *one_dimensional_conditional_networks(), latent_dim=4, num_classes=2, seed=0)
        data = (rng.normal(size=(32, 1)).astype("float32"), rng.integers(0, 2, 32))
        z = [rng.normal(size=(6, 4)).astype("float32"), rng.integers(0, 2, 6).astype("int32")]
    else:
        gan = gaussian_gan()
        data = (rng.normal(size=(32, 1)).astype("float32"),)
        z = rng.normal(size=(6, 4)).astype("float32")
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(1e-3),
        discriminator_optimizer=keras.optimizers.Adam(2e-3),
    )
    gan.fit(*data, batch_size=8, epochs=1, verbose=0)
    restored = assert_keras_file_round_trip(gan, z, str(tmp_path))
    for name in ("generator_optimizer", "discriminator_optimizer"):
        ours, theirs = getattr(gan, name), getattr(restored, name)
        assert int(theirs.iterations) == int(ours.iterations) == 4
        assert float(theirs.learning_rate) == pytest.approx(float(ours.learning_rate))
        for a, b in zip(ours.variables, theirs.variables):
            np.testing.assert_allclose(np.asarray(b), np.asarray(a), atol=1e-6)
    restored.fit(*data, batch_size=8, epochs=1, verbose=0)
    assert int(restored.generator_optimizer.iterations) == 8
    assert_export_matches(gan, z, str(tmp_path), endpoints={"serve": lambda inputs: gan(inputs)})
    reloaded = tf.saved_model.load(str(tmp_path / f"{gan.name}_savedmodel"))
    request = tf.constant([0, 1, 1], tf.int32) if conditional else tf.constant(3)
    np.testing.assert_allclose(reloaded.generate(request, tf.constant(5))["samples"],
                               gan.generate(request, seed=5), atol=1e-5)


def test_gan_trains_under_mirrored_strategy():
    data = np.random.default_rng(4).normal(size=(64, 1)).astype("float32")
    strategy = two_replica_strategy()
    with strategy.scope():
        gan = gaussian_gan(loss="wasserstein", gradient_penalty_weight=10.0)
        gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    history = gan.fit(data, batch_size=16, epochs=2, verbose=0).history
    assert all(np.isfinite(values).all() for values in history.values())
    assert int(gan.generator_optimizer.iterations.numpy()) == 8


FEATURES = 8


def gan(generator=None, discriminator=None, latent_dim=2, **kwargs):
    generator = generator or dense(2, FEATURES, "sigmoid")
    discriminator = discriminator or dense(FEATURES, 1)
    return models.GAN(generator, discriminator, latent_dim=latent_dim, **kwargs)


def compiled_gan():
    model = gan()
    model.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    return model


BAD_INPUTS = {
    "gan generator": (lambda: gan(generator="g"), TypeError, "generator"),
    "gan discriminator": (
        lambda: models.GAN(dense(2, FEATURES), "d", latent_dim=2),
        TypeError,
        "discriminator",
    ),
    "gan latent_dim mismatch": (lambda: gan(latent_dim=5), ValueError, "latent_dim=5"),
    "gan three logits": (
        lambda: gan(discriminator=dense(FEATURES, 3)),
        ValueError,
        "one logit per sample",
    ),
    "gan sample shape": (lambda: gan(generator=dense(2, 5)), ValueError, "does not fit"),
    "gan loss": (lambda: gan(loss="fancy"), ValueError, "loss"),
    "gan discriminator_steps": (
        lambda: gan(discriminator_steps=0),
        ValueError,
        "discriminator_steps",
    ),
    "gan penalty weight": (
        lambda: gan(gradient_penalty_weight=-1.0),
        ValueError,
        "gradient_penalty_weight",
    ),
    "gan latent_dim 0": (lambda: gan(latent_dim=0), ValueError, "latent_dim"),
    "wgan sigmoid critic": (lambda: gan(discriminator=dense(FEATURES, 1, "sigmoid"),
                                        loss="wasserstein"), ValueError, "sigmoid"),
    "gan compile optimizer": (lambda: gan().compile(optimizer="adam"), TypeError, "optimizer"),
    "gan compile loss": (lambda: gan().compile(loss="mse"), TypeError, "loss"),
    "gan compile metrics": (lambda: gan().compile(metrics=["mae"]), TypeError, "metrics"),
    "gan data shape": (
        lambda: compiled_gan().fit(binary_data(16, 5), verbose=0),
        ValueError,
        "shape (8,)",
    ),
    "gan no samples": (
        lambda: compiled_gan().fit(np.zeros((0, FEATURES)), verbose=0),
        ValueError,
        "no samples",
    ),
    "gan generate negative": (lambda: gan().generate(-1), ValueError, "num_samples"),
    "gan generate zero": (lambda: gan().generate(0), ValueError, "num_samples"),
    "gan loss name": (lambda: losses.get("fancy"), ValueError, "loss"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


def test_gan_reads_a_sigmoid_discriminator_through_its_logits():
    logits_head, sigmoid_head = dense(FEATURES, 1), dense(FEATURES, 1, "sigmoid")
    sigmoid_head.set_weights(logits_head.get_weights())
    samples = binary_data(16, FEATURES)
    scores = [gan(discriminator=head).discriminate(samples, None) for head in (logits_head,
                                                                                sigmoid_head)]
    np.testing.assert_allclose(scores[1], scores[0], rtol=1e-6)


test_platform = platform_test("GAN", "WGAN-GP")


@pytest.mark.parametrize("callback, divisor", [
    # Never an improvement after the first epoch (min_delta): halved after epochs 2 and 3.
    (lambda: keras.callbacks.ReduceLROnPlateau(monitor="generator_loss", patience=0,
                                               factor=0.5, min_delta=1e9), 4),
    (lambda: keras.callbacks.LearningRateScheduler(lambda epoch, rate: rate * 0.5), 8),
], ids=["ReduceLROnPlateau", "LearningRateScheduler"])
def test_learning_rate_callbacks_change_both_optimizers(callback, divisor):
    gan = gaussian_gan()
    gan.compile(generator_optimizer=keras.optimizers.Adam(1e-3),
                discriminator_optimizer=keras.optimizers.Adam(2e-3))
    data = np.random.default_rng(5).normal(size=(16, 1)).astype("float32")
    gan.fit(data, batch_size=8, epochs=3, verbose=0, callbacks=[callback()])
    rates = [float(optimizer.learning_rate) for optimizer in gan.optimizers]
    np.testing.assert_allclose(rates, [1e-3 / divisor, 2e-3 / divisor], rtol=1e-5)
