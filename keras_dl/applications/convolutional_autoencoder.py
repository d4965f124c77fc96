"""A convolutional autoencoder whose decoder unpools with the encoder's argmax."""

import keras

from keras_dl.layers import MaxPoolingWithArgmax2D, MaxUnpooling2D
from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

UNPOOLINGS = ("argmax", "upsampling")


@keras_dl_export("keras_dl.applications.ConvolutionalAutoencoder")
def ConvolutionalAutoencoder(
    input_shape,
    filters=(32, 64),
    latent_dim=None,
    unpooling="argmax",
    name="convolutional_autoencoder",
):
    """Instantiates a convolutional autoencoder (a `keras_dl.models.Autoencoder`).

    Encoder: per entry of `filters`, a 3x3 convolution with ReLU and a 2x2
    max pooling; then, if `latent_dim` is set, a dense code of that size.
    Decoder: the mirror image; with `unpooling="argmax"` each pooling is
    undone by `MaxUnpooling2D`, which puts values back where the encoder's
    maxima were (the encoder outputs `[code, argmax_1, ..., argmax_n]` and
    the decoder takes them all: the "switches" of Zeiler & Fergus and of
    SegNet); with `"upsampling"` by nearest-neighbour upsampling. The output
    is a sigmoid, for images in [0, 1].

    References: Masci, Meier, Ciresan & Schmidhuber, "Stacked Convolutional
    Auto-Encoders for Hierarchical Feature Extraction", ICANN 2011; Zeiler &
    Fergus, ECCV 2014; Badrinarayanan et al., "SegNet", TPAMI 2017.

    Args:
        input_shape: `(height, width, channels)`, height and width divisible
            by `2 ** len(filters)`.
        filters: non-empty list of positive ints, the channels of each stage.
        latent_dim: None (the code is the last feature map) or a positive int.
        unpooling: `"argmax"` or `"upsampling"`.
        name: the autoencoder's name.

    Returns:
        A `keras_dl.models.Autoencoder`.

    Example:

    >>> autoencoder = ConvolutionalAutoencoder((28, 28, 1), filters=(8, 16), latent_dim=10)
    >>> tuple(autoencoder.reconstruct(np.zeros((2, 28, 28, 1), "float32")).shape)
    (2, 28, 28, 1)
    """
    filters = validation.positive_int_sequence("filters", filters)
    unpooling = validation.one_of("unpooling", unpooling, UNPOOLINGS)
    if latent_dim is not None:
        latent_dim = validation.positive_int("latent_dim", latent_dim)
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(
            f"`input_shape` must be (height, width, channels), received: {input_shape!r}"
        )
    factor = 2 ** len(filters)
    if input_shape[0] % factor or input_shape[1] % factor:
        raise ValueError(
            f"`input_shape` height and width must be divisible by 2 ** len(filters) = {factor}, "
            f"received: {tuple(input_shape)}"
        )

    images = keras.Input(tuple(input_shape), name="images")
    x, switches = images, []
    for index, channels in enumerate(filters):
        x = keras.layers.Conv2D(
            channels, 3, padding="same", activation="relu", name=f"encode_conv{index + 1}"
        )(x)
        x, argmax = MaxPoolingWithArgmax2D(2, name=f"encode_pool{index + 1}")(x)
        switches.append(argmax)
    feature_shape = tuple(x.shape[1:])
    if latent_dim is not None:
        x = keras.layers.Flatten(name="flatten")(x)
        x = keras.layers.Dense(latent_dim, name="code")(x)
    use_switches = unpooling == "argmax"
    encoder = keras.Model(images, [x, *switches] if use_switches else x, name=f"{name}_encoder")

    code = keras.Input(tuple(x.shape[1:]), name="code")
    switch_inputs = (
        [
            keras.Input(tuple(argmax.shape[1:]), dtype="int32", name=f"argmax{index + 1}")
            for index, argmax in enumerate(switches)
        ]
        if use_switches
        else []
    )
    y = code
    if latent_dim is not None:
        y = keras.layers.Dense(
            int(feature_shape[0] * feature_shape[1] * feature_shape[2]),
            activation="relu",
            name="expand",
        )(y)
        y = keras.layers.Reshape(feature_shape, name="reshape")(y)
    for index in reversed(range(len(filters))):
        if use_switches:
            y = MaxUnpooling2D(2, name=f"decode_unpool{index + 1}")([y, switch_inputs[index]])
        else:
            y = keras.layers.UpSampling2D(2, name=f"decode_upsample{index + 1}")(y)
        channels = filters[index - 1] if index > 0 else filters[0]
        y = keras.layers.Conv2D(
            channels, 3, padding="same", activation="relu", name=f"decode_conv{index + 1}"
        )(y)
    reconstruction = keras.layers.Conv2D(
        input_shape[-1], 3, padding="same", activation="sigmoid", name="reconstruction"
    )(y)
    decoder = keras.Model(
        [code, *switch_inputs] if use_switches else code, reconstruction, name=f"{name}_decoder"
    )
    return Autoencoder(encoder, decoder, name=name)
