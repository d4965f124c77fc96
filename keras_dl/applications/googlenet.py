"""GoogLeNet (Inception v1)."""

import keras

from keras_dl.applications import application_utils
from keras_dl.layers import InceptionBlock
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

# Szegedy et al. 2015, Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj.
INCEPTION_FILTERS = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}
# The modules after which a 3x3/2 max pooling halves the feature maps.
POOL_AFTER = ("3b", "4e")


def _auxiliary_classifier(x, classes, classifier_activation, name):
    """Section 5: 5x5/3 average pooling, 1x1 conv (128), FC 1024, 70% dropout, classifier."""
    x = keras.layers.AveragePooling2D(5, strides=3, name=f"{name}_pool")(x)
    x = keras.layers.Conv2D(128, 1, activation="relu", name=f"{name}_conv")(x)
    x = keras.layers.Flatten(name=f"{name}_flatten")(x)
    x = keras.layers.Dense(1024, activation="relu", name=f"{name}_fc")(x)
    x = keras.layers.Dropout(0.7, name=f"{name}_dropout")(x)
    return application_utils.classifier(
        x, classes, classifier_activation, name=f"{name}_predictions"
    )


@keras_dl_export("keras_dl.applications.GoogLeNet")
def GoogLeNet(
    include_top=True,
    weights=None,
    input_tensor=None,
    input_shape=None,
    pooling=None,
    classes=1000,
    classifier_activation="softmax",
    aux_classifiers=False,
    name="googlenet",
):
    """Instantiates GoogLeNet (Inception v1).

    The stem (7x7/2 conv, 3x3/2 max pooling, 1x1 and 3x3 convs, 3x3/2 max
    pooling), the nine Inception modules of Table 1 (3a-3b, 4a-4e, 5a-5b) with
    3x3/2 max pooling after 3b and 4e, global average pooling, 40% dropout and
    the classifier. The local response normalizations of the paper are left
    out (they were dropped in later Inception versions as having no effect).
    With `aux_classifiers=True` (and `include_top=True`) the two auxiliary
    heads on 4a and 4d are extra outputs, `[main, aux_1, aux_2]`; the paper
    weights their losses by 0.3 during training and discards them at
    inference.

    Reference: Szegedy et al., "Going Deeper with Convolutions", CVPR 2015.

    Args:
        include_top: whether to add the pooling, dropout and classifier.
        weights: None (random initialization) or the path of a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional `(height, width, channels)`, default (224, 224, 3);
            height and width at least 32 (80 with auxiliary classifiers).
        pooling: with `include_top=False`: `None`, `"avg"` or `"max"`.
        classes: number of classes, with `include_top=True`.
        classifier_activation: activation of the classifiers.
        aux_classifiers: bool, add the two auxiliary classifiers as outputs.
        name: model name.

    Returns:
        A `keras.Model` (with three outputs when `aux_classifiers=True`).

    Example:

    >>> model = GoogLeNet(input_shape=(96, 96, 3), classes=10, aux_classifiers=True)
    >>> [tuple(output.shape) for output in model.outputs]
    [(None, 10), (None, 10), (None, 10)]
    """
    application_utils.check_arguments(include_top, weights, pooling, classes, classifier_activation)
    validation.boolean("aux_classifiers", aux_classifiers)
    if aux_classifiers and not include_top:
        raise ValueError(
            "`aux_classifiers=True` needs `include_top=True`, received include_top=False"
        )
    min_size = 80 if aux_classifiers else 32
    inputs = application_utils.image_input(input_tensor, input_shape, (224, 224, 3), min_size)
    x = keras.layers.Conv2D(64, 7, strides=2, padding="same", activation="relu", name="conv1")(
        inputs
    )
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool1")(x)
    x = keras.layers.Conv2D(64, 1, activation="relu", name="conv2_reduce")(x)
    x = keras.layers.Conv2D(192, 3, padding="same", activation="relu", name="conv2")(x)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name="pool2")(x)
    auxiliary_outputs = []
    for module, filters in INCEPTION_FILTERS.items():
        x = InceptionBlock(*filters, name=f"inception_{module}")(x)
        if aux_classifiers and module in ("4a", "4d"):
            head = f"aux_{len(auxiliary_outputs) + 1}"
            auxiliary_outputs.append(_auxiliary_classifier(x, classes, classifier_activation, head))
        if module in POOL_AFTER:
            x = keras.layers.MaxPooling2D(3, strides=2, padding="same", name=f"pool_{module}")(x)
    if include_top:
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = keras.layers.Dropout(0.4, name="dropout")(x)
        outputs = application_utils.classifier(x, classes, classifier_activation)
    else:
        outputs = application_utils.pool_features(x, pooling)
    if auxiliary_outputs:
        outputs = [outputs, *auxiliary_outputs]
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)
