"""A CNN on every frame followed by an LSTM over the frame features."""

import keras

from keras_dl.applications import application_utils
from keras_dl.layers import FrameDistributed, layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

DEFAULT_BATCH_NORM = (0.9, 1e-3)


def default_frame_backbone(frame_shape, batch_norm=DEFAULT_BATCH_NORM):
    """Three conv (32, 64, 64) + batch norm + ReLU + 2x2 max pooling stages, then
    global average pooling: a small frame encoder for 16-64 pixel frames.

    `batch_norm` is the `(momentum, epsilon)` pair of the batch normalizations.
    The default momentum is 0.9 rather than Keras' 0.99 so that their moving
    statistics keep up with the weights in short training runs: sequence
    models read small differences between frames, and statistics that lag
    behind shift those differences at inference.
    """
    inputs = keras.Input(frame_shape)
    x = inputs
    for index, filters in enumerate((32, 64, 64)):
        x = keras.layers.Conv2D(
            filters, 3, padding="same", use_bias=False, name=f"conv{index + 1}"
        )(x)
        x = keras.layers.BatchNormalization(
            momentum=batch_norm[0], epsilon=batch_norm[1], name=f"bn{index + 1}"
        )(x)
        x = keras.layers.Activation("relu", name=f"relu{index + 1}")(x)
        x = keras.layers.MaxPooling2D(2, padding="same", name=f"pool{index + 1}")(x)
    outputs = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    return keras.Model(inputs, outputs, name="frame_cnn")


@keras_dl_export("keras_dl.applications.CNNLSTM")
def CNNLSTM(
    input_shape=None,
    backbone=None,
    lstm_units=128,
    include_top=True,
    weights=None,
    input_tensor=None,
    classes=2,
    classifier_activation="softmax",
    batch_norm_momentum=None,
    batch_norm_epsilon=None,
    name="cnn_lstm",
):
    """Instantiates a CNN-LSTM sequence classifier.

    The same CNN encodes every frame (`keras_dl.layers.FrameDistributed`, a
    `TimeDistributed` that keeps batch normalization consistent between
    training and inference), an LSTM reads the sequence of frame features,
    and a classifier reads its last state. The
    CNN learns what each frame shows; the LSTM learns how it changes, which is
    what tells apart classes that no single frame reveals (genotypes by their
    growth, actions by their motion).

    Batch normalization after short runs: the default backbone's momentum
    is 0.9 rather than Keras' 0.99, so that its moving statistics, which
    inference uses, keep up with the weights. A given `backbone` keeps its
    own: with momentum 0.99 and a short run, the model can evaluate near
    chance while it fits its training data; lower the backbone's momentum
    (e.g. `ResNet18(..., batch_norm_momentum=0.9)`) or train longer.

    Reference: Taghavi Namin, Esmaeilzadeh, Najafi, Brown & Borevitz, "Deep
    phenotyping: deep learning for temporal phenotype/genotype
    classification", Plant Methods 14, 2018; Donahue et al., "Long-term
    Recurrent Convolutional Networks", CVPR 2015.

    Args:
        input_shape: `(timesteps, height, width, channels)`; `timesteps` may
            be None for variable-length sequences. Taken from `input_tensor`
            when omitted.
        backbone: optional image `keras.Model` applied to every frame (e.g.
            `keras_dl.applications.ResNet20(include_top=False,
            pooling="avg")`); a 4D feature map output is globally
            average-pooled. Defaults to a small three-stage CNN.
        lstm_units: positive int, the LSTM width.
        include_top: whether to add the classifier (otherwise the model
            outputs the LSTM's last state).
        weights: None (random initialization) or the path of a weights file.
        input_tensor: optional tensor to use as the sequence input.
        classes: number of classes, with `include_top=True`.
        classifier_activation: activation of the classifier.
        batch_norm_momentum: float in [0, 1), the momentum of the batch
            normalizations of the default backbone; None for 0.9. A given
            `backbone` keeps its own, so it cannot be combined with this.
        batch_norm_epsilon: positive float, their variance epsilon; None for
            1e-3. Not allowed with a given `backbone` either.
        name: model name.

    Returns:
        A `keras.Model`.

    Example:

    >>> model = CNNLSTM(input_shape=(8, 32, 32, 1), classes=3)
    >>> tuple(model.output.shape)
    (None, 3)
    """
    application_utils.check_arguments(include_top, weights, None, classes, classifier_activation)
    lstm_units = validation.positive_int("lstm_units", lstm_units)
    if input_shape is None and input_tensor is not None:
        input_shape = tuple(input_tensor.shape[1:])
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 4:
        raise ValueError(
            f"`input_shape` must be (timesteps, height, width, channels), received: {input_shape!r}"
        )
    frame_shape = tuple(input_shape[1:])
    batch_norm = (batch_norm_momentum, batch_norm_epsilon)
    if backbone is not None and batch_norm != (None, None):
        raise ValueError(
            "`batch_norm_momentum` and `batch_norm_epsilon` set the default backbone; a given "
            f"`backbone` keeps its own batch normalization, received: {batch_norm}"
        )
    if backbone is None:
        default_momentum, default_epsilon = DEFAULT_BATCH_NORM
        batch_norm = layer_sequences.batch_norm_arguments(
            default_momentum if batch_norm_momentum is None else batch_norm_momentum,
            default_epsilon if batch_norm_epsilon is None else batch_norm_epsilon,
        )
        backbone = default_frame_backbone(frame_shape, batch_norm)
    elif (
        tuple(validation.keras_model("backbone", backbone).input_shape[1:]) != frame_shape
        and None not in backbone.input_shape[1:3]
    ):
        raise ValueError(
            f"`backbone` takes frames of shape {tuple(backbone.input_shape[1:])} but "
            f"`input_shape` has frames of shape {frame_shape}"
        )
    if input_tensor is None:
        inputs = keras.Input(shape=tuple(input_shape), name="frames")
    elif keras.backend.is_keras_tensor(input_tensor):
        inputs = input_tensor
    else:
        inputs = keras.Input(tensor=input_tensor, shape=tuple(input_shape), name="frames")
    features = FrameDistributed(backbone, name="frame_features")(inputs)
    if len(features.shape) == 5:
        features = FrameDistributed(keras.layers.GlobalAveragePooling2D(), name="frame_pooling")(
            features
        )
    outputs = keras.layers.LSTM(lstm_units, name="lstm")(features)
    if include_top:
        outputs = application_utils.classifier(outputs, classes, classifier_activation)
    return application_utils.build_model(input_tensor, inputs, outputs, name, weights, classes)
