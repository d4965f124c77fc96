"""Image grids of what a generative model or autoencoder produces, during training."""

import os

import keras
import numpy as np
import tensorflow as tf

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import image_grid, write_png


def _as_images(array):
    """Images `(n, h, w[, c])` from model outputs; flat vectors of square length become squares."""
    array = np.asarray(array, dtype="float32")
    if array.ndim == 2:
        side = int(round(np.sqrt(array.shape[1])))
        if side * side != array.shape[1]:
            raise ValueError(f"cannot show vectors of length {array.shape[1]} as square images")
        array = array.reshape(-1, side, side)
    return array


@keras_dl_export("keras_dl.callbacks.ImageSampler")
class ImageSampler(keras.callbacks.Callback):
    """Writes image grids to TensorBoard (and PNG files) every few epochs.

    What it shows depends on the model:
    - GANs and VAEs (models with `generate`): `num_images` samples from
      fixed latent vectors (the same seed every time, so the grids show
      training progress), labels `0, 1, ...` cycling for a `ConditionalGAN`;
    - RBMs: the filters (columns of `W`) and samples of Gibbs chains;
    - autoencoders: inputs above their reconstructions, for the `inputs`
      given to the callback.

    Vectors of square length (e.g. 784) are shown as square images; values
    are scaled to [0, 1] per grid.

    Args:
        log_dir: TensorBoard log directory (None: no TensorBoard images).
        every_n_epochs: positive int.
        num_images: positive int, images per grid.
        image_dir: optional directory for PNG files `<tag>_epoch<N>.png`.
        inputs: for autoencoders, a batch of inputs to reconstruct.
        seed: int, the seed of the fixed samples.
    """

    def __init__(self, log_dir=None, every_n_epochs=1, num_images=16, image_dir=None, inputs=None, seed=0):
        super().__init__()
        if log_dir is None and image_dir is None:
            raise ValueError("ImageSampler needs `log_dir` or `image_dir`, received neither")
        self.log_dir = log_dir
        self.every_n_epochs = validation.positive_int("every_n_epochs", every_n_epochs)
        self.num_images = validation.positive_int("num_images", num_images)
        self.image_dir = image_dir
        self.inputs = None if inputs is None else np.asarray(inputs)[:num_images]
        self.seed = seed
        self.writer = tf.summary.create_file_writer(log_dir) if log_dir else None
        self.written = []

    def grids(self):
        """`{tag: grid}` for the current model."""
        from keras_dl import models

        model = self.model
        if isinstance(model, models.RBM):
            side_filters = np.asarray(model.kernel).T[: self.num_images]
            return {
                "rbm_filters": image_grid(_as_images(side_filters)),
                "rbm_gibbs_samples": image_grid(_as_images(model.sample(self.num_images, gibbs_steps=200, seed=self.seed))),
            }
        if isinstance(model, models.ConditionalGAN):
            labels = np.arange(self.num_images) % model.num_classes
            return {"samples": image_grid(_as_images(model.generate(labels, seed=self.seed)))}
        if hasattr(model, "generate"):
            return {"samples": image_grid(_as_images(model.generate(self.num_images, seed=self.seed)))}
        if isinstance(model, models.Autoencoder) or hasattr(model, "reconstruct"):
            if self.inputs is None:
                raise ValueError("ImageSampler needs `inputs` to show an autoencoder's reconstructions")
            pairs = np.concatenate([_as_images(self.inputs), _as_images(model.reconstruct(self.inputs))])
            return {"reconstructions": image_grid(pairs, columns=len(self.inputs))}
        raise TypeError(f"ImageSampler does not know what to show for a {type(model).__name__}")

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        for tag, grid in self.grids().items():
            if self.writer is not None:
                with self.writer.as_default():
                    tf.summary.image(tag, grid[None], step=epoch + 1)
                self.writer.flush()
            if self.image_dir is not None:
                os.makedirs(self.image_dir, exist_ok=True)
                path = os.path.join(self.image_dir, f"{tag}_epoch{epoch + 1}.png")
                write_png(path, grid, scale=2)
                self.written.append(path)
