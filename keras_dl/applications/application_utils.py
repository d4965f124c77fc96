"""Argument handling shared by the applications, following `keras.applications`.

Each application takes `include_top`, `weights` (None or a weights file path:
nothing is downloaded), `input_tensor`, `input_shape`, `pooling`, `classes`,
`classifier_activation` and `name`; these helpers validate them with messages
that name the argument, build the input, the head, and load the weights.
"""

import os

import keras

from keras_dl.utils import validation

POOLINGS = (None, "avg", "max")


def check_arguments(include_top, weights, pooling, classes, classifier_activation):
    """Validates the arguments every application shares."""
    validation.boolean("include_top", include_top)
    if weights is not None and not (
        isinstance(weights, (str, os.PathLike)) and os.path.isfile(weights)
    ):
        raise ValueError(
            "`weights` must be None (random initialization) or the path of an existing "
            f"weights file (nothing is downloaded), received: {weights!r}"
        )
    validation.one_of("pooling", pooling, POOLINGS)
    validation.positive_int("classes", classes)
    try:
        keras.activations.get(classifier_activation)
    except ValueError as error:
        raise ValueError(
            f"`classifier_activation` must be an activation name or callable, received: "
            f"{classifier_activation!r}"
        ) from error


def image_input(input_tensor, input_shape, default_shape, min_size):
    """Returns the `keras.Input` of an image model.

    Args:
        input_tensor: optional tensor to build the model on.
        input_shape: optional `(height, width, channels)`; defaults to the
            shape of `input_tensor`, else to `default_shape`.
        default_shape: the model's default input shape.
        min_size: the smallest height and width the model accepts.
    """
    if input_shape is None:
        if input_tensor is not None:
            input_shape = tuple(input_tensor.shape[1:])
        else:
            input_shape = default_shape
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != len(default_shape):
        raise ValueError(
            f"`input_shape` must be a tuple of {len(default_shape)} dimensions like "
            f"{default_shape}, received: {input_shape!r}"
        )
    input_shape = tuple(input_shape)
    for size in input_shape[-3:-1]:
        if size is not None and size < min_size:
            raise ValueError(
                f"`input_shape` must have height and width of at least {min_size}, "
                f"received: {input_shape}"
            )
    if input_shape[-1] is None:
        raise ValueError(f"`input_shape` must have a known channel count, received: {input_shape}")
    if input_tensor is None:
        return keras.Input(shape=input_shape, name="images")
    if keras.backend.is_keras_tensor(input_tensor):
        return input_tensor
    return keras.Input(tensor=input_tensor, shape=input_shape)


def pool_features(x, pooling):
    """Global average or max pooling, or nothing, as `pooling` says."""
    if pooling == "avg":
        return keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    if pooling == "max":
        return keras.layers.GlobalMaxPooling2D(name="max_pool")(x)
    return x


def classifier(x, classes, classifier_activation, name="predictions"):
    """The dense classification layer on pooled features."""
    return keras.layers.Dense(classes, activation=classifier_activation, name=name)(x)


def build_model(input_tensor, image_inputs, outputs, name, weights, classes):
    """Creates the functional model and loads `weights` if given."""
    inputs = (
        keras.utils.get_source_inputs(input_tensor) if input_tensor is not None else image_inputs
    )
    model = keras.Model(inputs, outputs, name=name)
    if weights is not None:
        try:
            model.load_weights(weights)
        except ValueError as error:
            raise ValueError(
                f"`weights` file {weights!r} does not fit this model (built with "
                f"classes={classes}): {error}"
            ) from error
    return model
