import keras
import numpy as np
import pytest

from keras_dl import applications


def test_cnn_lstm_applies_the_backbone_to_every_frame():
    backbone = applications.ResNet20(include_top=False, pooling="avg", input_shape=(16, 16, 1))
    model = applications.CNNLSTM(
        input_shape=(5, 16, 16, 1), backbone=backbone, lstm_units=12, classes=3
    )
    assert model.output_shape == (None, 3)
    assert model.get_layer("lstm").units == 12
    assert model.get_layer("frame_features").layer is backbone
    # Permuting the frames changes the prediction: the model reads the order.
    x = np.random.default_rng(0).uniform(size=(2, 5, 16, 16, 1)).astype("float32")
    assert not np.allclose(model.predict(x, verbose=0), model.predict(x[:, ::-1], verbose=0))


def test_cnn_lstm_pools_a_feature_map_backbone_and_drops_the_top():
    backbone = applications.ResNet20(include_top=False, input_shape=(16, 16, 1))
    model = applications.CNNLSTM(
        input_shape=(4, 16, 16, 1), backbone=backbone, include_top=False, lstm_units=7
    )
    assert model.output_shape == (None, 7)


@pytest.mark.parametrize(
    "kwargs, error, argument",
    [
        ({"input_shape": (16, 16, 1)}, ValueError, "input_shape"),
        ({"input_shape": (4, 16, 16, 1), "lstm_units": 0}, ValueError, "lstm_units"),
        ({"input_shape": (4, 16, 16, 1), "backbone": "resnet"}, TypeError, "backbone"),
        ({"input_shape": (4, 16, 16, 1), "classes": -2}, ValueError, "classes"),
    ],
)
def test_cnn_lstm_bad_arguments_are_named(kwargs, error, argument):
    with pytest.raises(error, match=argument):
        applications.CNNLSTM(**kwargs)


def test_cnn_lstm_backbone_frame_shape_must_match():
    backbone = applications.ResNet20(include_top=False, pooling="avg", input_shape=(32, 32, 3))
    with pytest.raises(ValueError, match="backbone"):
        applications.CNNLSTM(input_shape=(4, 16, 16, 1), backbone=backbone)


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
def test_dcgan_unsupported_sizes_are_named(shape):
    with pytest.raises(ValueError, match="output_shape"):
        applications.DCGANGenerator(output_shape=shape)
    with pytest.raises(ValueError, match="input_shape"):
        applications.DCGANDiscriminator(input_shape=shape)
