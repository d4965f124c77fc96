import glob
import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

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


def models_for_images():
    """`{name: (compiled model, the tags of its grids)}`: tiny models on 16-pixel (4x4) images."""
    gan = models.GAN(
        keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="sigmoid")]),
        keras.Sequential([keras.Input((16,)), keras.layers.Dense(1)]),
        latent_dim=4,
        seed=0,
    )
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
    return {
        "gan": (gan, ["samples"]),
        "vae": (vae, ["samples", "reconstructions"]),
        "autoencoder": (autoencoder, ["reconstructions"]),
        "rbm": (rbm, ["rbm_filters", "rbm_gibbs_samples"]),
    }


def pixels(samples=16):
    return np.random.default_rng(0).uniform(size=(samples, 16)).astype("float32")


def test_image_sampler_writes_grids_for_each_kind_of_model(tmp_path):
    x = pixels()
    for name, (model, expected) in models_for_images().items():
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
        assert glob.glob(str(tmp_path / name / "train" / "events.out.tfevents.*")), name


def summaries_by_run(log_dir):
    """`{run: {plugin: {tag: steps}}}` read from the event files under `log_dir`."""
    runs = {}
    for path in glob.glob(os.path.join(log_dir, "**", "events.out.tfevents.*"), recursive=True):
        run = os.path.relpath(os.path.dirname(path), log_dir)
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                plugin = value.metadata.plugin_data.plugin_name
                tags = runs.setdefault(run, {}).setdefault(plugin, {})
                tags.setdefault(value.tag, []).append(event.step)
    return runs


@pytest.mark.parametrize("name", ["gan", "rbm", "autoencoder"])
def test_image_sampler_writes_into_the_run_of_tensorboards_training_scalars(tmp_path, name):
    model, expected = models_for_images()[name]
    x = pixels(32)
    log_dir = str(tmp_path)
    model.fit(
        x[:24],
        batch_size=8,
        epochs=2,
        verbose=0,
        validation_data=(x[24:],),
        callbacks=[
            keras.callbacks.TensorBoard(log_dir),
            callbacks.ImageSampler(log_dir=log_dir, num_images=4, inputs=x),
        ],
    )
    runs = summaries_by_run(log_dir)
    assert sorted(runs) == ["train", "validation"]
    train, validation = runs["train"], runs["validation"]
    assert sorted(train["images"]) == sorted(expected)
    epoch_scalars = {
        tag: steps for tag, steps in train["scalars"].items() if tag.startswith("epoch_")
    }
    assert epoch_scalars
    for steps in [*train["images"].values(), *epoch_scalars.values()]:
        assert sorted(steps) == [0, 1]
    assert "images" not in validation and validation["scalars"]


def test_image_sampler_needs_somewhere_to_write():
    with pytest.raises(ValueError, match="log_dir"):
        callbacks.ImageSampler()
