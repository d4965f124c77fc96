"""ResNet for ImageNet (18 to 152 layers) and for CIFAR (6n + 2 layers).

References:
    He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition",
    CVPR 2016 (Table 1: the ImageNet nets; section 4.2: the CIFAR nets).
    He, Zhang, Ren & Sun, "Identity Mappings in Deep Residual Networks",
    ECCV 2016 (the pre-activation, v2, ordering).
"""

import keras

from keras_dl.applications import application_utils
from keras_dl.layers import ResidualBlock, layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

IMAGENET_FILTERS = (64, 128, 256, 512)
CIFAR_FILTERS = (16, 32, 64)
RESNET_DOCSTRING = """Instantiates the {depth}-layer ResNet{layout}.

    Reference: He et al., "Deep Residual Learning for Image Recognition", CVPR
    2016{reference}. `preactivation=True` gives the v2 ordering of He et al.,
    "Identity Mappings in Deep Residual Networks", ECCV 2016.

    Args:
        include_top: whether to add global average pooling and the classifier.
        weights: None (random initialization) or the path of a weights file.
        input_tensor: optional tensor to use as the image input.
        input_shape: optional `(height, width, channels)`, default {default_shape};
            height and width at least {min_size}.
        pooling: with `include_top=False`, `None` (4D feature map), `"avg"` or
            `"max"` (global pooling).
        classes: number of classes, with `include_top=True`.
        classifier_activation: activation of the classifier (`None` for logits).
        preactivation: bool, v2 (pre-activation) residual blocks.{extra_args}
        batch_norm_momentum: float in [0, 1), the momentum of the moving
            statistics of every batch normalization; default {momentum}.{momentum_note}
        batch_norm_epsilon: positive float, the variance epsilon of every batch
            normalization; default {epsilon}.
        name: model name; defaults to `"{default_name}"` (`"{default_name}v2"`
            with `preactivation=True`).

    Returns:
        A `keras.Model`.

    Example:

    >>> model = {function}(input_shape=(32, 32, 3), classes=10)
    >>> tuple(model.output.shape)
    (None, 10)
    """


def _residual_stages(x, filters, block_counts, bottleneck, preactivation, shortcut, batch_norm):
    """The stages of residual blocks; each stage but the first halves the size.

    `batch_norm` is the `(momentum, epsilon)` pair of every batch normalization.
    """
    for stage, (stage_filters, blocks) in enumerate(zip(filters, block_counts)):
        for block in range(blocks):
            x = ResidualBlock(
                stage_filters,
                strides=2 if stage > 0 and block == 0 else 1,
                bottleneck=bottleneck,
                preactivation=preactivation,
                shortcut=shortcut,
                batch_norm_momentum=batch_norm[0],
                batch_norm_epsilon=batch_norm[1],
                name=f"stage{stage + 1}_block{block + 1}",
            )(x)
    return x


def _batch_norm(batch_norm, name):
    momentum, epsilon = batch_norm
    return keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon, name=name)


def _post_activation(x, preactivation, batch_norm):
    """v2 nets end with the batch norm + ReLU that no block applied after its sum."""
    if not preactivation:
        return x
    x = _batch_norm(batch_norm, "post_bn")(x)
    return keras.layers.Activation("relu", name="post_relu")(x)


def _top(x, include_top, pooling, classes, classifier_activation):
    if include_top:
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        return application_utils.classifier(x, classes, classifier_activation)
    return application_utils.pool_features(x, pooling)


def _imagenet_resnet(block_counts, bottleneck, default_name, include_top, weights, input_tensor,
                     input_shape, pooling, classes, classifier_activation, preactivation,
                     batch_norm_momentum, batch_norm_epsilon, name):
    application_utils.check_arguments(include_top, weights, pooling, classes, classifier_activation)
    validation.boolean("preactivation", preactivation)
    batch_norm = layer_sequences.batch_norm_arguments(batch_norm_momentum, batch_norm_epsilon)
    inputs = application_utils.image_input(input_tensor, input_shape, (224, 224, 3), min_size=32)
    # Stem of Table 1 (as keras.applications.ResNet): 7x7/2 conv, 3x3/2 max pooling.
    x = keras.layers.ZeroPadding2D(3, name="conv1_pad")(inputs)
    x = keras.layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    if not preactivation:
        x = _batch_norm(batch_norm, "conv1_bn")(x)
        x = keras.layers.Activation("relu", name="conv1_relu")(x)
    x = keras.layers.ZeroPadding2D(1, name="pool1_pad")(x)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = _residual_stages(
        x, IMAGENET_FILTERS, block_counts, bottleneck, preactivation, "auto", batch_norm
    )
    x = _post_activation(x, preactivation, batch_norm)
    outputs = _top(x, include_top, pooling, classes, classifier_activation)
    name = name or default_name + ("v2" if preactivation else "")
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)


