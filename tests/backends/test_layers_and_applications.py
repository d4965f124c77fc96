"""The layers and the applications on JAX and torch: each layer in a small model and each
application (small instances of `keras_dl.testing.application_cases`) trains with `fit`;
the layers' models round-trip through `.keras`; gradient reversal gives exactly `-lambda`
and unpooling puts values back at their argmax. tests/layers and tests/applications run
them on TensorFlow. JAX compiles every new model's step: GoogLeNet's took 60-137 s on 2 CPU
cores, so the JAX leg leaves it to the TensorFlow and torch legs.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_dl import layers
from keras_dl.testing import assert_keras_file_round_trip
from keras_dl.testing.application_cases import (
    CLASSIFIERS,
    classification_data,
    compile_for,
    small_dcgan_generator,
)
from keras_dl.utils import backend_ops

pytestmark = pytest.mark.skipif(
    keras.backend.backend() == "tensorflow",
    reason="the JAX and torch legs run these (KERAS_BACKEND=jax|torch python -m pytest "
           "tests/backends); TensorFlow runs tests/layers and tests/applications",
)


def image_model(body, shape=(8, 8, 3)):
    """A regressor of 2 values from `shape` images through `body(inputs) -> feature maps`."""
    inputs = keras.Input(shape)
    features = keras.layers.GlobalAveragePooling2D()(body(inputs))
    return keras.Model(inputs, keras.layers.Dense(2)(features))


def unpooled(inputs):
    pooled, argmax = layers.MaxPoolingWithArgmax2D()(inputs)
    return layers.MaxUnpooling2D()([keras.layers.Conv2D(3, 3, padding="same")(pooled), argmax])


def stochastic_depth(inputs):
    residual = keras.layers.Conv2D(3, 3, padding="same")(inputs)
    return layers.StochasticDepth(0.5, seed=1)([inputs, residual])


def frame_distributed(inputs):
    frames = keras.layers.Reshape((2, 8, 8, 1))(inputs[..., :2])
    return ops.mean(layers.FrameDistributed(keras.layers.Conv2D(4, 3))(frames), axis=1)


LAYER_MODELS = {
    "Mlpconv": lambda: image_model(layers.Mlpconv((8, 4), 3, use_batchnorm=True)),
    "InceptionBlock": lambda: image_model(layers.InceptionBlock(4, 2, 4, 2, 2, 2)),
    # A strided 1x1 convolution in the projection shortcut.
    "ResidualBlock-projection": lambda: image_model(
        layers.ResidualBlock(8, strides=2, shortcut="projection")),
    "ResidualBlock-bottleneck-v2": lambda: image_model(
        layers.ResidualBlock(2, bottleneck=True, preactivation=True)),
    "ResidualBlock-zero-pad": lambda: image_model(
        layers.ResidualBlock(6, strides=2, shortcut="zero_pad")),
    "DropBlock2D": lambda: image_model(layers.DropBlock2D(0.3, 3, seed=1)),
    "StochasticDepth": lambda: image_model(stochastic_depth),
    "FrameDistributed": lambda: image_model(frame_distributed),
    "MaxPoolingWithArgmax2D+MaxUnpooling2D": lambda: image_model(unpooled),
    "GradientReversal": lambda: image_model(layers.GradientReversal(0.5)),
}


def images(samples=4, shape=(8, 8, 3)):
    return np.random.default_rng(0).uniform(size=(samples, *shape)).astype("float32")


@pytest.mark.parametrize("name", sorted(LAYER_MODELS))
def test_each_layer_trains_and_round_trips(name, tmp_path):
    model = LAYER_MODELS[name]()
    model.compile(optimizer="adam", loss="mse")
    x = images()
    history = model.fit(x, np.zeros((4, 2), "float32"), batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1]), name
    assert_keras_file_round_trip(model, x, str(tmp_path))


def test_gradient_reversal_multiplies_the_gradient_by_exactly_minus_lambda():
    layer = layers.GradientReversal(0.5)
    x = ops.convert_to_tensor(images(2))
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), ops.convert_to_numpy(x))
    gradients = ops.convert_to_numpy(backend_ops.input_gradients(layer, x))
    np.testing.assert_array_equal(gradients, np.full(x.shape, -0.5, "float32"))


def test_unpooling_puts_each_maximum_back_at_its_argmax():
    x = np.random.default_rng(1).uniform(0.1, 1.0, size=(2, 6, 6, 3)).astype("float32")
    pooled, argmax = layers.MaxPoolingWithArgmax2D()(x)
    output = ops.convert_to_numpy(layers.MaxUnpooling2D()([pooled, argmax]))
    windows, kept = x.reshape(2, 3, 2, 3, 2, 3), output.reshape(2, 3, 2, 3, 2, 3)
    np.testing.assert_array_equal((kept != 0).sum(axis=(2, 4)), np.ones((2, 3, 3, 3)))
    np.testing.assert_array_equal(kept.sum(axis=(2, 4)), windows.max(axis=(2, 4)))


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_each_application_trains(name):
    if name == "GoogLeNet" and keras.backend.backend() == "jax":
        pytest.skip("JAX compiles GoogLeNet's step for 60-137 s on 2 CPU cores; the "
                    "TensorFlow and torch legs train it")
    model = compile_for(CLASSIFIERS[name](), jit_compile=False)
    x, y = classification_data(model)
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1]), name


def test_the_dcgan_generator_trains():
    generator = small_dcgan_generator()
    generator.compile(optimizer="sgd", loss="mse")
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    history = generator.fit(z, np.zeros((4, 28, 28, 1), "float32"), batch_size=2, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
