"""Ready architectures built from keras_dl layers, with the keras.applications conventions."""

from keras_dl.applications.cnn_lstm import CNNLSTM
from keras_dl.applications.convolutional_autoencoder import ConvolutionalAutoencoder
from keras_dl.applications.dcgan import DCGANDiscriminator, DCGANGenerator
from keras_dl.applications.googlenet import GoogLeNet
from keras_dl.applications.nin import NiN
from keras_dl.applications.resnet import (
    ResNet18,
    ResNet20,
    ResNet32,
    ResNet34,
    ResNet44,
    ResNet50,
    ResNet56,
    ResNet101,
    ResNet110,
    ResNet152,
)

__all__ = [
    "CNNLSTM",
    "ConvolutionalAutoencoder",
    "DCGANDiscriminator",
    "DCGANGenerator",
    "GoogLeNet",
    "NiN",
    "ResNet18",
    "ResNet20",
    "ResNet32",
    "ResNet34",
    "ResNet44",
    "ResNet50",
    "ResNet56",
    "ResNet101",
    "ResNet110",
    "ResNet152",
]
