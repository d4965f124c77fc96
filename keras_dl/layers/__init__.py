"""Custom Keras layers: Network in Network, Inception, ResNet blocks and more."""

from keras_dl.layers.drop_block_2d import DropBlock2D
from keras_dl.layers.frame_distributed import FrameDistributed
from keras_dl.layers.gradient_reversal import GradientReversal
from keras_dl.layers.inception_block import InceptionBlock
from keras_dl.layers.max_pooling_with_argmax_2d import MaxPoolingWithArgmax2D
from keras_dl.layers.max_unpooling_2d import MaxUnpooling2D
from keras_dl.layers.mlpconv import Mlpconv
from keras_dl.layers.residual_block import ResidualBlock
from keras_dl.layers.stochastic_depth import StochasticDepth

__all__ = [
    "DropBlock2D",
    "FrameDistributed",
    "GradientReversal",
    "InceptionBlock",
    "MaxPoolingWithArgmax2D",
    "MaxUnpooling2D",
    "Mlpconv",
    "ResidualBlock",
    "StochasticDepth",
]
