"""Generative adversarial networks with the loss as a strategy."""

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_dl import losses as gan_losses
from keras_dl.models.base_model import BaseModel, batch_size_of, input_of, tensor_specs
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


def _shape_without_batch(shape):
    return tuple(shape[1:])


@keras_dl_export("keras_dl.models.GAN")
class GAN(BaseModel):
    """A generative adversarial network trained with `compile` + `fit(x)`.

    Each step draws `z ~ N(0, I)`, updates the discriminator
    `discriminator_steps` times on real and generated samples, then the
    generator once, each with its own optimizer. The objective is a strategy
    (`keras_dl.losses`): `"minimax"` is the formula of Goodfellow et al.
    2014, min_G max_D E[log D(x)] + E[log(1 - D(G(z)))], whose generator
    gradient saturates; `"non_saturating"` (default) has the generator
    maximise log D(G(z)); `"least_squares"` (LSGAN), `"hinge"` and
    `"wasserstein"` (WGAN; with `gradient_penalty_weight` > 0, WGAN-GP).
    The discriminator returns logits (critic values for Wasserstein).

    Logs `generator_loss`, `discriminator_loss` (without the penalty) and,
    with a penalty weight, `gradient_penalty`. `call(z)` (endpoint `serve`)
    returns generated samples; `generate(num_samples, seed=None)` samples
    `z` too (endpoint `generate(num_samples, seed)`).

    References: Goodfellow et al., "Generative Adversarial Nets", NeurIPS
    2014; Radford et al., ICLR 2016; Arjovsky et al., ICML 2017; Gulrajani
    et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.

    Args:
        generator: a `keras.Model` from `(batch, latent_dim)` to samples.
        discriminator: a `keras.Model` from samples to `(batch, 1)` logits.
        latent_dim: positive int.
        loss: a `keras_dl.losses` GAN loss name.
        discriminator_steps: positive int, discriminator updates per
            generator update (5 in WGAN-GP).
        gradient_penalty_weight: the WGAN-GP penalty weight, >= 0.
        seed: optional int for `z` and the penalty's interpolation.
        **kwargs: `keras.Model` arguments.

    Example:

    >>> generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> discriminator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    >>> gan = GAN(generator, discriminator, latent_dim=2, seed=0)
    >>> gan.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    >>> sorted(gan.fit(np.ones((8, 1)), epochs=1, verbose=0).history)
    ['discriminator_loss', 'generator_loss']
    """

    serialized_networks = ("generator", "discriminator")
    named_optimizers = {
        "generator_optimizer": "generator_variables",
        "discriminator_optimizer": "discriminator_variables",
    }

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        loss="non_saturating",
        discriminator_steps=1,
        gradient_penalty_weight=0.0,
        **kwargs,
    ):
        self.latent_dim = validation.positive_int("latent_dim", latent_dim)
        self.loss_strategy = gan_losses.get(loss)
        self.discriminator_steps = validation.positive_int("discriminator_steps", discriminator_steps)
        self.gradient_penalty_weight = validation.non_negative_float(
            "gradient_penalty_weight", gradient_penalty_weight
        )
        self.tracker_names = ("generator_loss", "discriminator_loss") + (
            ("gradient_penalty",) if self.gradient_penalty_weight > 0 else ()
        )
        super().__init__(**kwargs)
        for argument, network in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(network, keras.Model):
                raise TypeError(f"`{argument}` must be a keras.Model, received: {type(network).__name__}")
        self.generator = generator
        self.discriminator = discriminator
        self._check_networks_fit()
        self.built = True

    def _check_networks_fit(self):
        generated = self.generator.compute_output_spec(self.generator_input_specs())
        expected = self.sample_shape()
        if _shape_without_batch(generated.shape) != expected:
            raise ValueError(
                f"The generator's output shape {_shape_without_batch(generated.shape)} does not fit "
                f"the discriminator, which takes samples of shape {expected}"
            )

    def generator_input_specs(self):
        return keras.KerasTensor((None, self.latent_dim))

    def sample_shape(self):
        """The shape of one sample, without the batch dimension."""
        return _shape_without_batch(self.discriminator.input_shape)

    def generator_variables(self):
        return self.generator.trainable_variables

    def discriminator_variables(self):
        return self.discriminator.trainable_variables

    # Compile -------------------------------------------------------------------

    def compile(self, generator_optimizer="adam", discriminator_optimizer="adam", **kwargs):
        """Configures training with one optimizer per network.

        Args:
            generator_optimizer: optimizer (name, instance or config) of the generator.
            discriminator_optimizer: optimizer of the discriminator; the same
                instance passed twice is cloned, since an optimizer serves one
                variable set.
            **kwargs: `keras.Model.compile` arguments (`jit_compile`,
                `steps_per_execution`, ...); `optimizer` and `loss` are not
                used (the loss is the GAN's `loss` strategy).
        """
        for unused in ("optimizer", "loss"):
            if kwargs.pop(unused, None) is not None:
                raise TypeError(
                    f"GAN.compile() takes generator_optimizer and discriminator_optimizer, not `{unused}` "
                    "(the GAN loss is chosen with GAN(loss=...))"
                )
        super().compile(optimizer=None, **kwargs)
        self.compile_optimizers(
            generator_optimizer=generator_optimizer, discriminator_optimizer=discriminator_optimizer
        )

    # Generation ------------------------------------------------------------------

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_latent(self, num_samples, seed=None):
        """`z ~ N(0, I)`; stateless (reproducible) when `seed` is given."""
        shape = (num_samples, self.latent_dim)
        if seed is None:
            return keras.random.normal(shape, seed=self.seed_generator)
        return tf.random.stateless_normal(shape, seed=tf.stack([tf.cast(seed, tf.int32), 0]))

    def generate(self, num_samples, seed=None):
        """Generates `num_samples` samples; reproducible (and equal to the exported
        `generate` endpoint) with an int `seed`."""
        return self(self.sample_latent(num_samples, seed))

    # Training --------------------------------------------------------------------

    def conditions_of(self, data):
        """What the networks are conditioned on (None for an unconditional GAN)."""
        return

    def generate_for_training(self, z, conditions):
        return self.generator(z, training=True)

    def discriminate(self, samples, conditions, training=True):
        return ops.cast(self.discriminator(samples, training=training), "float32")

    def _discriminator_objective(self, real, conditions, training=True):
        z = self.sample_latent(ops.shape(real)[0])
        fake = self.generate_for_training(z, conditions)
        real_logits = self.discriminate(real, conditions, training)
        fake_logits = self.discriminate(fake, conditions, training)
        loss = self.loss_strategy.discriminator_loss(real_logits, fake_logits)
        logs = {"discriminator_loss": loss}
        total = loss
        if self.gradient_penalty_weight > 0:
            penalty = gan_losses.gradient_penalty(
                lambda x: self.discriminate(x, conditions, training), real, fake, seed=self.seed_generator
            )
            logs["gradient_penalty"] = penalty
            total = total + self.gradient_penalty_weight * penalty
        return total, logs

    def _generator_objective(self, batch_size, conditions, training=True):
        fake = self.generate_for_training(self.sample_latent(batch_size), conditions)
        loss = self.loss_strategy.generator_loss(self.discriminate(fake, conditions, training))
        return loss, {"generator_loss": loss}

    def train_step(self, data):
        real = input_of(data)
        conditions = self.conditions_of(data)
        for _ in range(self.discriminator_steps):
            _, discriminator_logs = self.gradient_step(
                self.discriminator_optimizer,
                self.discriminator.trainable_variables,
                lambda: self._discriminator_objective(real, conditions),
            )
        _, generator_logs = self.gradient_step(
            self.generator_optimizer,
            self.generator.trainable_variables,
            lambda: self._generator_objective(ops.shape(real)[0], conditions),
        )
        self.update_trackers(batch_size_of(data), **discriminator_logs, **generator_logs)
        return self.get_metrics_result()

    def test_step(self, data):
        real = input_of(data)
        conditions = self.conditions_of(data)
        _, discriminator_logs = self._discriminator_objective(real, conditions, training=False)
        _, generator_logs = self._generator_objective(ops.shape(real)[0], conditions, training=False)
        self.update_trackers(batch_size_of(data), **discriminator_logs, **generator_logs)
        return self.get_metrics_result()

    def fit(self, x=None, *args, **kwargs):
        self.check_data(x)
        return super().fit(x, *args, **kwargs)

    def check_data(self, x):
        """Refuses real samples whose shape does not fit the discriminator."""
        if x is None:
            return
        if isinstance(x, tf.data.Dataset):
            spec = input_of(x.element_spec)
            shape = tuple(spec.shape[1:])
        else:
            shape = tuple(np.shape(input_of(x))[1:])
        if len(shape) != len(self.sample_shape()) or any(
            expected is not None and got is not None and expected != got
            for expected, got in zip(self.sample_shape(), shape)
        ):
            raise ValueError(
                f"`x` holds samples of shape {shape}, but the discriminator takes samples of shape "
                f"{self.sample_shape()}"
            )

    # Saving and export -----------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "latent_dim": self.latent_dim,
                "loss": self.loss_strategy.name,
                "discriminator_steps": self.discriminator_steps,
                "gradient_penalty_weight": self.gradient_penalty_weight,
            }
        )
        return config

    def serving_signature(self):
        return tensor_specs((None, self.latent_dim))

    def export_endpoints(self):
        scalar = tf.TensorSpec((), tf.int32)
        return {"generate": (lambda n, seed: self.generate(n, seed=seed), [scalar, scalar])}
