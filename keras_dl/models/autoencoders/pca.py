"""Principal component analysis as a Keras model with the autoencoder surface."""

import types

import keras
import numpy as np
from keras import ops

from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import (
    batches,
    comes_in_batches,
    input_of,
    require_finite,
    tensor_specs,
)
from keras_dl.models.base.endpoints import Endpoint
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import reconstruction_grid


@keras_dl_export("keras_dl.models.PCA")
class PCA(BaseModel):
    """Principal component analysis: the best linear autoencoder, computed exactly.

    `fit(x)` centres the data and takes the top `n_components` right singular
    vectors of the centred data matrix (`keras.ops.svd`, no gradient
    descent): the orthonormal directions of largest variance. `encode`
    projects on them, `decode` maps back, `reconstruct` does both: among all
    linear maps through `n_components` dimensions this reconstruction has the
    least squared error (Eckart-Young). It is the baseline that Hinton &
    Salakhutdinov (2006) compare deep autoencoders with. Signs of the
    components are fixed as scikit-learn fixes them (`svd_flip`).

    PCA computes in float32 whatever the global dtype policy (a singular
    value decomposition needs more than half precision).

    Reference: Pearson, "On Lines and Planes of Closest Fit to Systems of
    Points in Space", 1901; Hotelling, 1933.

    Args:
        n_components: positive int, the code size.
        **kwargs: `keras.Model` arguments.

    Returns (of `fit`):
        A `keras.callbacks.History` whose `history["reconstruction_error"]`
        holds the mean squared reconstruction error per sample (summed over
        features) on the fitted data.

    Example:

    >>> x = np.random.default_rng(0).normal(size=(100, 5)) * [5.0, 2.0, 1.0, 0.1, 0.1]
    >>> pca = PCA(2)
    >>> history = pca.fit(x, verbose=0)
    >>> [round(float(r), 2) for r in pca.explained_variance_ratio]
    [0.81, 0.16]
    """

    serving_output_name = "reconstructions"
    tracker_names = ("reconstruction_error",)
    accepts_compiled_loss = False

    def __init__(self, n_components, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self.n_components = validation.positive_int("n_components", n_components)

    def build(self, input_shape):
        n_features = int(np.prod(input_shape[1:]))
        if self.n_components > n_features:
            raise ValueError(
                f"`n_components` must be at most the number of features {n_features}, "
                f"received: {self.n_components}"
            )
        self.mean = self.add_weight(
            name="mean", shape=(n_features,), initializer="zeros", trainable=False
        )
        self.components = self.add_weight(
            name="components",
            shape=(n_features, self.n_components),
            initializer="zeros",
            trainable=False,
        )
        self.explained_variance = self.add_weight(
            name="explained_variance",
            shape=(self.n_components,),
            initializer="zeros",
            trainable=False,
        )
        self.total_variance = self.add_weight(
            name="total_variance", shape=(), initializer="zeros", trainable=False
        )
        super().build(input_shape)

    @property
    def explained_variance_ratio(self):
        """Fraction of the total variance along each component (like scikit-learn's)."""
        self._require_fitted()
        return keras.ops.convert_to_numpy(self.explained_variance / self.total_variance)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", **kwargs):
        """Computes the principal components of `x` exactly, then reports their error.

        The components come from one singular value decomposition of all of
        `x`; `fit` then runs Keras' own loop over `x` (callbacks, TensorBoard,
        `History`) to log the reconstruction error of the fitted components.

        Args:
            x: an array of shape `(samples, ...)`, or a `tf.data.Dataset`,
                `keras.utils.PyDataset`, torch `DataLoader` or generator of such
                batches (or of `(x, y)` pairs; `y` is ignored). A generator is
                read once: the error pass runs over the samples it gave.
            y: ignored (PCA has no targets).
            batch_size, epochs, verbose, **kwargs: `keras.Model.fit` arguments
                for the pass that measures the error.

        Returns:
            A `keras.callbacks.History` with `reconstruction_error`.
        """
        matrix = _as_matrix(x)
        self.compute_components(matrix)
        if isinstance(x, types.GeneratorType):
            x = matrix
        if not self.compiled:
            self.compile()
        return super().fit(x, batch_size=batch_size, epochs=epochs, verbose=verbose, **kwargs)

    def compute_components(self, data):
        """Sets the mean, components and variances from the data matrix `data`."""
        if not self.built:
            self.build((None, *data.shape[1:]))
        if self.n_components > data.shape[0]:
            raise ValueError(
                f"`n_components` must be at most the number of samples {data.shape[0]}, "
                f"received: {self.n_components}"
            )
        flat = ops.reshape(data, (ops.shape(data)[0], -1))
        mean = ops.mean(flat, axis=0)
        _, singular_values, right_vectors = ops.svd(flat - mean, full_matrices=False)
        components = ops.transpose(right_vectors)[:, : self.n_components]
        # scikit-learn's svd_flip (u_based_decision=False): largest |loading| positive.
        largest = ops.take_along_axis(
            components, ops.argmax(ops.abs(components), axis=0)[None, :], axis=0
        )[0]
        signs = ops.sign(largest)
        components = components * ops.where(signs == 0, 1.0, signs)
        variances = ops.square(singular_values) / ops.cast(ops.shape(flat)[0] - 1, "float32")
        self.mean.assign(mean)
        self.components.assign(components)
        self.explained_variance.assign(variances[: self.n_components])
        self.total_variance.assign(ops.sum(variances))

    def training_step(self, data):
        """PCA has no gradient step: a training pass measures the fitted components."""
        return self.evaluation_step(data)

    def _require_fitted(self):
        if not self.built:
            raise ValueError("PCA is not fitted yet: call fit(x) first")

    def encode(self, inputs, training=False):
        self._require_fitted()
        flat = ops.reshape(ops.cast(inputs, "float32"), (ops.shape(inputs)[0], -1))
        return ops.matmul(flat - self.mean, self.components)

    def decode(self, codes, training=False):
        self._require_fitted()
        flat = ops.matmul(codes, ops.transpose(self.components)) + self.mean
        return ops.reshape(flat, (ops.shape(codes)[0], *self.serving_input_shape[1:]))

    def call(self, inputs, training=False):
        return self.decode(self.encode(inputs))

    def reconstruct(self, inputs):
        return self(inputs)

    def compute_objective(self, data, training):
        inputs = ops.cast(input_of(data), "float32")
        reconstructions = self.reconstruct(inputs)
        flat_error = ops.reshape(inputs - reconstructions, (ops.shape(inputs)[0], -1))
        error = ops.mean(ops.sum(ops.square(flat_error), axis=1))
        return error, {"reconstruction_error": error}, (inputs, reconstructions)

    def get_config(self):
        config = super().get_config()
        config.update({"n_components": self.n_components})
        return config

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"reconstructions": grid}`: `inputs` above their reconstructions from the
        components (for `keras_dl.callbacks.ImageSampler`)."""
        return reconstruction_grid("PCA", self.reconstruct, inputs, num_images)

    def export_endpoints(self):
        return {
            "encode": Endpoint(lambda x: self.encode(x), "codes", [[self.serving_signature()]]),
            "decode": Endpoint(lambda codes: self.decode(codes), "reconstructions",
                               [[tensor_specs((None, self.n_components), name="codes")]]),
        }


def _as_matrix(x):
    if comes_in_batches(x):
        inputs = [np.asarray(input_of(batch)) for batch in batches(x)]
        if not inputs:
            raise ValueError("`x` must not be an empty dataset")
        x = np.concatenate(inputs, axis=0)
    x = np.asarray(x)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"`x` must hold numbers, received dtype {x.dtype.name}")
    if x.ndim < 2 or x.shape[0] < 2:
        raise ValueError(
            f"`x` must have shape (samples >= 2, features...), received {tuple(x.shape)}"
        )
    x = x.astype("float32")
    require_finite("PCA", x, None)
    return ops.convert_to_tensor(x)
