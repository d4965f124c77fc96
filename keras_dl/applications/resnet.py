"""ResNet for ImageNet (18 to 152 layers) and for CIFAR (6n + 2 layers).

Each network is a row of `RESNET_PRESETS` (its stages, block kind and stem)
built by `build_resnet`; the public functions at the end state their
defaults and pass their arguments on.

References:
    He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition",
    CVPR 2016 (Table 1: the ImageNet nets; section 4.2: the CIFAR nets).
    He, Zhang, Ren & Sun, "Identity Mappings in Deep Residual Networks",
    ECCV 2016 (the pre-activation, v2, ordering).
"""

import dataclasses

import keras

from keras_dl.applications import application_utils
from keras_dl.layers import ResidualBlock, layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@dataclasses.dataclass(frozen=True)
class ResNetPreset:
    """The architecture of one ResNet; everything else is an argument.

    Attributes:
        block_counts: the number of residual blocks of each stage; every
            stage after the first starts with a stride-2 block.
        bottleneck: bool, bottleneck blocks (1x1, 3x3, 1x1 convolutions with a
            4 times wider output) instead of basic ones (two 3x3).
        filters: the filters of each stage.
        stem: `"imagenet"` (7x7/2 convolution, 3x3/2 max pooling) or
            `"cifar"` (one 3x3 convolution with 16 filters).
        default_input_shape: the input shape when none is given.
        min_size: the smallest input height and width.
        shortcuts: the `shortcut` options of the residual blocks that the
            net accepts.
    """

    block_counts: tuple
    bottleneck: bool
    filters: tuple
    stem: str
    default_input_shape: tuple
    min_size: int
    shortcuts: tuple


# He et al. 2016, Table 1; identity shortcuts, projections where the shape changes.
IMAGENET = {
    "filters": (64, 128, 256, 512),
    "stem": "imagenet",
    "default_input_shape": (224, 224, 3),
    "min_size": 32,
    "shortcuts": ("auto",),
}
# Section 4.2: three stages of n blocks, 6n + 2 weighted layers.
CIFAR = {
    "filters": (16, 32, 64),
    "stem": "cifar",
    "default_input_shape": (32, 32, 3),
    "min_size": 8,
    "shortcuts": ("zero_pad", "projection"),
}
# Keyed by the default model name ("v2" is appended with `preactivation=True`).
RESNET_PRESETS = {
    "resnet18": ResNetPreset((2, 2, 2, 2), bottleneck=False, **IMAGENET),
    "resnet34": ResNetPreset((3, 4, 6, 3), bottleneck=False, **IMAGENET),
    "resnet50": ResNetPreset((3, 4, 6, 3), bottleneck=True, **IMAGENET),
    "resnet101": ResNetPreset((3, 4, 23, 3), bottleneck=True, **IMAGENET),
    "resnet152": ResNetPreset((3, 8, 36, 3), bottleneck=True, **IMAGENET),
    "resnet20": ResNetPreset((3, 3, 3), bottleneck=False, **CIFAR),
    "resnet32": ResNetPreset((5, 5, 5), bottleneck=False, **CIFAR),
    "resnet44": ResNetPreset((7, 7, 7), bottleneck=False, **CIFAR),
    "resnet56": ResNetPreset((9, 9, 9), bottleneck=False, **CIFAR),
    "resnet110": ResNetPreset((18, 18, 18), bottleneck=False, **CIFAR),
}


SHARED_DOCSTRING = """
    Batch normalization after short runs: inference reads the moving averages
    of the batch statistics, which with momentum 0.99 need hundreds of steps
    to catch up with the weights, so a briefly trained net can evaluate near
    chance while it fits its training data. Lower `batch_norm_momentum` (the
    CIFAR nets' 0.9), train longer, or evaluate with the statistics
    recomputed on training data in `training=True` mode.

    Args:
        include_top: whether to add global average pooling and the classifier.
        weights: None (random initialization) or the path of a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional `(height, width, channels)`: by default
            (224, 224, 3), at least 32x32, for the ImageNet nets; (32, 32, 3),
            at least 8x8, for the CIFAR nets.
        pooling: with `include_top=False`, `None` (4D feature map), `"avg"` or
            `"max"` (global pooling).
        classes: number of classes, with `include_top=True`.
        classifier_activation: activation of the classifier (`None` for logits).
        preactivation: bool, v2 (pre-activation) residual blocks.
        shortcut: CIFAR nets only, the shortcut where the shape changes:
            `"zero_pad"` (option A, the paper's CIFAR choice: no weights) or
            `"projection"` (option B).
        batch_norm_momentum: float in [0, 1), the momentum of the moving
            statistics of every batch normalization: by default Keras' 0.99
            for the ImageNet nets, 0.9 for the CIFAR nets (the 0.1 of the
            reference Torch code, whose momentum weighs the new batch).
        batch_norm_epsilon: positive float, the variance epsilon of every batch
            normalization: by default 1.001e-5 for the ImageNet nets (as
            `keras.applications.ResNet50`), 1e-5 (Torch's) for the CIFAR nets.
        name: model name; by default the function's name in lower case, with
            `"v2"` appended when `preactivation=True`.

    Returns:
        A `keras.Model`.
"""


