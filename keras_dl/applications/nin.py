"""Network in Network for CIFAR."""

import keras

from keras_dl.applications import application_utils
from keras_dl.layers import Mlpconv
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.applications.NiN")
def NiN(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=10,
    classifier_activation="softmax",
    dropout=0.5,
    name="nin",
):
    """Instantiates Network in Network for CIFAR-sized images.

    Three Mlpconv blocks (5x5 192-160-96, 5x5 192-192-192, 3x3 192-192-classes)
    separated by 3x3/2 max and average pooling and dropout, then global average
    pooling as the classifier: the last 1x1 convolution gives one feature map
    per class, and there is no fully connected layer (about 0.97M parameters
    for 10 classes). This is the CIFAR-10 network of the paper's released Caffe
    model (ReLU after every convolution).

    Reference: Lin, Chen & Yan, "Network In Network", ICLR 2014 (CIFAR-10 test
    error 10.41% without and 8.81% with data augmentation).

    Args:
        include_top: whether to end with the class maps, global average
            pooling and `classifier_activation`. Without it the third block
            stops at its 192-channel second convolution.
        weights: None (random initialization) or the path of a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional `(height, width, channels)`, default (32, 32, 3);
            height and width at least 16.
        pooling: with `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: number of classes, with `include_top=True`.
        classifier_activation: activation applied to the pooled class maps.
        dropout: float in [0, 1), the dropout rate between blocks (0.5 in the paper).
        name: model name.

    Returns:
        A `keras.Model`.

    Example:

    >>> model = NiN()
    >>> tuple(model.output.shape), round(model.count_params() / 1e6, 2)
    ((None, 10), 0.97)
    """
    application_utils.check_arguments(include_top, weights, pooling, classes, classifier_activation)
    dropout = validation.rate("dropout", dropout)
    inputs = application_utils.image_input(input_tensor, input_shape, (32, 32, 3), min_size=16)
    x = Mlpconv([192, 160, 96], 5, name="mlpconv1")(inputs)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(x)
    x = keras.layers.Dropout(dropout, name="dropout1")(x)
    x = Mlpconv([192, 192, 192], 5, name="mlpconv2")(x)
    x = keras.layers.AveragePooling2D(3, strides=2, padding="same", name="pool2")(x)
    x = keras.layers.Dropout(dropout, name="dropout2")(x)
    if include_top:
        x = Mlpconv([192, 192, classes], 3, name="mlpconv3")(x)
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        outputs = keras.layers.Activation(classifier_activation, name="predictions")(x)
    else:
        x = Mlpconv([192, 192], 3, name="mlpconv3")(x)
        outputs = application_utils.pool_features(x, pooling)
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)
