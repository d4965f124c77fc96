"""Stochastic depth: randomly dropping whole residual branches."""

import keras
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.StochasticDepth")
class StochasticDepth(keras.layers.Layer):
    """Adds a residual branch that is dropped per sample during training.

    In training each sample keeps its residual branch with probability
    `1 - rate`: `output = shortcut + keep * residual`, `keep ~ Bernoulli(1 - rate)`.
    At inference the branch is scaled by its survival probability,
    `output = shortcut + (1 - rate) * residual`, which is the expected value of
    the training output (the formulation of Huang et al.).

    Reference: Huang, Sun, Liu, Sedra & Weinberger, "Deep Networks with
    Stochastic Depth", ECCV 2016.

    Args:
        rate: float in [0, 1), the probability of dropping the residual branch.
        seed: optional int, the seed of the random drops.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: `[shortcut, residual]`, two tensors of the same shape.
        training: bool, whether to drop branches at random.

    Returns:
        A tensor of the inputs' shape.

    Example:

    >>> layer = StochasticDepth(rate=0.2)
    >>> shortcut, residual = keras.ops.ones((2, 3)), keras.ops.ones((2, 3))
    >>> keras.ops.convert_to_numpy(layer([shortcut, residual]))
    array([[1.8, 1.8, 1.8],
           [1.8, 1.8, 1.8]], dtype=float32)
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate("rate", rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or len(input_shape) != 2
            or tuple(input_shape[0]) != tuple(input_shape[1])
        ):
            raise ValueError(
                "StochasticDepth expects `inputs` = [shortcut, residual] of the same shape, "
                f"received input shapes: {input_shape}"
            )

    def call(self, inputs, training=False):
        shortcut, residual = inputs
        if not training:
            return shortcut + ops.cast(1.0 - self.rate, residual.dtype) * residual
        if self.rate == 0.0:
            return shortcut + residual
        mask_shape = (ops.shape(residual)[0],) + (1,) * (len(residual.shape) - 1)
        keep = keras.random.uniform(mask_shape, seed=self.seed_generator) >= self.rate
        return shortcut + ops.cast(keep, residual.dtype) * residual

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
