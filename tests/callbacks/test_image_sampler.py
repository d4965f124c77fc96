"""ImageSampler: bad uses get a clear error."""

import keras
import numpy as np
import pytest

from keras_dl import callbacks, models
from keras_dl.testing import assert_clear_error
from keras_dl.testing.platform_cases import binary_data, compiled
from keras_dl.testing.platform_cases import dense_network as dense

FEATURES = 8


def autoencoder(cls=models.Autoencoder, **kwargs):
    return cls(dense(FEATURES, 3, "sigmoid"), dense(3, FEATURES, "sigmoid"), **kwargs)


def image_sampler_on(model, x, y=None):
    sampler = callbacks.ImageSampler(image_dir="/tmp/keras_dl_bad_inputs")
    model.fit(x, y, epochs=1, verbose=0, callbacks=[sampler])


def domain_model():
    return models.DomainAdversarialModel(dense(FEATURES, 4), dense(4, 3, "softmax"),
                                         dense(4, 1))


BAD_INPUTS = {
    "sampler autoencoder without inputs": (
        lambda: image_sampler_on(compiled(autoencoder(), loss="mse"), binary_data(8, FEATURES)),
        ValueError,
        "ImageSampler(log_dir=..., inputs=x[:16])",
    ),
    "sampler model with nothing to picture": (
        lambda: image_sampler_on(compiled(domain_model()),
                                 (binary_data(8, FEATURES), binary_data(8, FEATURES)),
                                 np.arange(8) % 3),
        ValueError,
        "has nothing to picture",
    ),
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
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
