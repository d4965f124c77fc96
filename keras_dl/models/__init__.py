"""Models with their own training step: RBMs, deep belief nets, autoencoders, PCA, GANs and
domain-adversarial training."""

from keras_dl.models.autoencoder import Autoencoder
from keras_dl.models.base_model import BaseModel
from keras_dl.models.conditional_gan import ConditionalGAN
from keras_dl.models.contractive_autoencoder import ContractiveAutoencoder
from keras_dl.models.deep_belief_network import DeepBeliefNetwork
from keras_dl.models.denoising_autoencoder import DenoisingAutoencoder
from keras_dl.models.domain_adversarial_model import DomainAdversarialModel
from keras_dl.models.gan import GAN
from keras_dl.models.non_finite_guard import NonFiniteLossError
from keras_dl.models.pca import PCA
from keras_dl.models.rbm import RBM
from keras_dl.models.sparse_autoencoder import SparseAutoencoder
from keras_dl.models.variational_autoencoder import VariationalAutoencoder

__all__ = [
    "GAN",
    "PCA",
    "RBM",
    "Autoencoder",
    "BaseModel",
    "ConditionalGAN",
    "ContractiveAutoencoder",
    "DeepBeliefNetwork",
    "DenoisingAutoencoder",
    "DomainAdversarialModel",
    "NonFiniteLossError",
    "SparseAutoencoder",
    "VariationalAutoencoder",
]
