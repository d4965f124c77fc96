"""One small case of every keras_dl model kind, for the platform checks.

Each `PlatformCase` builds a model with tiny networks, gives data it trains
on, and lists the `compile` forms users write for it. The test suite runs
every case through every platform cell (XLA, mixed precision, two replicas,
several workers, kill and resume, `.keras`, export); the multi-worker and
resume checks run the same cases in worker processes, hence this module.
"""

import collections

import keras
import numpy as np

from keras_dl import applications, models

FEATURES = 12

PlatformCase = collections.namedtuple(
    "PlatformCase",
    "build data compile_forms deterministic export_endpoints serving_inputs generate_request",
    defaults=(None, None),
)
PlatformCase.__doc__ = """A model kind for the platform checks.

build: `build()` returns a new, uncompiled model (call it in a strategy or
    dtype-policy scope as needed).
data: `data(samples)` returns `fit`'s `(x, y)` (`y` None without targets).
compile_forms: `{form name: compile keyword arguments}`, optimizer excluded.
deterministic: whether training draws no random numbers (so two replicas
    must make exactly the update of one).
export_endpoints: the SavedModel endpoints besides `serve` that take the
    serving inputs.
serving_inputs: `serving_inputs(x, y)` gives what `model(...)` (and the
    `serve` endpoint) takes; None when that is `x` itself.
generate_request: what `generate` (and its endpoint) takes for two samples, for
    models that generate; None for the others.
"""


def binary_data(samples, features=FEATURES, seed=0):
    """`(samples, features)` float32 zeros and ones, each with probability 1/2."""
    return (np.random.default_rng(seed).uniform(size=(samples, features)) > 0.5).astype("float32")


def compiled(model, optimizer="adam", **kwargs):
    """`model` after `model.compile(optimizer, **kwargs)`."""
    model.compile(optimizer=optimizer, **kwargs)
    return model


def dense_network(inputs, units, activation=None, name=None):
    """A one-layer `Sequential` from `inputs` features to `units`."""
    return keras.Sequential(
        [keras.Input((inputs,)), keras.layers.Dense(units, activation=activation)], name=name
    )


def _autoencoder(cls, code=4, **kwargs):
    encoder = dense_network(FEATURES, code, "sigmoid", name="encoder")
    decoder = dense_network(code, FEATURES, "sigmoid", name="decoder")
    return cls(encoder, decoder, **kwargs)


def _vae():
    encoder = dense_network(FEATURES, 4, name="encoder")
    decoder = dense_network(2, FEATURES, "sigmoid", name="decoder")
    return models.VariationalAutoencoder(encoder, decoder, latent_dim=2, seed=1)


def _gan(**kwargs):
    generator = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(FEATURES, activation="sigmoid"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [keras.Input((FEATURES,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)],
        name="discriminator",
    )
    return models.GAN(generator, discriminator, latent_dim=3, seed=1, **kwargs)


def _conditional_gan():
    z, label = keras.Input((3,)), keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(3, 2)(label))
    hidden = keras.layers.Dense(8, activation="relu")(keras.layers.Concatenate()([z, embedded]))
    generator = keras.Model(
        [z, label], keras.layers.Dense(FEATURES, activation="sigmoid")(hidden), name="generator"
    )
    x, label = keras.Input((FEATURES,)), keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(3, 2)(label))
    hidden = keras.layers.Dense(8, activation="relu")(keras.layers.Concatenate()([x, embedded]))
    discriminator = keras.Model([x, label], keras.layers.Dense(1)(hidden), name="discriminator")
    return models.ConditionalGAN(generator, discriminator, latent_dim=3, num_classes=3, seed=1)

def one_dimensional_conditional_networks():
    """A generator from `[z (4 values), label]` to one value and a discriminator from
    `[value, label]` to one logit, for two labels (embedded): small enough to learn
    label-dependent means in seconds."""
    z, labels = keras.Input((4,)), keras.Input((1,), dtype="int32")
    embedded = keras.layers.Flatten()(keras.layers.Embedding(2, 4)(labels))
    hidden = keras.layers.Dense(32, activation="relu")(keras.layers.Concatenate()([z, embedded]))
    generator = keras.Model(
        [z, labels],
        keras.layers.Dense(1)(keras.layers.Dense(32, activation="relu")(hidden)),
        name="generator",
    )
    x, d_labels = keras.Input((1,)), keras.Input((1,), dtype="int32")
    d_embedded = keras.layers.Flatten()(keras.layers.Embedding(2, 4)(d_labels))
    d_hidden = keras.layers.Dense(32, activation="relu")(
        keras.layers.Concatenate()([x, d_embedded])
    )
    discriminator = keras.Model(
        [x, d_labels],
        keras.layers.Dense(1)(keras.layers.Dense(32, activation="relu")(d_hidden)),
        name="discriminator",
    )
    return generator, discriminator


def _latent(x, y):
    return np.random.default_rng(2).normal(size=(len(x), 3)).astype("float32")


def _latent_and_labels(x, y):
    return [_latent(x, y), np.asarray(y, "int32")]


def _source(x, y):
    return x[0]


def _labelled(samples):
    x = binary_data(samples)
    return x, (x[:, 0] + 2 * x[:, 1]).astype("int32") % 3


