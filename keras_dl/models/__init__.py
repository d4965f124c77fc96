"""Models with their own training step: RBMs, deep belief nets, autoencoders, PCA."""

from keras_dl.models.autoencoder import Autoencoder
from keras_dl.models.base_model import BaseModel, NonFiniteLossError
from keras_dl.models.contractive_autoencoder import ContractiveAutoencoder
from keras_dl.models.deep_belief_network import DeepBeliefNetwork
from keras_dl.models.denoising_autoencoder import DenoisingAutoencoder
from keras_dl.models.pca import PCA
from keras_dl.models.rbm import RBM
from keras_dl.models.sparse_autoencoder import SparseAutoencoder
from keras_dl.models.variational_autoencoder import VariationalAutoencoder

__all__ = [
    "Autoencoder",
    "BaseModel",
    "ContractiveAutoencoder",
    "DeepBeliefNetwork",
    "DenoisingAutoencoder",
    "NonFiniteLossError",
    "PCA",
    "RBM",
    "SparseAutoencoder",
    "VariationalAutoencoder",
]
