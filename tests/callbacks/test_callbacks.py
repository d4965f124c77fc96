import glob
import math

import keras
import numpy as np
import pytest

from keras_dl import callbacks, layers, models


def test_gradient_reversal_schedule_follows_ganin_et_al():
    inputs = keras.Input((3,))
    reversal = layers.GradientReversal(0.0)
    outputs = keras.layers.Dense(1)(reversal(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    scheduler = callbacks.GradientReversalScheduler(gamma=10.0)
    model.fit(
        np.ones((40, 3)),
        np.ones((40, 1)),
        batch_size=10,
        epochs=2,
        verbose=0,
        callbacks=[scheduler],
    )
    progress = np.arange(8) / 8
    expected = [2 / (1 + math.exp(-10 * p)) - 1 for p in progress]
    np.testing.assert_allclose(scheduler.history, expected, rtol=1e-6)
    assert float(reversal.lambda_weight.numpy()) == pytest.approx(expected[-1], rel=1e-6)


def test_scheduler_needs_a_reversal_layer():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="GradientReversal"):
        model.fit(
            np.ones((4, 2)),
            np.ones((4, 1)),
            verbose=0,
            callbacks=[callbacks.GradientReversalScheduler()],
        )


def gan_for_images():
    generator = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="sigmoid")])
    discriminator = keras.Sequential([keras.Input((16,)), keras.layers.Dense(1)])
    return models.GAN(generator, discriminator, latent_dim=4, seed=0)


def test_image_sampler_writes_grids_for_each_kind_of_model(tmp_path):
    x = np.random.default_rng(0).uniform(size=(16, 16)).astype("float32")
    gan = gan_for_images()
    gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    vae = models.VariationalAutoencoder(
        keras.Sequential([keras.Input((16,)), keras.layers.Dense(4)]),
        keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="sigmoid")]),
        latent_dim=2,
    )
    vae.compile(optimizer="adam")
    autoencoder = models.Autoencoder(
        keras.Sequential([keras.Input((16,)), keras.layers.Dense(3)]),
        keras.Sequential([keras.Input((3,)), keras.layers.Dense(16)]),
    )
    autoencoder.compile(optimizer="adam")
    rbm = models.RBM(9, seed=0)
    rbm.compile(optimizer="sgd")
    for name, model, expected in [
        ("gan", gan, ["samples"]),
        ("vae", vae, ["samples", "reconstructions"]),
        ("autoencoder", autoencoder, ["reconstructions"]),
        ("rbm", rbm, ["rbm_filters", "rbm_gibbs_samples"]),
    ]:
        sampler = callbacks.ImageSampler(
            log_dir=str(tmp_path / name),
            image_dir=str(tmp_path / name / "png"),
            every_n_epochs=2,
            num_images=4,
            inputs=x,
        )
        model.fit(x, batch_size=8, epochs=2, verbose=0, callbacks=[sampler])
        written = sorted(path.split("/")[-1] for path in sampler.written)
        assert written == sorted(f"{tag}_epoch2.png" for tag in expected), name
        assert glob.glob(str(tmp_path / name / "events.out.tfevents.*")), name


def test_image_sampler_needs_somewhere_to_write():
    with pytest.raises(ValueError, match="log_dir"):
        callbacks.ImageSampler()
