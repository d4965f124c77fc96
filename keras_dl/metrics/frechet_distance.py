"""The Frechet distance between feature statistics of real and generated samples."""

import keras
import numpy as np
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


def statistics_dtype():
    """float64, or float32 on JAX without x64 (where JAX would truncate float64 to float32
    with a warning at every array)."""
    if keras.backend.backend() == "jax":
        import jax

        if not jax.config.jax_enable_x64:
            return "float32"
    return "float64"


def frechet_distance(mean_a, covariance_a, mean_b, covariance_b):
    """||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)) for Gaussians (Dowson & Landau 1982).

    Tr((S_a S_b)^(1/2)) is computed as the sum of the square roots of the
    eigenvalues of the symmetric matrix S_a^(1/2) S_b S_a^(1/2), which has
    the same spectrum, in float64 (`keras.ops.eigh`). JAX computes in float32
    unless `jax.config.update("jax_enable_x64", True)` is set before Keras
    creates the metric.
    """
    mean_a, mean_b, covariance_a, covariance_b = (
        ops.cast(value, statistics_dtype())
        for value in (mean_a, mean_b, covariance_a, covariance_b)
    )
    root_a = _symmetric_square_root(covariance_a)
    product = root_a @ covariance_b @ root_a
    eigenvalues, _ = ops.eigh((product + ops.transpose(product)) / 2)
    trace_root = ops.sum(ops.sqrt(ops.maximum(eigenvalues, 0.0)))
    return (
        ops.sum(ops.square(mean_a - mean_b))
        + ops.trace(covariance_a)
        + ops.trace(covariance_b)
        - 2.0 * trace_root
    )


def _symmetric_square_root(matrix):
    """V diag(sqrt(max(lambda, 0))) V^T from the eigendecomposition of a symmetric matrix."""
    eigenvalues, eigenvectors = ops.eigh(matrix)
    return (eigenvectors * ops.sqrt(ops.maximum(eigenvalues, 0.0))) @ ops.transpose(eigenvectors)


@keras_dl_export("keras_dl.metrics.FrechetDistance")
class FrechetDistance(keras.metrics.Metric):
    """Streaming Frechet distance between real and generated samples in a feature space.

    Fits a Gaussian to the features of the real and of the generated samples
    seen so far (running sums of the features and of their outer products)
    and returns the Frechet distance between the two Gaussians. With the
    Inception-v3 pool features this is the FID of Heusel et al. 2017; here
    any Keras model can be the feature extractor, e.g. the penultimate layer
    of a digit classifier, so it works offline.

    Reference: Heusel et al., "GANs Trained by a Two Time-Scale Update Rule
    Converge to a Local Nash Equilibrium", NeurIPS 2017.

    Args:
        feature_extractor: a `keras.Model` from samples to features `(batch, d)`
            (larger outputs are flattened).
        name: metric name.
        **kwargs: `keras.metrics.Metric` arguments.

    Call arguments (`update_state`):
        real: a batch of real samples.
        generated: a batch of generated samples.

    Example:

    >>> extractor = keras.Sequential([keras.Input((2,)), keras.layers.Identity()])
    >>> metric = FrechetDistance(extractor)
    >>> rng = np.random.default_rng(0)
    >>> metric.update_state(rng.normal(size=(5000, 2)), rng.normal(size=(5000, 2)) + [3.0, 0.0])
    >>> round(float(metric.result()))  # ||(3, 0)||^2 = 9, equal covariances
    9
    """

    def __init__(self, feature_extractor, name="frechet_distance", **kwargs):
        super().__init__(name=name, **kwargs)
        self.feature_extractor = validation.keras_model("feature_extractor", feature_extractor)
        self.feature_dim = int(np.prod(feature_extractor.output_shape[1:]))
        dtype = statistics_dtype()
        for prefix in ("real", "generated"):
            setattr(
                self,
                f"{prefix}_count",
                self.add_variable((), "zeros", dtype=dtype, name=f"{prefix}_count"),
            )
            setattr(
                self,
                f"{prefix}_sum",
                self.add_variable(
                    (self.feature_dim,), "zeros", dtype=dtype, name=f"{prefix}_sum"
                ),
            )
            setattr(
                self,
                f"{prefix}_outer",
                self.add_variable(
                    (self.feature_dim, self.feature_dim),
                    "zeros",
                    dtype=dtype,
                    name=f"{prefix}_outer",
                ),
            )

    def _accumulate(self, prefix, samples):
        dtype = getattr(self, f"{prefix}_sum").dtype
        features = ops.cast(self.feature_extractor(samples, training=False), dtype)
        features = ops.reshape(features, (ops.shape(features)[0], self.feature_dim))
        getattr(self, f"{prefix}_count").assign_add(ops.cast(ops.shape(features)[0], dtype))
        getattr(self, f"{prefix}_sum").assign_add(ops.sum(features, axis=0))
        getattr(self, f"{prefix}_outer").assign_add(ops.matmul(ops.transpose(features), features))

    def update_state(self, real, generated, sample_weight=None):
        self._accumulate("real", real)
        self._accumulate("generated", generated)

    def _statistics(self, prefix):
        count = getattr(self, f"{prefix}_count")
        mean = getattr(self, f"{prefix}_sum") / count
        covariance = (getattr(self, f"{prefix}_outer") - count * ops.outer(mean, mean)) / (
            count - 1.0
        )
        return mean, covariance

    def result(self):
        return ops.cast(
            frechet_distance(*self._statistics("real"), *self._statistics("generated")), "float32"
        )

    def reset_state(self):
        for variable in self.variables:
            variable.assign(ops.zeros(variable.shape, variable.dtype))

    def get_config(self):
        config = super().get_config()
        config["feature_extractor"] = keras.saving.serialize_keras_object(self.feature_extractor)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["feature_extractor"] = keras.saving.deserialize_keras_object(
            config["feature_extractor"]
        )
        return cls(**config)
