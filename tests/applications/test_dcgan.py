import keras
import numpy as np
import pytest

from keras_dl import applications


@pytest.mark.parametrize("size, channels", [(28, 1), (32, 3), (64, 3)])
def test_dcgan_sizes_and_radford_guidelines(size, channels):
    generator = applications.DCGANGenerator(latent_dim=100, output_shape=(size, size, channels))
    discriminator = applications.DCGANDiscriminator(input_shape=(size, size, channels))
    assert generator.output_shape == (None, size, size, channels)
    assert discriminator.output_shape == (None, 1)
    layer_types = {type(layer).__name__ for layer in generator.layers}
    assert "Conv2DTranspose" in layer_types and "MaxPooling2D" not in layer_types
    assert generator.layers[-1].activation is keras.activations.tanh
    assert any(
        type(layer).__name__ == "LeakyReLU" and layer.negative_slope == pytest.approx(0.2)
        for layer in discriminator.layers
    )
    # No batch norm on the discriminator's input layer nor the generator's output.
    assert type(discriminator.layers[2]).__name__ == "LeakyReLU"
    # N(0, 0.02) initialisation.
    kernels = np.concatenate(
        [np.ravel(w) for w in generator.trainable_weights if w.path.endswith("kernel")]
    )
    assert abs(kernels.std() - 0.02) < 0.002 and abs(kernels.mean()) < 0.002
    z = np.random.default_rng(0).normal(size=(2, 100)).astype("float32")
    images = generator.predict(z, verbose=0)
    assert images.min() >= -1.0 and images.max() <= 1.0


def test_dcgan_64_uses_the_papers_channels():
    generator = applications.DCGANGenerator()
    widths = [
        layer.output.shape[-1] for layer in generator.layers if type(layer).__name__ == "ReLU"
    ]
    assert widths == [512, 256, 128, 64]


@pytest.mark.parametrize("shape", [(48, 48, 3), (32, 28, 1), (32, 32)])
@pytest.mark.parametrize(
    "network, argument",
    [
        (applications.DCGANGenerator, "output_shape"),
        (applications.DCGANDiscriminator, "input_shape"),
    ],
    ids=["generator", "discriminator"],
)
def test_dcgan_unsupported_sizes_are_named(shape, network, argument, assert_clear_error):
    assert_clear_error(lambda t: network(**{argument: shape}), ValueError, f"`{argument}`")


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "dcgan_generator_latent_dim": (
        lambda t: applications.DCGANGenerator(latent_dim=0),
        ValueError,
        "`latent_dim`",
    ),
    "dcgan_discriminator_channels": (
        lambda t: applications.DCGANDiscriminator(input_shape=(32, 32, 0)),
        ValueError,
        "channels",
    ),
    "dcgan_discriminator_epsilon": (
        lambda t: applications.DCGANDiscriminator(batch_norm_epsilon=-1.0),
        ValueError,
        "`batch_norm_epsilon`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