def _cifar_resnet(blocks_per_stage, default_name, include_top, weights, input_tensor, input_shape,
                  pooling, classes, classifier_activation, preactivation, shortcut,
                  batch_norm_momentum, batch_norm_epsilon, name):
    application_utils.check_arguments(include_top, weights, pooling, classes, classifier_activation)
    validation.boolean("preactivation", preactivation)
    batch_norm = layer_sequences.batch_norm_arguments(batch_norm_momentum, batch_norm_epsilon)
    validation.one_of("shortcut", shortcut, ("zero_pad", "projection"))
    inputs = application_utils.image_input(input_tensor, input_shape, (32, 32, 3), min_size=8)
    # Section 4.2: a 3x3 conv with 16 filters, then 3 stages of 2n layers.
    x = keras.layers.Conv2D(16, 3, padding="same", name="conv1_conv")(inputs)
    if not preactivation:
        x = _batch_norm(batch_norm, "conv1_bn")(x)
        x = keras.layers.Activation("relu", name="conv1_relu")(x)
    x = _residual_stages(
        x, CIFAR_FILTERS, (blocks_per_stage,) * 3, False, preactivation, shortcut, batch_norm
    )
    x = _post_activation(x, preactivation, batch_norm)
    outputs = _top(x, include_top, pooling, classes, classifier_activation)
    name = name or default_name + ("v2" if preactivation else "")
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)


def _imagenet_variant(function_name, block_counts, bottleneck):
    default_name = function_name.lower()

    def application(include_top=True, weights=None, input_tensor=None, input_shape=None,
                    pooling=None, classes=1000, classifier_activation="softmax",
                    preactivation=False, batch_norm_momentum=0.99,
                    batch_norm_epsilon=1.001e-5, name=None):
        return _imagenet_resnet(block_counts, bottleneck, default_name, include_top, weights,
                                input_tensor, input_shape, pooling, classes,
                                classifier_activation, preactivation, batch_norm_momentum,
                                batch_norm_epsilon, name)

    application.__name__ = application.__qualname__ = function_name
    application.__doc__ = RESNET_DOCSTRING.format(
        depth=function_name[len("ResNet"):], layout=" for ImageNet", default_shape="(224, 224, 3)",
        min_size=32, reference=", Table 1", momentum="0.99 (Keras' default)",
        momentum_note="", epsilon="1.001e-5 (as `keras.applications.ResNet50`)", extra_args="",
        default_name=default_name,
        function=function_name,
    )
    return keras_dl_export(f"keras_dl.applications.{function_name}")(application)


def _cifar_variant(function_name, blocks_per_stage):
    default_name = function_name.lower()

    def application(include_top=True, weights=None, input_tensor=None, input_shape=None,
                    pooling=None, classes=10, classifier_activation="softmax",
                    preactivation=False, shortcut="zero_pad", batch_norm_momentum=0.9,
                    batch_norm_epsilon=1e-5, name=None):
        return _cifar_resnet(blocks_per_stage, default_name, include_top, weights, input_tensor,
                             input_shape, pooling, classes, classifier_activation, preactivation,
                             shortcut, batch_norm_momentum, batch_norm_epsilon, name)

    application.__name__ = application.__qualname__ = function_name
    application.__doc__ = RESNET_DOCSTRING.format(
        depth=function_name[len("ResNet"):], layout=" for CIFAR (3 stages of 16/32/64 filters)",
        default_shape="(32, 32, 3)", min_size=8, reference=", section 4.2", momentum="0.9",
        momentum_note=(
            "\n            This is the value of the reference Torch/PyTorch CIFAR training\n"
            "            code: their momentum 0.1 weighs the new batch, Keras' 0.9 the old\n"
            "            average, so both mean the same update. With Keras' 0.99 the moving\n"
            "            statistics lag the weights for hundreds of steps and a short run\n"
            "            evaluates much worse than it trains."
        ),
        epsilon="1e-5 (Torch/PyTorch's)",
        extra_args=(
            "\n        shortcut: `\"zero_pad\"` (option A, the paper's CIFAR choice: no\n"
            "            weights) or `\"projection\"` (option B) where the shape changes."
        ),
        default_name=default_name, function=function_name,
    )
    return keras_dl_export(f"keras_dl.applications.{function_name}")(application)


ResNet18 = _imagenet_variant("ResNet18", (2, 2, 2, 2), bottleneck=False)
ResNet34 = _imagenet_variant("ResNet34", (3, 4, 6, 3), bottleneck=False)
ResNet50 = _imagenet_variant("ResNet50", (3, 4, 6, 3), bottleneck=True)
ResNet101 = _imagenet_variant("ResNet101", (3, 4, 23, 3), bottleneck=True)
ResNet152 = _imagenet_variant("ResNet152", (3, 8, 36, 3), bottleneck=True)
ResNet20 = _cifar_variant("ResNet20", 3)
ResNet32 = _cifar_variant("ResNet32", 5)
ResNet44 = _cifar_variant("ResNet44", 7)
ResNet56 = _cifar_variant("ResNet56", 9)
ResNet110 = _cifar_variant("ResNet110", 18)
