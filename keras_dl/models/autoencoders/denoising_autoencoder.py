"""The denoising autoencoder."""

import keras
from keras import ops

from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

NOISES = ("gaussian", "masking", "salt_and_pepper")


@keras_dl_export("keras_dl.models.DenoisingAutoencoder")
class DenoisingAutoencoder(Autoencoder):
    """An autoencoder trained to reconstruct clean inputs from corrupted ones.

    In training only, each input is corrupted before encoding, and the loss
    compares the reconstruction with the clean input, so copying the input is
    not a solution: the model must learn the structure of the data to undo
    the noise. At inference the input is used as it is.

    Corruptions (Vincent et al. 2008, 2010, section 4.2):
    - `"gaussian"`: add N(0, noise_level^2) noise;
    - `"masking"`: set a fraction `noise_level` of the inputs to 0;
    - `"salt_and_pepper"`: set a fraction `noise_level` of the inputs to
      their minimum or maximum possible value (0 or 1), with equal chance.

    References: Vincent, Larochelle, Bengio & Manzagol, "Extracting and
    Composing Robust Features with Denoising Autoencoders", ICML 2008;
    Vincent et al., "Stacked Denoising Autoencoders", JMLR 11, 2010.

    Args:
        encoder: a `keras.Model` from inputs to codes.
        decoder: a `keras.Model` from codes to reconstructions.
        noise: `"gaussian"`, `"masking"` or `"salt_and_pepper"`.
        noise_level: the noise standard deviation (gaussian) or the
            corrupted fraction (masking, salt and pepper, in [0, 1)).
        seed: optional int for the corruption.
        **kwargs: `keras.Model` arguments.

    Example:

    >>> encoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
    >>> decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)])
    >>> model = DenoisingAutoencoder(encoder, decoder, noise="masking", noise_level=0.25)
    >>> corrupted = model.corrupt(np.ones((100, 8), "float32"), training=True)
    >>> 0.15 < float(1.0 - keras.ops.mean(corrupted)) < 0.35
    True
    """

    def __init__(self, encoder, decoder, noise="gaussian", noise_level=0.3, **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.noise = validation.one_of("noise", noise, NOISES)
        if noise == "gaussian":
            self.noise_level = validation.non_negative_float("noise_level", noise_level)
        else:
            self.noise_level = validation.rate("noise_level", noise_level)

    def corrupt(self, inputs, training):
        if not training or self.noise_level == 0.0:
            return inputs
        if self.noise == "gaussian":
            return inputs + self.noise_level * keras.random.normal(
                ops.shape(inputs), seed=self.seed_generator, dtype=inputs.dtype
            )
        uniform = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        corrupted = uniform < self.noise_level
        if self.noise == "masking":
            return ops.where(corrupted, ops.zeros_like(inputs), inputs)
        salt = ops.cast(uniform < self.noise_level / 2, inputs.dtype)
        return ops.where(corrupted, salt, inputs)

    def get_config(self):
        config = super().get_config()
        config.update({"noise": self.noise, "noise_level": self.noise_level})
        return config
