"""The conditional GAN: generator and discriminator both see the class label."""

import keras
import numpy as np
from keras import ops

from keras_dl.models.adversarial.gan import GAN
from keras_dl.models.base.batch_utils import tensor_specs
from keras_dl.models.base.endpoints import Endpoint, scalar_spec
from keras_dl.models.base.heads import head_logits
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import as_images, image_grid


def _labels_spec():
    """The served label input: integer class indices, one per sample."""
    import tensorflow as tf

    return tf.TensorSpec((None,), tf.int32, name="labels")


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

    label_conditioned = True

    def __init__(self, generator, discriminator, latent_dim, num_classes, **kwargs):
        num_classes = validation.positive_int("num_classes", num_classes)
        super().__init__(generator, discriminator, latent_dim, **kwargs)
        self.num_classes = num_classes

    def check_data(self, x, y):
        super().check_data(x, y)
        if y is None:
            raise ValueError("ConditionalGAN.fit expects `(x, labels)`; received no labels")
        self.check_labels(y)

    def check_labels(self, labels):
        """Refuses labels that are not integers in [0, num_classes), of shape (batch,) or
        (batch, 1)."""
        labels = np.asarray(labels)
        if labels.ndim > 2 or labels.ndim == 2 and labels.shape[1] != 1:
            raise ValueError(
                "ConditionalGAN: labels must be integer class indices of shape (batch,) or "
                f"(batch, 1), received shape {labels.shape} (one-hot labels: take their argmax)"
            )
        if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
            raise ValueError(
                f"ConditionalGAN: labels must be integers in [0, num_classes={self.num_classes}), "
                f"received non-integer values such as {labels[labels != np.round(labels)][0]}"
            )
        if labels.dtype.kind not in "biuf":
            raise TypeError(
                f"ConditionalGAN: labels must be integers, received dtype {labels.dtype}"
            )
        if labels.size and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(
                f"ConditionalGAN: labels must be in [0, num_classes={self.num_classes}), received "
                f"values in [{labels.min()}, {labels.max()}]"
            )

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
        return head_logits(self.discriminator([samples, conditions], training=training),
                           self.discriminator_sigmoid)

    def call(self, inputs, training=False):
        z, labels = inputs
        return self.generator([z, self._labels(labels)], training=training)

    def generate(self, labels, seed=None):
        """One sample per label; reproducible with an int `seed`."""
        if not ops.is_tensor(labels):
            self.check_labels(labels)
        labels = self._labels(labels)
        return self([self.sample_latent(ops.shape(labels)[0], seed), labels])

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"samples": grid}` for the labels `0, 1, ...` cycling, from fixed latent vectors."""
        labels = np.arange(num_images) % self.num_classes
        samples = keras.ops.convert_to_numpy(self.generate(labels, seed=seed))
        return {"samples": image_grid(as_images(samples))}

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config

    def serving_signature(self):
        return [tensor_specs((None, self.latent_dim), name="z"), _labels_spec()]

    def export_endpoints(self):
        return {"generate": Endpoint(
            lambda labels, seed=None: self.generate(labels, seed=seed), "samples",
            [[_labels_spec(), scalar_spec("seed")], [_labels_spec()]],
        )}
