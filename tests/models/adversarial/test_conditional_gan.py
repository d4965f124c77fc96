"""ConditionalGAN: learns label-dependent means; bad labels and networks are refused."""

import keras
import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import binary_data, one_dimensional_conditional_networks
from keras_dl.testing.platform_cases import dense_network as dense
from keras_dl.testing.platform_checks import platform_test


def test_conditional_gan_learns_label_dependent_means():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 2, size=4096)
    data = (np.where(labels == 0, -3.0, 3.0) + 0.5 * rng.normal(size=4096)).astype("float32")[
        :, None
    ]
    gan = models.ConditionalGAN(
        *one_dimensional_conditional_networks(), latent_dim=4, num_classes=2, seed=0)
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.5),
    )
    gan.fit(data, labels, batch_size=128, epochs=30, verbose=0)
    for label, mean in ((0, -3.0), (1, 3.0)):
        samples = np.asarray(gan.generate(np.full(2000, label), seed=label))
        assert samples.mean() == pytest.approx(mean, abs=0.5), label


FEATURES = 8


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
    return conditional_gan().fit(binary_data(len(labels), FEATURES), np.asarray(labels),
                                 epochs=1, verbose=0)


BAD_INPUTS = {
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
    "cgan no labels": (
        lambda: conditional_gan().fit(binary_data(4, FEATURES), verbose=0), ValueError, "labels"
    ),
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
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


test_platform = platform_test("ConditionalGAN")
