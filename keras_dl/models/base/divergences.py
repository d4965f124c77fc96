"""Closed-form divergences that several models penalise."""

from keras import ops

# The clip of mean activations in the Bernoulli divergence.
ACTIVATION_EPSILON = 1e-7


def bernoulli_kl_divergence(target, mean_activation):
    """sum_j KL(rho || rho_hat_j) = rho log(rho / rho_hat_j)
    + (1 - rho) log((1 - rho) / (1 - rho_hat_j)): the sparsity penalty of
    Ng's sparse autoencoder notes (2011) and of Lee, Ekanadham & Ng (2008)."""
    mean_activation = ops.clip(mean_activation, ACTIVATION_EPSILON, 1.0 - ACTIVATION_EPSILON)
    return ops.sum(
        target * ops.log(target / mean_activation)
        + (1.0 - target) * ops.log((1.0 - target) / (1.0 - mean_activation))
    )


def bernoulli_kl_divergence_slope(target, mean_activation):
    """d bernoulli_kl_divergence / d rho_hat_j = -rho / rho_hat_j + (1 - rho) / (1 - rho_hat_j),
    0 where the divergence clips `rho_hat_j` (as its autodiff gradient)."""
    inside = ops.logical_and(mean_activation >= ACTIVATION_EPSILON,
                             mean_activation <= 1.0 - ACTIVATION_EPSILON)
    clipped = ops.clip(mean_activation, ACTIVATION_EPSILON, 1.0 - ACTIVATION_EPSILON)
    slope = -target / clipped + (1.0 - target) / (1.0 - clipped)
    return ops.where(inside, slope, 0.0)


def gaussian_kl_divergence(mean, log_variance):
    """KL(N(mean, exp(log_variance)) || N(0, I)) per sample, summed over latent units:
    -1/2 sum(1 + log sigma^2 - mu^2 - sigma^2)  (Kingma & Welling 2014, appendix B)."""
    return -0.5 * ops.sum(1.0 + log_variance - ops.square(mean) - ops.exp(log_variance), axis=-1)
