"""Bad inputs to the models, callbacks and losses: each gets a clear, one-line error.

Every case is `(what a user does, the exception type, a phrase of the message)`. The
message must name what was expected or received (the phrase), fit on one line, and
not be a TensorFlow graph dump.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import callbacks, layers, losses, metrics, models
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
        lambda: compiled(autoencoder()).fit(binary(features=5), verbose=0),
        ValueError,
        "(None, 8)",
    ),
    "autoencoder nan weights": (
        lambda: with_nan_weight(compiled(autoencoder()), binary()).fit(
            binary(), epochs=1, verbose=0
        ),
        models.NonFiniteLossError,
        "non-finite",
    ),
    "autoencoder code width": (lambda: models.Autoencoder(dense(FEATURES, 3), dense(4, FEATURES)),
                               ValueError, "does not take the encoder's codes"),
    "autoencoder output width": (lambda: models.Autoencoder(dense(FEATURES, 3), dense(3, 6)),
                                 ValueError, "reconstructs its input"),
    "denoising noise": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise="pink"),
        ValueError,
        "noise",
    ),
    "denoising masking level": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise="masking", noise_level=1.5),
        ValueError,
        "noise_level",
    ),
    "denoising gaussian level": (
        lambda: autoencoder(models.DenoisingAutoencoder, noise_level=-1.0),
        ValueError,
        "noise_level",
    ),
    "sparse target": (
        lambda: autoencoder(models.SparseAutoencoder, sparsity_target=0.0),
        ValueError,
        "sparsity_target",
    ),
    "sparse weight": (
        lambda: autoencoder(models.SparseAutoencoder, sparsity_weight=-1.0),
        ValueError,
        "sparsity_weight",
    ),
    "contractive weight": (
        lambda: autoencoder(models.ContractiveAutoencoder, contractive_weight=-1.0),
        ValueError,
        "contractive_weight",
    ),
    "vae encoder width": (
        lambda: models.VariationalAutoencoder(dense(FEATURES, 3), dense(2, FEATURES), latent_dim=2),
        ValueError,
        "2 * latent_dim",
    ),
    "vae latent_dim": (
        lambda: models.VariationalAutoencoder(dense(FEATURES, 4), dense(2, 8), latent_dim=0),
        ValueError,
        "latent_dim",
    ),
    "vae beta": (
        lambda: models.VariationalAutoencoder(
            dense(FEATURES, 4), dense(2, 8), latent_dim=2, beta=-1.0
        ),
        ValueError,
        "beta",
    ),
    "vae likelihood": (
        lambda: models.VariationalAutoencoder(
            dense(FEATURES, 4), dense(2, 8), latent_dim=2, likelihood="poisson"
        ),
        ValueError,
        "likelihood",
    ),
    "vae uint8": (
        lambda: compiled(vae()).fit(np.full((4, FEATURES), 255, "uint8"), verbose=0),
        ValueError,
        "[0, 1]",
    ),
    "vae generate negative": (lambda: vae().generate(-1), ValueError, "num_samples"),
    "vae generate float": (lambda: vae().generate(2.5), TypeError, "num_samples"),
    "vae compiled loss": (lambda: vae().compile(optimizer="adam", loss="mse"), TypeError, "loss"),
    # PCA
    "pca components": (lambda: models.PCA(0), ValueError, "n_components"),
    "pca too many components": (
        lambda: pca_fit(binary(), n_components=9),
        ValueError,
        "n_components",
    ),
    "pca more components than samples": (lambda: pca_fit(binary(2), n_components=3), ValueError,
                                         "number of samples 2"),
    "pca not fitted": (lambda: models.PCA(2).encode(binary()), ValueError, "not fitted"),
    "pca nan": (lambda: pca_fit(nan_data()), ValueError, "NaN"),
    "pca one sample": (lambda: pca_fit(binary(1)), ValueError, "samples >= 2"),
    "pca no samples": (lambda: pca_fit(np.zeros((0, FEATURES))), ValueError, "samples >= 2"),
    "pca strings": (lambda: pca_fit(np.array([["a", "b"], ["c", "d"]])), TypeError, "numbers"),
    "pca empty dataset": (
        lambda: pca_fit(
            tf.data.Dataset.from_tensor_slices(np.zeros((0, FEATURES), "float32")).batch(4)
        ),
        ValueError,
        "empty dataset",
    ),
    "pca compiled loss": (lambda: models.PCA(2).compile(loss="mse"), TypeError, "loss"),
    # GAN
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
        lambda: compiled_gan().fit(binary(features=5), verbose=0),
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
    # Conditional GAN
    "cgan num_classes": (
        lambda: models.ConditionalGAN(dense(2, 8), dense(8, 1), 2, 0),
        ValueError,
        "num_classes",
    ),
    "cgan negative label": (
        lambda: fit_conditional_gan([0, 1, -1, 2]),
        ValueError,
        "[0, num_classes=3)",
    ),
    "cgan label too large": (
        lambda: fit_conditional_gan([0, 1, 7, 2]),
        ValueError,
        "values in [0, 7]",
    ),
    "cgan fractional label": (
        lambda: fit_conditional_gan([0.0, 1.0, 2.7, 2.0]),
        ValueError,
        "non-integer",
    ),
    "cgan no labels": (lambda: conditional_gan().fit(binary(4), verbose=0), ValueError, "labels"),
    "cgan one-hot labels": (lambda: fit_conditional_gan(np.eye(3)[[0, 1, 2, 0]]), ValueError,
                            "shape (batch,)"),
    "cgan generate one-hot": (lambda: conditional_gan().generate(np.eye(3)[[0, 1]]), ValueError,
                              "one-hot"),
    "cgan string labels": (
        lambda: fit_conditional_gan(["a", "b", "c", "d"]),
        TypeError,
        "integers",
    ),
    "cgan generate out of range": (
        lambda: conditional_gan().generate([0, 5]),
        ValueError,
        "num_classes=3",
    ),
    # Domain-adversarial model
    "dann feature extractor": (
        lambda: models.DomainAdversarialModel("f", dense(4, 3), dense(4, 1)),
        TypeError,
        "feature_extractor",
    ),
    "dann domain outputs": (lambda: domain_model(dense(4, 2)), ValueError, "one"),
    "dann lambda": (lambda: domain_model(lambda_=-1.0), ValueError, "lambda_"),
    "dann conditioning": (lambda: domain_model(conditioning="bilinear"), ValueError,
                          "conditioning"),
    "dann randomized_dim": (lambda: domain_model(conditioning="randomized", randomized_dim=0),
                            ValueError, "randomized_dim"),
    "dann entropy_weighting": (lambda: domain_model(entropy_weighting="yes"), TypeError,
                               "entropy_weighting"),
    "dann multilinear width": (lambda: domain_model(conditioning="multilinear"), ValueError,
                               "domain_classifier"),
    "cdan one-unit label head": (lambda: models.DomainAdversarialModel(
        dense(FEATURES, 4, "relu"), dense(4, 1, "sigmoid"), dense(4, 1),
        conditioning="multilinear"), ValueError, "one value per class"),
    "dann fit without labels": (lambda: compiled(domain_model(),
                                                 loss="sparse_categorical_crossentropy").fit(
        (binary(), binary()), verbose=0), ValueError, "((x_source, x_target), y_source)"),
    # Callbacks
    "scheduler gamma": (
        lambda: callbacks.GradientReversalScheduler(gamma=-1.0),
        ValueError,
        "gamma",
    ),
    "scheduler layer": (
        lambda: callbacks.GradientReversalScheduler(layer="reversal"),
        TypeError,
        "`layer`",
    ),
    "scheduler finds no layer": (scheduler_without_reversal, ValueError, "GradientReversal"),
    "sampler nowhere to write": (lambda: callbacks.ImageSampler(), ValueError, "log_dir"),
    "sampler epochs": (
        lambda: callbacks.ImageSampler(log_dir="/tmp/x", every_n_epochs=0),
        ValueError,
        "every_n_epochs",
    ),
    "sampler images": (
        lambda: callbacks.ImageSampler(log_dir="/tmp/x", num_images=0),
        ValueError,
        "num_images",
    ),
    "sampler unknown model": (
        lambda: image_sampler_on(
            compiled(keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]), loss="mse"),
            np.ones((4, 2)),
            np.ones((4, 2)),
        ),
        TypeError,
        "summary_images",
    ),
    "sampler autoencoder without inputs": (
        lambda: image_sampler_on(compiled(autoencoder()), binary()),
        ValueError,
        "inputs",
    ),
    # Losses, metrics, layers used by the models
    "gan loss name": (lambda: losses.get("fancy"), ValueError, "loss"),
    "frechet extractor": (
        lambda: metrics.FrechetDistance("inception"),
        TypeError,
        "feature_extractor",
    ),
    "reversal lambda": (lambda: layers.GradientReversal(-1.0), ValueError, "lambda_"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*CASES[case])


def test_contractive_penalty_is_computed_for_integer_inputs():
    model = autoencoder(models.ContractiveAutoencoder, contractive_weight=1.0)
    integers = np.random.default_rng(0).integers(0, 2, size=(8, FEATURES))
    _, logs, _ = model.compute_objective(integers, training=False)
    expected = model.compute_objective(integers.astype("float32"), training=False)[1]
    assert float(logs["contractive_loss"]) > 0
    assert float(logs["contractive_loss"]) == pytest.approx(float(expected["contractive_loss"]))


def test_denoising_gaussian_noise_accepts_integer_inputs():
    model = compiled(autoencoder(models.DenoisingAutoencoder, noise="gaussian"))
    history = model.fit(np.random.default_rng(0).integers(0, 2, size=(16, FEATURES)), verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_gan_reads_a_sigmoid_discriminator_through_its_logits():
    logits_head, sigmoid_head = dense(FEATURES, 1), dense(FEATURES, 1, "sigmoid")
    sigmoid_head.set_weights(logits_head.get_weights())
    samples = binary()
    scores = [gan(discriminator=head).discriminate(samples, None) for head in (logits_head,
                                                                                sigmoid_head)]
    np.testing.assert_allclose(scores[1], scores[0], rtol=1e-6)


def test_domain_adversarial_model_without_loss_uses_the_head_s_cross_entropy():
    rng = np.random.default_rng(0)
    data = ((binary(), binary()), rng.integers(0, 3, 16))
    weights = domain_model().get_weights()
    histories = []
    for loss in (None, "sparse_categorical_crossentropy"):
        model = domain_model()
        model.set_weights(weights)
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss)
        histories.append(model.fit(*data, batch_size=8, epochs=2, verbose=0, shuffle=False))
    np.testing.assert_allclose(histories[0].history["loss"], histories[1].history["loss"],
                               rtol=1e-6)
