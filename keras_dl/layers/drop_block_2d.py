"""DropBlock: dropout of contiguous regions of feature maps."""

import keras
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.DropBlock2D")
class DropBlock2D(keras.layers.Layer):
    """Structured dropout that zeroes `block_size` x `block_size` squares.

    Neighbouring activations of a feature map are strongly correlated, so
    dropping single units (dropout) removes little information; DropBlock drops
    contiguous squares instead. In training, block centres are drawn per
    sample and channel with probability

        gamma = rate / block_size**2 * (H * W) / ((H - block_size + 1) * (W - block_size + 1))

    among the positions where a whole block fits, each centre is grown to a
    square (a stride-1 max pooling of the centre mask), and the kept
    activations are rescaled by `count / kept` so their expected sum is
    unchanged. About `rate` of the activations are dropped (a little less where
    blocks overlap). At inference the layer is the identity.

    Reference: Ghiasi, Lin & Le, "DropBlock: A regularization method for
    convolutional networks", NeurIPS 2018 (Algorithm 1 and equation 1).

    Args:
        rate: float in [0, 1), the fraction of activations to drop.
        block_size: positive int, the side of the dropped squares; it must not
            exceed the feature map's height or width.
        seed: optional int, the seed of the random blocks.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a 4D tensor `(batch, height, width, channels)`; the blocks
            follow the height and width of each call, which may differ from
            the shape the layer was built on.
        training: bool, whether to drop blocks.

    Returns:
        A tensor of the input's shape.

    Example:

    >>> layer = DropBlock2D(rate=0.1, block_size=3)
    >>> x = keras.ops.ones((1, 8, 8, 2))
    >>> bool(keras.ops.all(layer(x, training=False) == x))
    True
    """

    def __init__(self, rate, block_size, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = validation.rate("rate", rate)
        self.block_size = validation.positive_int("block_size", block_size)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(
                "DropBlock2D expects inputs of shape (batch, height, width, channels), "
                f"received: {input_shape}"
            )
        self._check_block_fits(input_shape[1], input_shape[2])

    def _check_block_fits(self, height, width):
        known = [size for size in (height, width) if size is not None]
        if known and self.block_size > min(known):
            raise ValueError(
                f"`block_size` must not exceed the feature map size {height}x{width}, "
                f"received: {self.block_size}"
            )

    def call(self, inputs, training=False):
        if not training or self.rate == 0.0:
            return inputs
        # The block mask follows the shape of each call, not the one built on.
        self._check_block_fits(inputs.shape[1], inputs.shape[2])
        shape = ops.shape(inputs)
        gamma, valid_centres = _seed_probability_and_centres(
            self.rate, self.block_size, shape[1], shape[2]
        )
        noise = keras.random.uniform(shape, seed=self.seed_generator)
        centres = ops.logical_and(noise < gamma, valid_centres[None, :, :, None])
        blocks = ops.max_pool(
            ops.cast(centres, "float32"), self.block_size, strides=1, padding="same"
        )
        keep = 1.0 - blocks
        scale = ops.cast(ops.size(keep), "float32") / ops.maximum(ops.sum(keep), 1.0)
        return inputs * ops.cast(keep * scale, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "block_size": self.block_size, "seed": self.seed})
        return config


def _seed_probability_and_centres(rate, block_size, height, width):
    """gamma of Ghiasi et al. 2018, equation 1, and the mask of valid block centres.

    A centre is valid where the block grown from it by a "same" max pooling
    stays inside the map. `height` and `width` may be symbolic.
    """
    low, high = block_size // 2, (block_size - 1) // 2
    rows, columns = ops.arange(height), ops.arange(width)
    valid_rows = ops.logical_and(rows >= low, rows < height - high)
    valid_columns = ops.logical_and(columns >= low, columns < width - high)
    valid_centres = ops.logical_and(valid_rows[:, None], valid_columns[None, :])
    area = ops.cast(height * width, "float32")
    valid_positions = ops.cast((height - block_size + 1) * (width - block_size + 1), "float32")
    gamma = rate / block_size**2 * area / ops.maximum(valid_positions, 1.0)
    return gamma, valid_centres
