"""The GAN objectives, each a pair of discriminator and generator losses on logits.

Every loss takes the discriminator's raw outputs (logits, or critic values
for the Wasserstein loss), averages over the batch, and returns a scalar.
`GAN(loss=name)` picks one of these strategies by name.
"""

import keras
from keras import ops

from keras_dl.utils.api_export import keras_dl_export


class GANLoss:
    """A GAN objective: how the discriminator and the generator are scored.

    Subclasses implement `discriminator_loss(real_logits, fake_logits)` and
    `generator_loss(fake_logits)`, both scalar means to minimise.
    """

    name = None

    def discriminator_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def generator_loss(self, fake_logits):
        raise NotImplementedError

    def __repr__(self):
        return f"keras_dl.losses.{self.name}"


class _Minimax(GANLoss):
    """The original objective min_G max_D E[log D(x)] + E[log(1 - D(G(z)))] (Goodfellow et al.
    2014): D minimises -log D(x) - log(1 - D(G(z))), G minimises log(1 - D(G(z))), which
    saturates (vanishing gradients) when D rejects the samples confidently."""

    name = "minimax"

    def discriminator_loss(self, real_logits, fake_logits):
        # -log sigmoid(r) = softplus(-r);  -log(1 - sigmoid(f)) = softplus(f).
        return ops.mean(ops.softplus(-real_logits)) + ops.mean(ops.softplus(fake_logits))

    def generator_loss(self, fake_logits):
        # log(1 - sigmoid(f)) = -softplus(f).
        return -ops.mean(ops.softplus(fake_logits))


class _NonSaturating(_Minimax):
    """Goodfellow et al. 2014's fix: G maximises log D(G(z)) instead (same fixed point,
    strong gradients early in training)."""

    name = "non_saturating"

    def generator_loss(self, fake_logits):
        return ops.mean(ops.softplus(-fake_logits))


class _LeastSquares(GANLoss):
    """LSGAN (Mao et al. 2017, a = 0, b = c = 1): 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2]
    for D, 1/2 E[(D(G(z)) - 1)^2] for G."""

    name = "least_squares"

    def discriminator_loss(self, real_logits, fake_logits):
        return 0.5 * ops.mean(ops.square(real_logits - 1.0)) + 0.5 * ops.mean(
            ops.square(fake_logits)
        )

    def generator_loss(self, fake_logits):
        return 0.5 * ops.mean(ops.square(fake_logits - 1.0))


class _Hinge(GANLoss):
    """Hinge loss (Lim & Ye 2017; Miyato et al. 2018): E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]
    for D, -E[D(G(z))] for G."""

    name = "hinge"

    def discriminator_loss(self, real_logits, fake_logits):
        return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(ops.relu(1.0 + fake_logits))

    def generator_loss(self, fake_logits):
        return -ops.mean(fake_logits)


class _Wasserstein(GANLoss):
    """WGAN (Arjovsky et al. 2017): the critic minimises E[D(G(z))] - E[D(x)], the generator
    -E[D(G(z))]. Needs a Lipschitz critic: use `gradient_penalty_weight` (WGAN-GP, 10 in
    Gulrajani et al. 2017)."""

    name = "wasserstein"

    def discriminator_loss(self, real_logits, fake_logits):
        return ops.mean(fake_logits) - ops.mean(real_logits)

    def generator_loss(self, fake_logits):
        return -ops.mean(fake_logits)


minimax = _Minimax()
non_saturating = _NonSaturating()
least_squares = _LeastSquares()
hinge = _Hinge()
wasserstein = _Wasserstein()
GAN_LOSSES = {
    loss.name: loss for loss in (minimax, non_saturating, least_squares, hinge, wasserstein)
}


def get(identifier):
    """The `GANLoss` named `identifier` (or `identifier` itself if it is one)."""
    if isinstance(identifier, GANLoss):
        return identifier
    if identifier not in GAN_LOSSES:
        raise ValueError(f"`loss` must be one of {sorted(GAN_LOSSES)}, received: {identifier!r}")
    return GAN_LOSSES[identifier]


@keras_dl_export("keras_dl.losses.gradient_penalty")
def gradient_penalty(critic, real, fake, seed=None):
    """The WGAN-GP penalty E[(||grad_x D(x_hat)||_2 - 1)^2] (Gulrajani et al. 2017).

    `x_hat = eps * real + (1 - eps) * fake` with `eps ~ U[0, 1]` drawn per
    sample (uniform, as in the paper's Algorithm 1), and the norm computed as
    `sqrt(sum g^2 + 1e-12)` so that its gradient stays finite when the
    gradient vanishes. Keras has no gradient op: the gradient comes from
    `tf.GradientTape` on TensorFlow and `jax.grad` on JAX
    (`keras_dl.utils.backend_ops.input_gradients`).

    Args:
        critic: a callable from samples (or `[samples, conditions]`, see below)
            to critic values.
        real: a batch of real samples.
        fake: a batch of generated samples of the same shape.
        seed: optional int or `keras.random.SeedGenerator`.

    Returns:
        The scalar penalty.
    """
    from keras_dl.utils import backend_ops

    real = ops.cast(real, "float32")
    fake = ops.cast(fake, "float32")
    shape = (ops.shape(real)[0],) + (1,) * (len(real.shape) - 1)
    epsilon = keras.random.uniform(shape, seed=seed)
    interpolates = epsilon * real + (1.0 - epsilon) * fake
    gradients = backend_ops.input_gradients(critic, interpolates)
    gradients = ops.reshape(gradients, (ops.shape(gradients)[0], -1))
    norms = ops.sqrt(ops.sum(ops.square(gradients), axis=1) + 1e-12)
    return ops.mean(ops.square(norms - 1.0))
