"""Private helpers for composite layers built from plain lists of Keras layers.

The composite layers (Mlpconv, InceptionBlock, ResidualBlock) create their
sub-layers in `build()`, as lists applied in order. These helpers create the
common conv -> batch norm -> activation unit, build a list shape by shape, and
apply it, so that each composite layer only states its own wiring.
"""

import keras

from keras_dl.utils import validation


def conv_norm_activation(
    filters,
    kernel_size,
    *,
    strides=1,
    padding="same",
    use_batchnorm=False,
    batch_norm_momentum=0.99,
    batch_norm_epsilon=1e-3,
    activation=None,
    use_bias=None,
    dtype=None,
    name,
):
    """Returns `[Conv2D, (BatchNormalization), (Activation)]` as a list.

    The batch normalization, when `use_batchnorm`, has the given momentum and epsilon.

    `use_bias` defaults to `not use_batchnorm` (batch norm's beta replaces the bias).
    """
    if use_bias is None:
        use_bias = not use_batchnorm
    layers = [
        keras.layers.Conv2D(
            filters,
            kernel_size,
            strides=strides,
            padding=padding,
            use_bias=use_bias,
            kernel_initializer="he_normal",
            dtype=dtype,
            name=f"{name}_conv",
        )
    ]
    if use_batchnorm:
        layers.append(
            batch_normalization(batch_norm_momentum, batch_norm_epsilon, dtype, f"{name}_bn")
        )
    if activation is not None:
        layers.append(keras.layers.Activation(activation, dtype=dtype, name=f"{name}_act"))
    return layers


def batch_normalization(momentum, epsilon, dtype, name):
    """Returns a `BatchNormalization` layer with the given momentum and epsilon."""
    return keras.layers.BatchNormalization(
        momentum=momentum, epsilon=epsilon, dtype=dtype, name=name
    )


def batch_norm_arguments(momentum, epsilon):
    """Validates `batch_norm_momentum` (in [0, 1)) and `batch_norm_epsilon` (> 0)."""
    return (
        validation.rate("batch_norm_momentum", momentum),
        validation.positive_float("batch_norm_epsilon", epsilon),
    )


def check_image_shape(layer_name, input_shape):
    """Refuses input shapes other than `(batch, height, width, channels)` with known channels."""
    if len(input_shape) != 4 or input_shape[-1] is None:
        raise ValueError(
            f"{layer_name} expects a 4D input (batch, height, width, channels) with known "
            f"channels, received input shape {tuple(input_shape)}"
        )


def check_float_input(layer_name, inputs):
    """Refuses non-floating inputs, which convolutions with float kernels cannot take."""
    dtype = keras.backend.standardize_dtype(inputs.dtype)
    if not keras.backend.is_float_dtype(dtype):
        raise TypeError(
            f"{layer_name} expects floating-point inputs (cast images, e.g. to float32, "
            f"first), received dtype {dtype}"
        )


def build_sequence(layers, input_shape):
    """Builds `layers` one after another and returns the final output shape."""
    shape = input_shape
    for layer in layers:
        layer.build(shape)
        shape = layer.compute_output_shape(shape)
    return shape


def apply_sequence(layers, x):
    """Applies `layers` in order (training mode propagates through Keras' call context)."""
    for layer in layers:
        x = layer(x)
    return x