def _with_shared_docstring(application):
    """Inserts `SHARED_DOCSTRING` before the Example of `application`'s docstring."""
    summary, example = application.__doc__.split("\n    Example:")
    application.__doc__ = f"{summary.rstrip()}\n{SHARED_DOCSTRING}\n    Example:{example}"
    return application


def build_resnet(preset_name, *, include_top, weights, input_tensor, input_shape, pooling,
                 classes, classifier_activation, preactivation, batch_norm_momentum,
                 batch_norm_epsilon, name, shortcut="auto"):
    """Builds the ResNet `RESNET_PRESETS[preset_name]`.

    The public functions pass their own arguments, all by keyword
    (`**locals()`, their only statement): see `SHARED_DOCSTRING`.
    """
    preset = RESNET_PRESETS[preset_name]
    application_utils.check_arguments(include_top, weights, pooling, classes, classifier_activation)
    validation.boolean("preactivation", preactivation)
    batch_norm = layer_sequences.batch_norm_arguments(batch_norm_momentum, batch_norm_epsilon)
    validation.one_of("shortcut", shortcut, preset.shortcuts)
    inputs = application_utils.image_input(
        input_tensor, input_shape, preset.default_input_shape, preset.min_size
    )
    x = _stem(inputs, preset.stem, preactivation, batch_norm)
    x = _residual_stages(x, preset, preactivation, shortcut, batch_norm)
    if preactivation:
        # v2 nets end with the batch norm + ReLU that no block applied after its sum.
        x = _batch_norm(batch_norm, "post_bn")(x)
        x = keras.layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        outputs = application_utils.classifier(x, classes, classifier_activation)
    else:
        outputs = application_utils.pool_features(x, pooling)
    name = name or preset_name + ("v2" if preactivation else "")
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)


def _batch_norm(batch_norm, name):
    """A batch normalization with the `(momentum, epsilon)` pair `batch_norm`."""
    return layer_sequences.batch_normalization(*batch_norm, dtype=None, name=name)


def _stem(inputs, stem, preactivation, batch_norm):
    """The first convolution (+ batch norm and ReLU in v1) and, for ImageNet, max pooling."""
    if stem == "imagenet":
        # Table 1 (as keras.applications.ResNet): 7x7/2 conv, 3x3/2 max pooling.
        x = keras.layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
        x = keras.layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    else:
        # Section 4.2: a 3x3 conv with 16 filters.
        x = keras.layers.Conv2D(16, 3, padding="same", name="conv1_conv")(inputs)
    if not preactivation:
        x = _batch_norm(batch_norm, "conv1_bn")(x)
        x = keras.layers.Activation("relu", name="conv1_relu")(x)
    if stem == "imagenet":
        x = keras.layers.ZeroPadding2D(1, name="pool1_pad")(x)
        x = keras.layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    return x


def _residual_stages(x, preset, preactivation, shortcut, batch_norm):
    """The stages of residual blocks; each stage but the first halves the size."""
    for stage, (filters, blocks) in enumerate(zip(preset.filters, preset.block_counts)):
        for block in range(blocks):
            x = ResidualBlock(
                filters,
                strides=2 if stage > 0 and block == 0 else 1,
                bottleneck=preset.bottleneck,
                preactivation=preactivation,
                shortcut=shortcut,
                batch_norm_momentum=batch_norm[0],
                batch_norm_epsilon=batch_norm[1],
                name=f"stage{stage + 1}_block{block + 1}",
            )(x)
    return x


@keras_dl_export("keras_dl.applications.ResNet18")
@_with_shared_docstring
def ResNet18(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", preactivation=False,
             batch_norm_momentum=0.99, batch_norm_epsilon=1.001e-5, name=None):
    """Instantiates the 18-layer ResNet for ImageNet: 2, 2, 2 and 2 basic blocks.

    Example:

    >>> ResNet18().count_params()
    11703912
    """
    return build_resnet("resnet18", **locals())