def _domains(samples):
    x_source, y_source = _labelled(samples)
    x_target = np.clip(binary_data(samples, seed=1) * 0.8 + 0.1, 0.0, 1.0).astype("float32")
    return (x_source, x_target), y_source


def _domain_adversarial():
    features = dense_network(FEATURES, 8, "relu", name="features")
    labels = dense_network(8, 3, "softmax", name="labels")
    domains = dense_network(8, 1, name="domains")
    return models.DomainAdversarialModel(features, labels, domains, lambda_=0.5)


def _conv_autoencoder():
    return applications.ConvolutionalAutoencoder((8, 8, 1), filters=(2, 4), latent_dim=3)


def _images(samples):
    return np.random.default_rng(0).uniform(size=(samples, 8, 8, 1)).astype("float32"), None


_RECONSTRUCTION_FORMS = {
    "no_loss": {},
    "loss": {"loss": "mse"},
    "loss_and_metrics": {"loss": "binary_crossentropy", "metrics": ["mae"]},
}
_OWN_OBJECTIVE_FORMS = {"default": {}, "metrics": {"metrics": ["mse"]}}
_AUTOENCODER_ENDPOINTS = ("encode",)


def _unlabelled(samples):
    return binary_data(samples), None


CASES = {
    "Autoencoder": PlatformCase(
        lambda: _autoencoder(models.Autoencoder),
        _unlabelled,
        _RECONSTRUCTION_FORMS,
        True,
        _AUTOENCODER_ENDPOINTS,
    ),
    "DenoisingAutoencoder": PlatformCase(
        lambda: _autoencoder(models.DenoisingAutoencoder, noise="masking", seed=1),
        _unlabelled,
        _RECONSTRUCTION_FORMS,
        False,
        _AUTOENCODER_ENDPOINTS,
    ),
    "SparseAutoencoder": PlatformCase(
        lambda: _autoencoder(models.SparseAutoencoder, sparsity_weight=0.1),
        _unlabelled,
        _RECONSTRUCTION_FORMS,
        True,
        _AUTOENCODER_ENDPOINTS,
    ),
    "ContractiveAutoencoder": PlatformCase(
        lambda: _autoencoder(models.ContractiveAutoencoder, contractive_weight=0.1),
        _unlabelled,
        _RECONSTRUCTION_FORMS,
        True,
        _AUTOENCODER_ENDPOINTS,
    ),
    "VariationalAutoencoder": PlatformCase(
        _vae, _unlabelled, _OWN_OBJECTIVE_FORMS, False, _AUTOENCODER_ENDPOINTS, None, 2
    ),
    "ConvolutionalAutoencoder": PlatformCase(
        _conv_autoencoder, _images, _RECONSTRUCTION_FORMS, True, ()
    ),
    "RBM": PlatformCase(
        lambda: models.RBM(6, seed=1), _unlabelled, _OWN_OBJECTIVE_FORMS, False, ("reconstruct",)
    ),
    "RBM-persistent": PlatformCase(
        lambda: models.RBM(6, persistent=True, num_persistent_chains=8, seed=1),
        _unlabelled,
        _OWN_OBJECTIVE_FORMS,
        False,
        ("reconstruct",),
    ),
    "RBM-gaussian": PlatformCase(
        lambda: models.RBM(6, visible="gaussian", seed=1),
        _unlabelled,
        _OWN_OBJECTIVE_FORMS,
        False,
        ("reconstruct",),
    ),
    "PCA": PlatformCase(
        lambda: models.PCA(3), _unlabelled, _OWN_OBJECTIVE_FORMS, True, ("encode",)
    ),
    "GAN": PlatformCase(_gan, _unlabelled, {"default": {}}, False, (), _latent, 2),
    "WGAN-GP": PlatformCase(
        lambda: _gan(loss="wasserstein", gradient_penalty_weight=10.0, discriminator_steps=2),
        _unlabelled,
        {"default": {}},
        False,
        (),
        _latent,
        2,
    ),
    "ConditionalGAN": PlatformCase(
        _conditional_gan, _labelled, {"default": {}}, False, (), _latent_and_labels,
        np.array([0, 1], "int32"),
    ),
    "DomainAdversarialModel": PlatformCase(
        _domain_adversarial,
        _domains,
        {
            "loss": {"loss": "sparse_categorical_crossentropy"},
            "no_loss": {},
            "loss_and_metrics": {
                "loss": "sparse_categorical_crossentropy",
                "metrics": ["accuracy"],
            },
        },
        True,
        ("features",),
        _source,
    ),
}


def serving_inputs(name, x, y):
    """What `model(...)` of case `name` takes, for the data `(x, y)`."""
    function = CASES[name].serving_inputs
    return x if function is None else function(x, y)


def compile_case(name, model, form=None, optimizer_factory=None, **kwargs):
    """Compiles `model` of case `name` with one of the case's compile forms (the first by
    default) and a fresh optimizer for each of its `optimizer_arguments` (Adam 0.01 unless
    `optimizer_factory()` gives another)."""
    case = CASES[name]
    form = form or next(iter(case.compile_forms))
    new_optimizer = optimizer_factory or (lambda: keras.optimizers.Adam(0.01))
    optimizers = {argument: new_optimizer() for argument in model.optimizer_arguments}
    model.compile(**optimizers, **case.compile_forms[form], **kwargs)
    return model
