"""Small instances of the applications, and data and a compile for them, for the platform
checks of the TensorFlow leg and the backend legs."""

import keras
import numpy as np

from keras_dl import applications

# Small inputs keep these checks fast; the default sizes are tested elsewhere.
CLASSIFIERS = {
    "ResNet18": lambda: applications.ResNet18(input_shape=(32, 32, 3), classes=4),
    "ResNet18v2": lambda: applications.ResNet18(
        input_shape=(32, 32, 3), classes=4, preactivation=True
    ),
    "ResNet20": lambda: applications.ResNet20(input_shape=(16, 16, 3), classes=4),
    "NiN": lambda: applications.NiN(input_shape=(16, 16, 3), classes=4),
    "GoogLeNet": lambda: applications.GoogLeNet(input_shape=(32, 32, 3), classes=4),
    "CNNLSTM": lambda: applications.CNNLSTM(input_shape=(3, 16, 16, 1), classes=4, lstm_units=8),
    "DCGANDiscriminator": lambda: applications.DCGANDiscriminator(
        input_shape=(28, 28, 1), filters=8
    ),
}


def small_dcgan_generator():
    """A `DCGANGenerator` from 8 latent values to 28x28x1 images, with 8 base filters."""
    return applications.DCGANGenerator(latent_dim=8, output_shape=(28, 28, 1), filters=8)


def classification_data(model, batch=4):
    """`(x, y)`: `batch` uniform inputs of `model` and integer labels (0/1 float labels for
    a one-unit output)."""
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(batch,) + tuple(model.input_shape[1:])).astype("float32")
    outputs = model.output_shape[-1]
    y = (
        rng.integers(0, max(outputs, 2), size=(batch,))
        if outputs > 1
        else rng.integers(0, 2, (batch, 1))
    )
    return x, y.astype("float32") if outputs == 1 else y


def compile_for(model, jit_compile):
    """`model` compiled with SGD and the classification loss of its output."""
    loss = (
        keras.losses.BinaryCrossentropy(from_logits=True)
        if model.output_shape[-1] == 1
        else "sparse_categorical_crossentropy"
    )
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss=loss, jit_compile=jit_compile)
    return model
