"""Image grids of what a generative model or autoencoder produces, during training."""

import os

import keras
import numpy as np

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import write_png


@keras_dl_export("keras_dl.callbacks.ImageSampler")
class ImageSampler(keras.callbacks.Callback):
    """Writes image grids to TensorBoard (and PNG files) every few epochs.

    Given the `log_dir` of a `keras.callbacks.TensorBoard` callback, the grids
    go into the run of the model's training scalars, `<log_dir>/train`, at the
    same steps as its `epoch_*` curves (the 0-based epoch), so TensorBoard
    shows them beside the curves:

    >>> callbacks = [keras.callbacks.TensorBoard("logs"), ImageSampler(log_dir="logs")]

    The grids show the model at the end of a training epoch; no grids go to
    the `<log_dir>/validation` run.

    It shows the grids that the model's `summary_images(num_images, seed,
    inputs)` returns (`{tag: grid}`), so any model can take part by
    defining that method. The keras_dl models show:
    - GANs and VAEs: `num_images` samples from fixed latent vectors (the same
      seed every time, so the grids show training progress), labels
      `0, 1, ...` cycling for a `ConditionalGAN`;
    - RBMs: the filters (columns of `W`) and samples of Gibbs chains;
    - autoencoders (VAEs too): inputs above their reconstructions, for the
      `inputs` given to the callback.

    Vectors of square length (e.g. 784) are shown as square images; values
    are scaled to [0, 1] per grid.

    Args:
        log_dir: the TensorBoard log directory, as given to
            `keras.callbacks.TensorBoard`; grids are written to
            `<log_dir>/train` (None: no TensorBoard images).
        every_n_epochs: positive int.
        num_images: positive int, images per grid.
        image_dir: optional directory for PNG files `<tag>_epoch<N>.png`
            (`N` counts the epochs done, from 1, as Keras' progress bar).
        inputs: for autoencoders, a batch of inputs to reconstruct.
        seed: int, the seed of the fixed samples.
    """

    def __init__(self, log_dir=None, every_n_epochs=1, num_images=16, image_dir=None, inputs=None,
                 seed=0):
        super().__init__()
        if log_dir is None and image_dir is None:
            raise ValueError("ImageSampler needs `log_dir` or `image_dir`, received neither")
        self.log_dir = log_dir
        self.every_n_epochs = validation.positive_int("every_n_epochs", every_n_epochs)
        self.num_images = validation.positive_int("num_images", num_images)
        self.image_dir = image_dir
        self.inputs = None if inputs is None else np.asarray(inputs)[:num_images]
        self.seed = seed
        self.writer = None
        self.written = []

    def grids(self):
        """`{tag: grid}` for the current model, from its `summary_images` method."""
        summary_images = getattr(self.model, "summary_images", None)
        if summary_images is None:
            raise TypeError(
                f"ImageSampler shows what a model's summary_images(num_images, seed, inputs) "
                f"returns; a {type(self.model).__name__} has no such method"
            )
        grids = summary_images(self.num_images, seed=self.seed, inputs=self.inputs)
        if not grids:
            raise ValueError(
                f"ImageSampler: {type(self.model).__name__} has nothing to picture (its "
                "summary_images() returns no grids)"
            )
        return grids

    def on_train_begin(self, logs=None):
        self.grids()  # a model that cannot show images fails now, not after an epoch
        if self.log_dir is not None:
            import tensorflow as tf  # TensorBoard's event files, on every Keras backend

            # The run where keras.callbacks.TensorBoard(log_dir) writes the epoch scalars.
            self.writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "train"))

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        for tag, grid in self.grids().items():
            if self.writer is not None:
                import tensorflow as tf

                with self.writer.as_default():
                    tf.summary.image(tag, grid[None], step=epoch)
                self.writer.flush()
            if self.image_dir is not None:
                os.makedirs(self.image_dir, exist_ok=True)
                path = os.path.join(self.image_dir, f"{tag}_epoch{epoch + 1}.png")
                write_png(path, grid, scale=2)
                self.written.append(path)
