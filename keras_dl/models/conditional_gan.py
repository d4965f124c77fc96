"""The conditional GAN: generator and discriminator both see the class label."""

import keras
import tensorflow as tf
from keras import ops

from keras_dl.models.base_model import tensor_specs
from keras_dl.models.gan import GAN
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.ConditionalGAN")
class ConditionalGAN(GAN):
    """A GAN conditioned on class labels (Mirza & Osindero 2014).

    The generator takes `[z, labels]` and the discriminator `[x, labels]`
    (integer labels of shape `(batch,)` or `(batch, 1)`; the networks embed
    them as they like). `fit` takes `(x, labels)`. Generated samples are
    scored with the labels they were generated for, so the generator must
    produce samples of the requested class. `call([z, labels])` (endpoint
    `serve`); `generate(labels, seed=None)` (endpoint `generate(labels, seed)`).

    Reference: Mirza & Osindero, "Conditional Generative Adversarial Nets",
    arXiv:1411.1784, 2014.

    Args:
        generator: a `keras.Model` from `[z, labels]` to samples.
        discriminator: a `keras.Model` from `[samples, labels]` to logits.
        latent_dim: positive int.
        num_classes: positive int, the number of labels.
        **kwargs: `GAN` arguments (`loss`, `discriminator_steps`,
            `gradient_penalty_weight`, `seed`, ...).
    """

    def __init__(self, generator, discriminator, latent_dim, num_classes, **kwargs):
        self.num_classes = validation.positive_int("num_classes", num_classes)
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def generator_input_specs(self):
        return [keras.KerasTensor((None, self.latent_dim)), keras.KerasTensor((None, 1), dtype="int32")]

    def sample_shape(self):
        return tuple(self.discriminator.input_shape[0][1:])

    def conditions_of(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError("ConditionalGAN.fit expects (x, labels) batches")
        return self._labels(data[1])

    @staticmethod
    def _labels(labels):
        labels = ops.cast(labels, "int32")
        return ops.reshape(labels, (-1, 1))

    def generate_for_training(self, z, conditions):
        return self.generator([z, conditions], training=True)

    def discriminate(self, samples, conditions, training=True):
        return ops.cast(self.discriminator([samples, conditions], training=training), "float32")

    def call(self, inputs, training=False):
        z, labels = inputs
        return self.generator([z, self._labels(labels)], training=training)

    def generate(self, labels, seed=None):
        """One sample per label; reproducible with an int `seed`."""
        labels = self._labels(labels)
        return self([self.sample_latent(ops.shape(labels)[0], seed), labels])

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config

    def serving_signature(self):
        return [tensor_specs((None, self.latent_dim)), tf.TensorSpec((None,), tf.int32)]

    def export_endpoints(self):
        return {
            "generate": (
                lambda labels, seed: self.generate(labels, seed=seed),
                [tf.TensorSpec((None,), tf.int32), tf.TensorSpec((), tf.int32)],
            )
        }
