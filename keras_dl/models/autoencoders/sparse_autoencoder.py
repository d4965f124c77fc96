"""The sparse autoencoder."""

from keras import ops

from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.models.base.divergences import bernoulli_kl_divergence
from keras_dl.models.base.replicas import mean_over_replicas
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.SparseAutoencoder")
class SparseAutoencoder(Autoencoder):
    """An autoencoder whose code units are mostly inactive.

    Adds `sparsity_weight * sum_j KL(rho || rho_hat_j)` to the loss, where
    `rho_hat_j` is the mean activation of code unit `j` over the batch and
    `rho = sparsity_target`; the penalty is logged as `sparsity_loss`. The
    code must lie in (0, 1), e.g. a sigmoid layer. Even an overcomplete code
    (wider than the input) then cannot copy the input. Under a distribution
    strategy `rho_hat` is the mean over the global batch (an all-reduce), so
    two replicas make the same update as one.

    Reference: Ng, "Sparse autoencoder", CS294A lecture notes, Stanford, 2011.

    Args:
        encoder: a `keras.Model` from inputs to codes in (0, 1).
        decoder: a `keras.Model` from codes to reconstructions.
        sparsity_target: the target mean activation `rho`, in (0, 1).
        sparsity_weight: the weight of the penalty, >= 0.
        **kwargs: `keras.Model` arguments.

    Example:

    >>> encoder = keras.Sequential(
    ...     [keras.Input((8,)), keras.layers.Dense(16, activation="sigmoid")])
    >>> decoder = keras.Sequential([keras.Input((16,)), keras.layers.Dense(8)])
    >>> model = SparseAutoencoder(encoder, decoder, sparsity_target=0.05)
    >>> model.compile(optimizer="adam", loss="mse")
    >>> sorted(model.fit(np.ones((16, 8)), verbose=0).history)
    ['loss', 'sparsity_loss']
    """

    tracker_names = ("loss", "sparsity_loss")

    def __init__(self, encoder, decoder, sparsity_target=0.05, sparsity_weight=1e-3, **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.sparsity_target = validation.rate("sparsity_target", sparsity_target)
        if self.sparsity_target == 0.0:
            raise ValueError("`sparsity_target` must be in (0, 1), received: 0.0")
        self.sparsity_weight = validation.non_negative_float("sparsity_weight", sparsity_weight)

    def code_penalties(self, codes, inputs, training):
        codes = ops.cast(codes, "float32")
        codes = ops.reshape(codes, (ops.shape(codes)[0], -1))
        mean_activation = mean_over_replicas(ops.mean(codes, axis=0))
        penalty = bernoulli_kl_divergence(self.sparsity_target, mean_activation)
        return {"sparsity_loss": self.sparsity_weight * penalty}

    def get_config(self):
        config = super().get_config()
        config.update(
            {"sparsity_target": self.sparsity_target, "sparsity_weight": self.sparsity_weight}
        )
        return config
