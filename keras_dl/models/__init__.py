"""Models with their own training step: RBMs, deep belief nets, autoencoders, PCA, GANs and
domain-adversarial training."""

from keras_dl.models.adversarial.conditional_gan import ConditionalGAN
from keras_dl.models.adversarial.gan import GAN
from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.models.autoencoders.contractive_autoencoder import ContractiveAutoencoder
from keras_dl.models.autoencoders.denoising_autoencoder import DenoisingAutoencoder
from keras_dl.models.autoencoders.pca import PCA
from keras_dl.models.autoencoders.sparse_autoencoder import SparseAutoencoder
from keras_dl.models.autoencoders.variational_autoencoder import VariationalAutoencoder
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.non_finite_guard import NonFiniteLossError
from keras_dl.models.domain_adaptation.domain_adversarial_model import DomainAdversarialModel
from keras_dl.models.energy.deep_belief_network import DeepBeliefNetwork
from keras_dl.models.energy.rbm import RBM

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
