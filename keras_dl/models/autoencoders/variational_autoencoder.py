"""The variational autoencoder."""

import keras
from keras import ops

from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.models.base.batch_utils import input_of, tensor_specs
from keras_dl.models.base.divergences import gaussian_kl_divergence
from keras_dl.models.base.endpoints import Endpoint, scalar_spec
from keras_dl.utils import backend_ops, validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import as_images, image_grid

LIKELIHOODS = ("bernoulli", "gaussian")


def negative_log_likelihood(likelihood, inputs, reconstructions):
    """-log p(x | z) per sample, summed over the data dimensions (constants dropped)."""
    inputs = ops.reshape(inputs, (ops.shape(inputs)[0], -1))
    reconstructions = ops.reshape(reconstructions, (ops.shape(reconstructions)[0], -1))
    if likelihood == "bernoulli":
        probabilities = ops.clip(reconstructions, 1e-7, 1.0 - 1e-7)
        return -ops.sum(
            inputs * ops.log(probabilities) + (1.0 - inputs) * ops.log(1.0 - probabilities), axis=-1
        )
    return 0.5 * ops.sum(ops.square(inputs - reconstructions), axis=-1)


@keras_dl_export("keras_dl.models.VariationalAutoencoder")
class VariationalAutoencoder(Autoencoder):
    """A variational autoencoder trained on the evidence lower bound.

    The encoder outputs `2 * latent_dim` values, the mean and the log-variance
    of a Gaussian q(z | x). In training `z = mean + exp(log_variance / 2) * eps`
    with `eps ~ N(0, I)` (the reparameterisation trick), and the loss is the
    negative ELBO per sample, `reconstruction_loss + beta * kl_loss`, with
    `reconstruction_loss = -log p(x | z)` summed over the data dimensions and
    `kl_loss = KL(q(z | x) || N(0, I))`; all three are logged. At inference
    `call`, `reconstruct` and `encode` use the mean code, so they are
    deterministic; `generate` decodes samples of the prior.

    References: Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR
    2014; Higgins et al., "beta-VAE", ICLR 2017 (`beta`).

    Args:
        encoder: a `keras.Model` from inputs to `2 * latent_dim` values.
        decoder: a `keras.Model` from `latent_dim` codes to reconstructions
            (probabilities in [0, 1] for the Bernoulli likelihood).
        latent_dim: positive int.
        beta: weight of the KL term, >= 0 (1 gives the ELBO).
        likelihood: `"bernoulli"` (binary cross-entropy) or `"gaussian"`
            (half the squared error: unit variance).
        seed: optional int for the sampling.
        **kwargs: `keras.Model` arguments.

    Example:

    >>> encoder = keras.Sequential([keras.Input((6,)), keras.layers.Dense(4)])
    >>> decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(6, activation="sigmoid")])
    >>> vae = VariationalAutoencoder(encoder, decoder, latent_dim=2)
    >>> tuple(vae.generate(5, seed=1).shape)
    (5, 6)
    """

    tracker_names = ("loss", "reconstruction_loss", "kl_loss")
    accepts_compiled_loss = False

    def __init__(self, encoder, decoder, latent_dim, beta=1.0, likelihood="bernoulli", **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.latent_dim = validation.positive_int("latent_dim", latent_dim)
        self.beta = validation.non_negative_float("beta", beta)
        self.likelihood = validation.one_of("likelihood", likelihood, LIKELIHOODS)
        if isinstance(encoder, keras.Model) and getattr(encoder, "inputs", None):
            self._check_encoder_output(encoder.output_shape)

    def decoder_input_specs(self, encoder_output_specs):
        """The decoder takes codes of half the encoder's width (the mean's)."""
        return keras.KerasTensor((None, encoder_output_specs.shape[-1] // 2))

    def _check_encoder_output(self, shape):
        if shape[-1] != 2 * self.latent_dim:
            raise ValueError(
                f"The encoder must output 2 * latent_dim = {2 * self.latent_dim} values (mean and "
                f"log-variance), but its output shape is {shape}"
            )

    def build(self, input_shape):
        if not self.encoder.built:
            self.encoder.build(input_shape)
        self._check_encoder_output(self.encoder.compute_output_shape(input_shape))
        if not self.decoder.built:
            self.decoder.build((None, self.latent_dim))
        super().build(input_shape)

    def check_data(self, x, y):
        if self.likelihood == "bernoulli":
            validation.probabilities_data(
                "VariationalAutoencoder", "the Bernoulli likelihood takes", x,
                "likelihood='gaussian'")

    def encode_distribution(self, inputs, training=False):
        """`(mean, log_variance)` of q(z | x)."""
        statistics = ops.cast(self.encoder(inputs, training=training), "float32")
        return statistics[..., : self.latent_dim], statistics[..., self.latent_dim :]

    def encode(self, inputs, training=False):
        """The mean code."""
        return self.encode_distribution(inputs, training=training)[0]

    def sample_codes(self, mean, log_variance):
        noise = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_variance) * noise

    def call(self, inputs, training=False):
        mean, log_variance = self.encode_distribution(inputs, training=training)
        codes = self.sample_codes(mean, log_variance) if training else mean
        return self.decode(codes, training=training)

    def compute_objective(self, data, training):
        inputs = ops.cast(input_of(data), "float32")
        mean, log_variance = self.encode_distribution(inputs, training=training)
        codes = self.sample_codes(mean, log_variance) if training else mean
        reconstructions = ops.cast(self.decode(codes, training=training), "float32")
        reconstruction = ops.mean(negative_log_likelihood(self.likelihood, inputs, reconstructions))
        kl = ops.mean(gaussian_kl_divergence(mean, log_variance))
        loss = reconstruction + self.beta * kl + self.layer_losses()
        logs = {"loss": loss, "reconstruction_loss": reconstruction, "kl_loss": kl}
        return loss, logs, (inputs, reconstructions)

    def generate(self, num_samples, seed=None):
        """Decodes `num_samples` codes drawn from the prior N(0, I).

        With an int `seed` the samples are reproducible (and equal to those of
        the exported `generate` endpoint with the same seed).
        """
        if not ops.is_tensor(num_samples):
            num_samples = validation.positive_int("num_samples", num_samples)
        shape = (num_samples, self.latent_dim)
        if seed is None:
            codes = keras.random.normal(shape, seed=self.seed_generator)
        else:
            codes = backend_ops.normal_from_seed(shape, seed)
        return self.decode(codes)

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"samples": grid}` of prior samples, with the reconstructions of `inputs`
        when given (for `keras_dl.callbacks.ImageSampler`)."""
        samples = keras.ops.convert_to_numpy(self.generate(num_images, seed=seed))
        grids = {"samples": image_grid(as_images(samples))}
        if inputs is not None:
            grids.update(super().summary_images(num_images, seed, inputs))
        return grids

    def get_config(self):
        config = super().get_config()
        config.update(
            {"latent_dim": self.latent_dim, "beta": self.beta, "likelihood": self.likelihood}
        )
        return config

    def export_endpoints(self):
        num_samples = scalar_spec("num_samples")
        return {
            "encode": Endpoint(lambda x: self.encode(x), "codes", [[self.serving_signature()]]),
            "decode": Endpoint(lambda codes: self.decode(codes), "reconstructions",
                               [[tensor_specs((None, self.latent_dim), name="codes")]]),
            "generate": Endpoint(
                lambda num_samples, seed=None: self.generate(num_samples, seed=seed), "samples",
                [[num_samples, scalar_spec("seed")], [num_samples]],
            ),
        }
