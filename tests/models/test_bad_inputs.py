"""Bad inputs to the models, callbacks and losses: each gets a clear, one-line error.

Every case is `(what a user does, the exception type, a phrase of the message)`. The
message must name what was expected or received (the phrase), fit on one line, and
not be a TensorFlow graph dump.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import callbacks, models
from keras_dl.testing import assert_clear_error


FEATURES = 8


def dense(inputs, units, activation=None):
    return keras.Sequential(
        [keras.Input((inputs,)), keras.layers.Dense(units, activation=activation)]
    )


def binary(samples=16, features=FEATURES):
    return (np.random.default_rng(0).uniform(size=(samples, features)) > 0.5).astype("float32")


def compiled_rbm(**kwargs):
    rbm = models.RBM(4, seed=0, **kwargs)
    rbm.compile(optimizer="sgd")
    return rbm


def built_rbm(visible="bernoulli", n_hidden=4, n_visible=FEATURES):
    rbm = models.RBM(n_hidden, visible=visible, seed=0)
    rbm.build((None, n_visible))
    return rbm


def fit_rbm(x, **kwargs):
    return compiled_rbm(**kwargs).fit(x, epochs=1, verbose=0)


def fit_rbm_twice(first, second):
    rbm = compiled_rbm()
    rbm.fit(first, epochs=1, verbose=0)
    rbm.fit(second, epochs=1, verbose=0)


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


def compiled(model, **kwargs):
    model.compile(optimizer="adam", **kwargs)
    return model


def vae():
    return models.VariationalAutoencoder(
        dense(FEATURES, 4), dense(2, FEATURES, "sigmoid"), latent_dim=2
    )


def gan(generator=None, discriminator=None, latent_dim=2, **kwargs):
    generator = generator or dense(2, FEATURES, "sigmoid")
    discriminator = discriminator or dense(FEATURES, 1)
    return models.GAN(generator, discriminator, latent_dim=latent_dim, **kwargs)


def compiled_gan():
    model = gan()
    model.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    return model


def conditional_gan():
    z, label = keras.Input((2,)), keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(3, 2)(label))
    generator = keras.Model(
        [z, label], keras.layers.Dense(FEATURES)(keras.layers.Concatenate()([z, embedded]))
    )
    x, label = keras.Input((FEATURES,)), keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(3, 2)(label))
    discriminator = keras.Model(
        [x, label], keras.layers.Dense(1)(keras.layers.Concatenate()([x, embedded]))
    )
    model = models.ConditionalGAN(generator, discriminator, latent_dim=2, num_classes=3)
    model.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    return model


def fit_conditional_gan(labels):
    return conditional_gan().fit(binary(len(labels)), np.asarray(labels), epochs=1, verbose=0)


def domain_model(domain_classifier=None, **kwargs):
    return models.DomainAdversarialModel(
        dense(FEATURES, 4, "relu"),
        dense(4, 3, "softmax"),
        domain_classifier or dense(4, 1),
        **kwargs,
    )


def pca_fit(x, n_components=2):
    return models.PCA(n_components).fit(x, verbose=0)


def scheduler_without_reversal():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        np.ones((4, 2)),
        np.ones((4, 1)),
        verbose=0,
        callbacks=[callbacks.GradientReversalScheduler()],
    )


def image_sampler_on(model, x, y=None):
    sampler = callbacks.ImageSampler(image_dir="/tmp/keras_dl_bad_inputs")
    model.fit(x, y, epochs=1, verbose=0, callbacks=[sampler])


def nan_data():
    x = binary()
    x[3, 2] = np.nan
    return x


def with_nan_weight(model, x):
    model.build_from_data(x)
    model.encoder.layers[0].kernel.assign(np.full((FEATURES, 3), np.nan, "float32"))
    return model


CASES = {
    # Autoencoders
    # PCA
    # GAN
    # Conditional GAN
    # Domain-adversarial model
    # Callbacks
    # Losses, metrics, layers used by the models
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*CASES[case])


