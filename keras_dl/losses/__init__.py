"""GAN losses: `minimax`, `non_saturating`, `least_squares`, `hinge`, `wasserstein`
(each a `GANLoss` with `discriminator_loss(real_logits, fake_logits)` and
`generator_loss(fake_logits)`), and the WGAN-GP `gradient_penalty`."""

from keras_dl.losses.gan_losses import (
    GANLoss,
    get,
    gradient_penalty,
    hinge,
    least_squares,
    minimax,
    non_saturating,
    wasserstein,
)

__all__ = [
    "GANLoss",
    "get",
    "gradient_penalty",
    "hinge",
    "least_squares",
    "minimax",
    "non_saturating",
    "wasserstein",
]