@keras_dl_export("keras_dl.applications.ResNet34")
@_with_shared_docstring
def ResNet34(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", preactivation=False,
             batch_norm_momentum=0.99, batch_norm_epsilon=1.001e-5, name=None):
    """Instantiates the 34-layer ResNet for ImageNet: 3, 4, 6 and 3 basic blocks.

    Example:

    >>> ResNet34().count_params()
    21823208
    """
    return build_resnet("resnet34", **locals())


@keras_dl_export("keras_dl.applications.ResNet50")
@_with_shared_docstring
def ResNet50(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=1000, classifier_activation="softmax", preactivation=False,
             batch_norm_momentum=0.99, batch_norm_epsilon=1.001e-5, name=None):
    """Instantiates the 50-layer ResNet for ImageNet: 3, 4, 6 and 3 bottleneck blocks.

    Example:

    >>> ResNet50().count_params()
    25636712
    """
    return build_resnet("resnet50", **locals())


@keras_dl_export("keras_dl.applications.ResNet101")
@_with_shared_docstring
def ResNet101(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", preactivation=False,
              batch_norm_momentum=0.99, batch_norm_epsilon=1.001e-5, name=None):
    """Instantiates the 101-layer ResNet for ImageNet: 3, 4, 23 and 3 bottleneck blocks.

    Example:

    >>> ResNet101().count_params()
    44707176
    """
    return build_resnet("resnet101", **locals())


@keras_dl_export("keras_dl.applications.ResNet152")
@_with_shared_docstring
def ResNet152(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
              classes=1000, classifier_activation="softmax", preactivation=False,
              batch_norm_momentum=0.99, batch_norm_epsilon=1.001e-5, name=None):
    """Instantiates the 152-layer ResNet for ImageNet: 3, 8, 36 and 3 bottleneck blocks.

    Example:

    >>> ResNet152().count_params()
    60419944
    """
    return build_resnet("resnet152", **locals())


@keras_dl_export("keras_dl.applications.ResNet20")
@_with_shared_docstring
def ResNet20(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=10, classifier_activation="softmax", preactivation=False, shortcut="zero_pad",
             batch_norm_momentum=0.9, batch_norm_epsilon=1e-5, name=None):
    """Instantiates the 20-layer ResNet for CIFAR: 3 stages of 3 basic blocks.

    Example:

    >>> ResNet20().count_params()
    271786
    """
    return build_resnet("resnet20", **locals())


@keras_dl_export("keras_dl.applications.ResNet32")
@_with_shared_docstring
def ResNet32(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=10, classifier_activation="softmax", preactivation=False, shortcut="zero_pad",
             batch_norm_momentum=0.9, batch_norm_epsilon=1e-5, name=None):
    """Instantiates the 32-layer ResNet for CIFAR: 3 stages of 5 basic blocks.

    Example:

    >>> ResNet32().count_params()
    467562
    """
    return build_resnet("resnet32", **locals())


@keras_dl_export("keras_dl.applications.ResNet44")
@_with_shared_docstring
def ResNet44(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=10, classifier_activation="softmax", preactivation=False, shortcut="zero_pad",
             batch_norm_momentum=0.9, batch_norm_epsilon=1e-5, name=None):
    """Instantiates the 44-layer ResNet for CIFAR: 3 stages of 7 basic blocks.

    Example:

    >>> ResNet44().count_params()
    663338
    """
    return build_resnet("resnet44", **locals())


@keras_dl_export("keras_dl.applications.ResNet56")
@_with_shared_docstring
def ResNet56(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
             classes=10, classifier_activation="softmax", preactivation=False, shortcut="zero_pad",
             batch_norm_momentum=0.9, batch_norm_epsilon=1e-5, name=None):
    """Instantiates the 56-layer ResNet for CIFAR: 3 stages of 9 basic blocks.

    Example:

    >>> ResNet56().count_params()
    859114
    """
    return build_resnet("resnet56", **locals())


@keras_dl_export("keras_dl.applications.ResNet110")
@_with_shared_docstring
def ResNet110(include_top=True, weights=None, input_tensor=None, input_shape=None, pooling=None,
              classes=10, classifier_activation="softmax", preactivation=False, shortcut="zero_pad",
              batch_norm_momentum=0.9, batch_norm_epsilon=1e-5, name=None):
    """Instantiates the 110-layer ResNet for CIFAR: 3 stages of 18 basic blocks.

    Example:

    >>> ResNet110().count_params()
    1740106
    """
    return build_resnet("resnet110", **locals())
