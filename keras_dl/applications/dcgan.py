"""The generator and discriminator of DCGAN."""

import math

import keras

from keras_dl.layers import layer_sequences
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

SUPPORTED_SIZES = (28, 32, 64)


def _initializer():
    """Section 4: all weights from a zero-centred normal with standard deviation 0.02."""
    return keras.initializers.RandomNormal(0.0, 0.02)


def _batch_norm(batch_norm, name):
    momentum, epsilon = batch_norm
    return keras.layers.BatchNormalization(
        momentum=momentum,
        epsilon=epsilon,
        gamma_initializer=keras.initializers.RandomNormal(1.0, 0.02),
        name=name,
    )


def _check_image_shape(argument, shape):
    if (
        not isinstance(shape, (tuple, list))
        or len(shape) != 3
        or shape[0] != shape[1]
        or shape[0] not in SUPPORTED_SIZES
    ):
        raise ValueError(
            f"`{argument}` must be (size, size, channels) with size in {SUPPORTED_SIZES}, "
            f"received: {shape!r}"
        )
    validation.positive_int(f"{argument}[2] (channels)", shape[2])
    return tuple(shape)


def _resolution_steps(size):
    """Number of stride-2 steps between the 4x4 (7x7 for 28) base and `size`."""
    base = 7 if size == 28 else 4
    return base, int(math.log2(size // base))


@keras_dl_export("keras_dl.applications.DCGANGenerator")
def DCGANGenerator(
    latent_dim=100,
    output_shape=(64, 64, 3),
    filters=64,
    batch_norm_momentum=0.99,
    batch_norm_epsilon=1e-3,
    name="dcgan_generator",
):
    """Instantiates the DCGAN generator.

    Following the architecture guidelines of Radford et al.: a projection of
    `z` to a small spatial map, then fractionally-strided (transposed) 5x5
    convolutions that double the size, batch normalization and ReLU in every
    layer but the output, tanh at the output (images in [-1, 1]), and weights
    drawn from N(0, 0.02). For 64x64 outputs the channels go 512-256-128-64,
    as in the paper's Figure 1.

    Batch normalization after short runs: at momentum 0.99 the moving
    statistics that inference mode uses lag the weights for hundreds of
    steps, so after a short run both networks behave differently in
    inference mode than in training; lower `batch_norm_momentum` (e.g. 0.9)
    or train longer.

    Reference: Radford, Metz & Chintala, "Unsupervised Representation Learning
    with Deep Convolutional Generative Adversarial Networks", ICLR 2016.

    Args:
        latent_dim: positive int, the size of `z`.
        output_shape: `(size, size, channels)` with size 28, 32 or 64.
        filters: positive int, the channels of the last hidden layer.
        batch_norm_momentum: float in [0, 1), the momentum of the moving
            statistics of every batch normalization (Keras' default 0.99).
        batch_norm_epsilon: positive float, the variance epsilon of every batch
            normalization.
        name: model name.

    Returns:
        A `keras.Model` from `(batch, latent_dim)` to images in [-1, 1].

    Example:

    >>> generator = DCGANGenerator(latent_dim=64, output_shape=(28, 28, 1))
    >>> tuple(generator.output.shape)
    (None, 28, 28, 1)
    """
    latent_dim = validation.positive_int("latent_dim", latent_dim)
    filters = validation.positive_int("filters", filters)
    size, _, channels = _check_image_shape("output_shape", output_shape)
    batch_norm = layer_sequences.batch_norm_arguments(batch_norm_momentum, batch_norm_epsilon)
    base, steps = _resolution_steps(size)
    z = keras.Input((latent_dim,), name="z")
    width = filters * 2 ** (steps - 1)
    x = keras.layers.Dense(
        base * base * width, use_bias=False, kernel_initializer=_initializer(), name="project"
    )(z)
    x = keras.layers.Reshape((base, base, width), name="reshape")(x)
    x = _batch_norm(batch_norm, "project_bn")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for step in range(steps - 1):
        width //= 2
        x = keras.layers.Conv2DTranspose(
            width,
            5,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=_initializer(),
            name=f"deconv{step + 1}",
        )(x)
        x = _batch_norm(batch_norm, f"deconv{step + 1}_bn")(x)
        x = keras.layers.ReLU(name=f"deconv{step + 1}_relu")(x)
    images = keras.layers.Conv2DTranspose(
        channels,
        5,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=_initializer(),
        name="image",
    )(x)
    return keras.Model(z, images, name=name)


@keras_dl_export("keras_dl.applications.DCGANDiscriminator")
def DCGANDiscriminator(
    input_shape=(64, 64, 3),
    filters=64,
    batch_norm=True,
    batch_norm_momentum=0.99,
    batch_norm_epsilon=1e-3,
    name="dcgan_discriminator",
):
    """Instantiates the DCGAN discriminator.

    Strided 5x5 convolutions instead of pooling, batch normalization in every
    layer but the input layer, LeakyReLU with slope 0.2, weights from
    N(0, 0.02), and one output logit (no sigmoid: the GAN losses of
    `keras_dl.losses` take logits).

    Reference: Radford, Metz & Chintala, ICLR 2016.

    Args:
        input_shape: `(size, size, channels)` with size 28, 32 or 64.
        filters: positive int, the channels of the first layer (doubled at
            every following layer).
        batch_norm: bool; False for a WGAN-GP critic, whose gradient penalty
            is defined per sample and must not mix samples through batch
            statistics (Gulrajani et al. 2017, section 4).
        batch_norm_momentum, batch_norm_epsilon: as for `DCGANGenerator`.
        name: model name.

    Returns:
        A `keras.Model` from images to `(batch, 1)` logits.

    Example:

    >>> discriminator = DCGANDiscriminator(input_shape=(32, 32, 3))
    >>> tuple(discriminator.output.shape)
    (None, 1)
    """
    filters = validation.positive_int("filters", filters)
    batch_norm = validation.boolean("batch_norm", batch_norm)
    batch_norm_arguments = layer_sequences.batch_norm_arguments(
        batch_norm_momentum, batch_norm_epsilon
    )
    size, _, _ = _check_image_shape("input_shape", input_shape)
    _, steps = _resolution_steps(size)
    images = keras.Input(tuple(input_shape), name="images")
    x = images
    for step in range(steps):
        x = keras.layers.Conv2D(
            filters * 2**step,
            5,
            strides=2,
            padding="same",
            use_bias=step == 0 or not batch_norm,
            kernel_initializer=_initializer(),
            name=f"conv{step + 1}",
        )(x)
        if step > 0 and batch_norm:
            x = _batch_norm(batch_norm_arguments, f"conv{step + 1}_bn")(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2, name=f"conv{step + 1}_lrelu")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(1, kernel_initializer=_initializer(), name="logit")(x)
    return keras.Model(images, logits, name=name)
