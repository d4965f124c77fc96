import keras
import numpy as np
import pytest

from keras_dl import applications
from keras_dl.layers import InceptionBlock, Mlpconv, ResidualBlock


def batch_norms(layer):
    return [
        sublayer
        for sublayer in layer._flatten_layers(include_self=False, recursive=True)
        if isinstance(sublayer, keras.layers.BatchNormalization)
    ]


@pytest.mark.parametrize(
    "build",
    [
        lambda **kw: applications.ResNet18(input_shape=(32, 32, 3), **kw),
        lambda **kw: applications.ResNet50(input_shape=(32, 32, 3), preactivation=True, **kw),
        lambda **kw: applications.ResNet20(**kw),
        lambda **kw: applications.ResNet32(preactivation=True, shortcut="projection", **kw),
        lambda **kw: applications.DCGANGenerator(output_shape=(28, 28, 1), **kw),
        lambda **kw: applications.DCGANDiscriminator(input_shape=(28, 28, 1), **kw),
        lambda **kw: applications.CNNLSTM(input_shape=(4, 16, 16, 1), **kw),
    ],
    ids=["ResNet18", "ResNet50v2", "ResNet20", "ResNet32v2", "DCGANGenerator",
         "DCGANDiscriminator", "CNNLSTM"],
)
def test_every_batch_norm_of_an_application_takes_the_arguments(build):
    model = build(batch_norm_momentum=0.8, batch_norm_epsilon=1e-4)
    layers = batch_norms(model)
    assert layers
    assert all(layer.momentum == 0.8 and layer.epsilon == 1e-4 for layer in layers)


def test_defaults_cifar_torch_values_imagenet_keras_values():
    cifar = batch_norms(applications.ResNet20())
    assert {(layer.momentum, layer.epsilon) for layer in cifar} == {(0.9, 1e-5)}
    imagenet = batch_norms(applications.ResNet50(input_shape=(32, 32, 3)))
    # As keras.applications.ResNet50: Keras' momentum, epsilon 1.001e-5.
    assert {(layer.momentum, layer.epsilon) for layer in imagenet} == {(0.99, 1.001e-5)}
    reference = batch_norms(keras.applications.ResNet50(weights=None, input_shape=(32, 32, 3)))
    assert {(layer.momentum, layer.epsilon) for layer in reference} == {(0.99, 1.001e-5)}
    cnn_lstm = batch_norms(applications.CNNLSTM(input_shape=(4, 16, 16, 1)))
    assert {(layer.momentum, layer.epsilon) for layer in cnn_lstm} == {(0.9, 1e-3)}


def test_cnn_lstm_refuses_batch_norm_arguments_with_a_given_backbone():
    backbone = applications.ResNet20(include_top=False, pooling="avg", input_shape=(16, 16, 1))
    with pytest.raises(ValueError, match="batch_norm_momentum.*backbone"):
        applications.CNNLSTM(input_shape=(4, 16, 16, 1), backbone=backbone, batch_norm_momentum=0.9)


@pytest.mark.parametrize(
    "layer",
    [
        Mlpconv([4, 3], 3, use_batchnorm=True, batch_norm_momentum=0.7, batch_norm_epsilon=1e-2),
        InceptionBlock(2, 2, 2, 2, 2, 2, use_batchnorm=True, batch_norm_momentum=0.7,
                       batch_norm_epsilon=1e-2),
        ResidualBlock(4, strides=2, batch_norm_momentum=0.7, batch_norm_epsilon=1e-2),
        ResidualBlock(2, bottleneck=True, preactivation=True, batch_norm_momentum=0.7,
                      batch_norm_epsilon=1e-2),
    ],
    ids=["Mlpconv", "InceptionBlock", "ResidualBlock", "ResidualBlockV2"],
)
def test_layers_pass_the_arguments_to_their_batch_norms_and_config(layer):
    restored = layer.__class__.from_config(layer.get_config())
    for block in (layer, restored):
        block(keras.ops.ones((2, 8, 8, 3)))
        layers = batch_norms(block)
        assert layers and all(bn.momentum == 0.7 and bn.epsilon == 1e-2 for bn in layers)


def fit_resnet20(**kwargs):
    """ResNet20 fitted for 30 SGD steps on one batch of bright synthetic images."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 16)
    # Inputs far from zero mean: the moving statistics start far from the batch ones.
    x = (rng.normal(size=(16, 16, 16, 1)) + 3.0 + y[:, None, None, None]).astype("float32")
    model = applications.ResNet20(input_shape=(16, 16, 1), classes=2, **kwargs)
    model.compile(keras.optimizers.SGD(0.05, momentum=0.9), "sparse_categorical_crossentropy")
    history = model.fit(x, y, batch_size=16, epochs=30, verbose=0)
    loss = keras.losses.SparseCategoricalCrossentropy()
    inference_loss = float(loss(y, model(x, training=False)))
    stem = keras.Model(model.input, model.get_layer("conv1_conv").output)
    batch_mean = np.mean(keras.ops.convert_to_numpy(stem(x)), axis=(0, 1, 2))
    moving_mean = keras.ops.convert_to_numpy(model.get_layer("conv1_bn").moving_mean)
    lag = np.abs(moving_mean - batch_mean).max() / np.abs(batch_mean).max()
    return history.history["loss"][-1], inference_loss, lag


def test_cifar_resnet_evaluates_as_it_trains_after_a_short_run():
    training_loss, inference_loss, lag = fit_resnet20()
    assert training_loss < 0.05
    assert inference_loss < 0.5
    assert lag < 0.15


def test_keras_default_momentum_lags_after_a_short_run():
    training_loss, inference_loss, lag = fit_resnet20(batch_norm_momentum=0.99)
    assert training_loss < 0.05
    assert inference_loss > 10.0  # inference mode reads statistics far from the data's
    assert lag > 0.5
