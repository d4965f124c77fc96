"""The sparse autoencoder."""

from keras import ops

from keras_dl.models.autoencoder import Autoencoder
from keras_dl.models.base_model import mean_over_replicas
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


def kl_divergence_bernoulli(target, mean_activation):
    """sum_j KL(rho || rho_hat_j) = rho log(rho / rho_hat) + (1 - rho) log((1 - rho) / (1 - rho_hat))."""
    mean_activation = ops.clip(mean_activation, 1e-7, 1.0 - 1e-7)
    return ops.sum(
        target * ops.log(target / mean_activation)
        + (1.0 - target) * ops.log((1.0 - target) / (1.0 - mean_activation))
    )


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

    >>> encoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="sigmoid")])
    >>> decoder = keras.Sequential([keras.Input((16,)), keras.layers.Dense(8)])
    >>> model = SparseAutoencoder(encoder, decoder, sparsity_target=0.05)
    >>> model.compile(optimizer="adam", loss="mse")
    >>> sorted(model.fit(np.ones((16, 8)), verbose=0).history)
    ['loss', 'sparsity_loss']
    """

    tracker_names = ("loss", "sparsity_loss")

    def __init__(self, encoder, decoder, sparsity_target=0.05, sparsity_weight=1e-3, **kwargs):
        self.sparsity_target = validation.rate("sparsity_target", sparsity_target)
        if self.sparsity_target == 0.0:
            raise ValueError("`sparsity_target` must be in (0, 1), received: 0.0")
        self.sparsity_weight = validation.non_negative_float("sparsity_weight", sparsity_weight)
        super().__init__(encoder, decoder, **kwargs)

    def code_penalties(self, inputs, training):
        codes = ops.cast(self.encode(inputs, training=training), "float32")
        codes = ops.reshape(codes, (ops.shape(codes)[0], -1))
        mean_activation = mean_over_replicas(ops.mean(codes, axis=0))
        penalty = kl_divergence_bernoulli(self.sparsity_target, mean_activation)
        return {"sparsity_loss": self.sparsity_weight * penalty}

    def get_config(self):
        config = super().get_config()
        config.update(
            {"sparsity_target": self.sparsity_target, "sparsity_weight": self.sparsity_weight}
        )
        return config
