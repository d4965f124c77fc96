"""Generative adversarial networks with the loss as a strategy."""

import keras
import numpy as np
from keras import ops

from keras_dl import losses as gan_losses
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import input_of, tensor_specs
from keras_dl.models.base.endpoints import Endpoint, scalar_spec
from keras_dl.models.base.heads import final_activation, head_logits
from keras_dl.utils import backend_ops, keras_compat, validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import as_images, image_grid


def _shape_without_batch(shape):
    return tuple(shape[1:])


def _with_labels(inputs, label_conditioned):
    """`inputs`, or `[inputs, labels]` for networks that also take integer labels."""
    if not label_conditioned:
        return inputs
    return [inputs, keras.KerasTensor((None, 1), dtype="int32")]


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
    The discriminator returns logits (critic values for Wasserstein); one
    that ends in a sigmoid is read through the logits of its sigmoid.

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
    optimizer_arguments = ("generator_optimizer", "discriminator_optimizer")
    # Whether both networks also take the class labels (ConditionalGAN).
    label_conditioned = False

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
        super().__init__(**kwargs)
        self.latent_dim = validation.positive_int("latent_dim", latent_dim)
        self.loss_strategy = gan_losses.get(loss)
        self.discriminator_steps = validation.positive_int(
            "discriminator_steps", discriminator_steps
        )
        self.gradient_penalty_weight = validation.non_negative_float(
            "gradient_penalty_weight", gradient_penalty_weight
        )
        self.generator_optimizer = None
        self.discriminator_optimizer = None
        self.generator = validation.keras_model("generator", generator)
        self.discriminator = validation.keras_model("discriminator", discriminator)
        self._check_networks_fit()
        # A discriminator may end in a sigmoid; the losses take its logits.
        self.discriminator_sigmoid = final_activation(discriminator) == "sigmoid"
        if self.discriminator_sigmoid and self.loss_strategy.name == "wasserstein":
            raise ValueError(
                "A Wasserstein critic outputs unbounded scores: remove the final sigmoid of "
                "`discriminator` (received a discriminator that ends in a sigmoid)"
            )
        self.built = True

    def _check_networks_fit(self):
        try:
            generated = self.generator.compute_output_spec(self.generator_input_specs())
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"The generator does not take latent vectors of latent_dim={self.latent_dim}: "
                f"{str(error).splitlines()[0]}"
            ) from None
        expected = self.sample_shape()
        if _shape_without_batch(generated.shape) != expected:
            raise ValueError(
                f"The generator's output shape {_shape_without_batch(generated.shape)} does not "
                f"fit the discriminator, which takes samples of shape {expected}"
            )
        scores = self.discriminator.compute_output_spec(self.discriminator_input_specs())
        if _shape_without_batch(scores.shape) != (1,):
            raise ValueError(
                "The discriminator must output one logit per sample, shape (batch, 1); its "
                f"output shape is {tuple(scores.shape)}"
            )

    @property
    def tracker_names(self):
        penalty = ("gradient_penalty",) if self.gradient_penalty_weight > 0 else ()
        return ("generator_loss", "discriminator_loss", *penalty)

    def generator_input_specs(self):
        return _with_labels(keras.KerasTensor((None, self.latent_dim)), self.label_conditioned)

    def discriminator_input_specs(self):
        return _with_labels(keras.KerasTensor((None, *self.sample_shape())),
                            self.label_conditioned)

    def sample_shape(self):
        """The shape of one sample, without the batch dimension."""
        shapes = self.discriminator.input_shape
        return _shape_without_batch(shapes[0] if self.label_conditioned else shapes)

    # Compile -------------------------------------------------------------------

    def compile(self, generator_optimizer="adam", discriminator_optimizer="adam", **kwargs):
        """Configures training with one optimizer per network.

        Args:
            generator_optimizer: optimizer (name, instance or config) of the generator.
            discriminator_optimizer: optimizer of the discriminator; the same
                instance passed twice is cloned, since an optimizer serves one
                variable set.
            **kwargs: `keras.Model.compile` arguments (`jit_compile`,
                `steps_per_execution`, ...); `optimizer`, `loss` and
                `metrics` are refused (the loss is the GAN's `loss` strategy).
        """
        for unused in ("optimizer", "loss", "metrics"):
            if kwargs.pop(unused, None) is not None:
                raise TypeError(
                    f"{type(self).__name__}.compile() takes generator_optimizer and "
                    f"discriminator_optimizer, not `{unused}` (the GAN loss is chosen with "
                    "GAN(loss=...); its logs are the two losses)"
                )
        super().compile(optimizer=None, **kwargs)
        generator_optimizer = keras.optimizers.get(generator_optimizer)
        discriminator_optimizer = keras.optimizers.get(discriminator_optimizer)
        if discriminator_optimizer is generator_optimizer:
            discriminator_optimizer = discriminator_optimizer.from_config(
                discriminator_optimizer.get_config()
            )
        self.generator_optimizer = self._with_loss_scaling(generator_optimizer)
        self.discriminator_optimizer = self._with_loss_scaling(discriminator_optimizer)
        # Built now: an optimizer cannot create its variables inside an XLA-compiled step.
        self.generator_optimizer.build(self.generator.trainable_variables)
        self.discriminator_optimizer.build(self.discriminator.trainable_variables)
        self.share_optimizers()

    def _with_loss_scaling(self, optimizer):
        """Wraps `optimizer` in a `LossScaleOptimizer` under float16, as `keras.Model.compile`
        does for its one optimizer."""
        if self.dtype_policy.name != "mixed_float16" or isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            return optimizer
        return keras.optimizers.LossScaleOptimizer(optimizer)

    @property
    def differentiates_its_gradients(self):
        return self.gradient_penalty_weight > 0

    def get_compile_config(self):
        config = super().get_compile_config()
        if not config:  # not compiled
            return config
        for name in ("generator_optimizer", "discriminator_optimizer"):
            config[name] = keras_compat.portable_config(
                keras.saving.serialize_keras_object(getattr(self, name)))
        return config

    def compile_from_config(self, config):
        """Compiles with both optimizers of `get_compile_config()`, so that `.keras` files
        restore their state."""
        config = dict(config)
        optimizers = {
            name: keras.saving.deserialize_keras_object(config.pop(name))
            for name in ("generator_optimizer", "discriminator_optimizer")
        }
        config = keras.saving.deserialize_keras_object(config)
        config.pop("optimizer", None)
        config.pop("loss", None)
        self.compile(**config, **optimizers)

    # Generation ------------------------------------------------------------------

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_latent(self, num_samples, seed=None):
        """`z ~ N(0, I)`; stateless (reproducible) when `seed` (an int, or an int tensor in
        an exported endpoint) is given."""
        shape = (num_samples, self.latent_dim)
        if seed is None:
            return keras.random.normal(shape, seed=self.seed_generator)
        return backend_ops.normal_from_seed(shape, seed)

    def generate(self, num_samples, seed=None):
        """Generates `num_samples` samples; reproducible (and equal to the exported
        `generate` endpoint) with an int `seed`."""
        if not ops.is_tensor(num_samples):
            num_samples = validation.positive_int("num_samples", num_samples)
        return self(self.sample_latent(num_samples, seed))

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"samples": grid}` from fixed latent vectors (for `keras_dl.callbacks.ImageSampler`)."""
        samples = keras.ops.convert_to_numpy(self.generate(num_images, seed=seed))
        return {"samples": image_grid(as_images(samples))}

    # Training --------------------------------------------------------------------

    def conditions_of(self, data):
        """What the networks are conditioned on (None for an unconditional GAN)."""
        return

    def generate_for_training(self, z, conditions):
        return self.generator(z, training=True)

    def discriminate(self, samples, conditions, training=True):
        """The discriminator's float32 logits (critic values for Wasserstein)."""
        return head_logits(self.discriminator(samples, training=training),
                           self.discriminator_sigmoid)

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
                lambda x: self.discriminate(x, conditions, training), real, fake,
                seed=self.seed_generator,
            )
            logs["gradient_penalty"] = penalty
            total = total + self.gradient_penalty_weight * penalty
        return total, logs

    def _generator_objective(self, batch_size, conditions, training=True):
        fake = self.generate_for_training(self.sample_latent(batch_size), conditions)
        loss = self.loss_strategy.generator_loss(self.discriminate(fake, conditions, training))
        return loss, {"generator_loss": loss}

    def training_step(self, data):
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
        return self.finish_step(data, {**discriminator_logs, **generator_logs})

    def evaluation_step(self, data):
        real = input_of(data)
        conditions = self.conditions_of(data)
        _, discriminator_logs = self._discriminator_objective(real, conditions, training=False)
        _, generator_logs = self._generator_objective(
            ops.shape(real)[0], conditions, training=False
        )
        return self.finish_step(data, {**discriminator_logs, **generator_logs})

    def check_data(self, x, y):
        """Refuses real samples whose shape does not fit the discriminator."""
        shape = tuple(np.shape(x)[1:])
        expected = self.sample_shape()
        if len(shape) != len(expected) or any(
            want is not None and got != want for want, got in zip(expected, shape)
        ):
            raise ValueError(
                f"`x` holds samples of shape {shape}, but the discriminator takes samples of shape "
                f"{expected}"
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

    serving_input_name = "z"
    serving_output_name = "samples"

    def serving_signature(self):
        return tensor_specs((None, self.latent_dim), name=self.serving_input_name)

    def export_endpoints(self):
        num_samples = scalar_spec("num_samples")
        return {"generate": Endpoint(
            lambda num_samples, seed=None: self.generate(num_samples, seed=seed), "samples",
            [[num_samples, scalar_spec("seed")], [num_samples]],
        )}
