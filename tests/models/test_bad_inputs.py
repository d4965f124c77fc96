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
    # RBM: constructor
    "rbm n_hidden 0": (lambda: models.RBM(0), ValueError, "n_hidden"),
    "rbm n_hidden float": (lambda: models.RBM(2.5), TypeError, "n_hidden"),
    "rbm visible": (lambda: models.RBM(4, visible="poisson"), ValueError, "visible"),
    "rbm cd_steps": (lambda: models.RBM(4, cd_steps=0), ValueError, "cd_steps"),
    "rbm persistent": (lambda: models.RBM(4, persistent="yes"), TypeError, "persistent"),
    "rbm weight_decay": (lambda: models.RBM(4, weight_decay=-1.0), ValueError, "weight_decay"),
    "rbm sparsity_target 1.5": (
        lambda: models.RBM(4, sparsity_target=1.5),
        ValueError,
        "`sparsity_target` must be a float in (0, 1)",
    ),
    "rbm sparsity_target 0": (
        lambda: models.RBM(4, sparsity_target=0.0),
        ValueError,
        "`sparsity_target` must be a float in (0, 1)",
    ),
    "rbm chains": (
        lambda: models.RBM(4, num_persistent_chains=0),
        ValueError,
        "num_persistent_chains",
    ),
    "rbm build rank": (lambda: models.RBM(4).build((None, 2, 2)), ValueError, "n_visible"),
    # RBM: data
    "rbm uint8 pixels": (
        lambda: fit_rbm(np.full((4, FEATURES), 255, "uint8")),
        ValueError,
        "[0, 1]",
    ),
    "rbm values above one": (lambda: fit_rbm(binary() * 2), ValueError, "values in [0.0, 2.0]"),
    "rbm negative values": (lambda: fit_rbm(binary() - 1), ValueError, "[0, 1]"),
    "rbm nan": (lambda: fit_rbm(nan_data()), ValueError, "NaN"),
    "rbm rank 3": (
        lambda: fit_rbm(np.zeros((4, 2, 4), "float32")),
        ValueError,
        "(samples, n_visible)",
    ),
    "rbm no samples": (
        lambda: fit_rbm(np.zeros((0, FEATURES), "float32")),
        ValueError,
        "no samples",
    ),
    "persistent rbm no samples": (
        lambda: fit_rbm(np.zeros((0, FEATURES), "float32"), persistent=True),
        ValueError,
        "no samples",
    ),
    "rbm empty dataset": (
        lambda: fit_rbm(
            tf.data.Dataset.from_tensor_slices(np.zeros((0, FEATURES), "float32")).batch(4)
        ),
        ValueError,
        "empty dataset",
    ),
    "rbm refit on other width": (lambda: fit_rbm_twice(binary(), binary(features=5)), ValueError,
                                 "n_visible=8"),
    "rbm strings": (lambda: fit_rbm(np.array([["a"] * FEATURES])), TypeError, "numbers"),
    "rbm compiled loss": (
        lambda: models.RBM(4).compile(optimizer="sgd", loss="mse"),
        TypeError,
        "loss",
    ),
    # RBM: methods
    "pll no samples": (
        lambda: built_rbm().pseudo_log_likelihood(np.zeros((0, FEATURES))),
        ValueError,
        "samples >= 1",
    ),
    "pll gaussian": (
        lambda: built_rbm("gaussian").pseudo_log_likelihood(np.zeros((1, FEATURES))),
        ValueError,
        "Bernoulli",
    ),
    "ais gaussian": (lambda: built_rbm("gaussian").log_partition(), ValueError, "Bernoulli"),
    "exact log z too big": (
        lambda: built_rbm(n_hidden=25, n_visible=30).exact_log_partition(),
        ValueError,
        "n_hidden <= 20",
    ),
    "gibbs steps": (lambda: built_rbm().gibbs(binary(), steps=0), ValueError, "steps"),
    "transform width": (lambda: built_rbm().transform(binary(features=5)), ValueError,
                        "value 8"),
    "reconstruct width": (lambda: built_rbm().reconstruct(binary(features=5)), ValueError,
                          "value 8"),
    "free_energy width": (lambda: built_rbm().free_energy(binary(features=5)), ValueError,
                          "free_energy(): `v` must have shape (samples, 8)"),
    "free_energy rank 3": (lambda: built_rbm().free_energy(np.zeros((2, 2, 4))), ValueError,
                           "`v` must have shape (samples, 8)"),
    "energy hidden width": (lambda: built_rbm().energy(binary(2), np.zeros((2, 3))), ValueError,
                            "`h` must have shape (samples, 4)"),
    "gibbs width": (lambda: built_rbm().gibbs(binary(features=5)), ValueError,
                    "gibbs(): `v` must have shape (samples, 8)"),
    "pll width": (lambda: built_rbm().pseudo_log_likelihood(binary(features=5)), ValueError,
                  "`v` must have shape (samples, 8)"),
    "sample count": (lambda: built_rbm().sample(0), ValueError, "num_samples"),
    "sample steps": (lambda: built_rbm().sample(2, gibbs_steps=0), ValueError, "gibbs_steps"),
    "ais chains": (lambda: built_rbm().log_partition(num_chains=0), ValueError, "num_chains"),
    "ais betas": (lambda: built_rbm().log_partition(num_betas=-3), ValueError, "num_betas"),
    # Deep belief network
    "dbn empty": (lambda: models.DeepBeliefNetwork([]), ValueError, "hidden_units"),
    "dbn pretrain dataset": (
        lambda: models.DeepBeliefNetwork([4]).pretrain(
            tf.data.Dataset.from_tensor_slices(binary()).batch(4)),
        TypeError,
        "received a tf.data.Dataset",
    ),
    "dbn zero units": (lambda: models.DeepBeliefNetwork([4, 0]), ValueError, "hidden_units"),
    "dbn not a list": (lambda: models.DeepBeliefNetwork("4"), TypeError, "hidden_units"),
    "dbn rank 3": (
        lambda: models.DeepBeliefNetwork([3]).pretrain(np.zeros((4, 2, 4))),
        ValueError,
        "(samples, n_visible)",
    ),
    "dbn uint8": (
        lambda: models.DeepBeliefNetwork([3]).pretrain(np.full((4, FEATURES), 200, "uint8")),
        ValueError,
        "[0, 1]",
    ),
    "dbn no samples": (
        lambda: models.DeepBeliefNetwork([3]).pretrain(np.zeros((0, FEATURES))),
        ValueError,
        "no samples",
    ),
    "dbn unroll before pretrain": (
        lambda: models.DeepBeliefNetwork([3]).to_autoencoder(),
        ValueError,
        "pretrain",
    ),
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


