"""The contractive autoencoder."""

from keras import ops

from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.utils import backend_ops, validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.ContractiveAutoencoder")
class ContractiveAutoencoder(Autoencoder):
    """An autoencoder whose code is insensitive to small input changes.

    Adds `contractive_weight * ||J_f(x)||_F^2`, the squared Frobenius norm of
    the Jacobian of the encoder at each input, averaged over the batch, and
    logs it as `contractive_loss`. The Jacobian is computed for the whole
    batch at once (`tf.GradientTape.batch_jacobian` on TensorFlow,
    `jax.jacrev` on JAX: vectorised, no Python loop over samples), so any
    encoder works, not only one sigmoid layer. Keras has no Jacobian op:
    `keras_dl.utils.backend_ops.batch_jacobian` is one branch per backend.

    Reference: Rifai, Vincent, Muller, Glorot & Bengio, "Contractive
    Auto-Encoders: Explicit Invariance During Feature Extraction", ICML 2011.

    Args:
        encoder: a `keras.Model` from inputs to codes (one output).
        decoder: a `keras.Model` from codes to reconstructions.
        contractive_weight: the weight of the penalty, >= 0.
        **kwargs: `keras.Model` arguments.

    Example:

    >>> encoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="sigmoid")])
    >>> decoder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])
    >>> model = ContractiveAutoencoder(encoder, decoder, contractive_weight=0.1)
    >>> model.compile(optimizer="adam", loss="mse")
    >>> sorted(model.fit(np.ones((8, 4)), verbose=0).history)
    ['contractive_loss', 'loss']
    """

    tracker_names = ("loss", "contractive_loss")

    differentiates_its_gradients = True

    def __init__(self, encoder, decoder, contractive_weight=1e-4, **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.contractive_weight = validation.non_negative_float(
            "contractive_weight", contractive_weight
        )

    def jacobian_frobenius_norm_squared(self, inputs, training=False):
        """||J_f(x)||_F^2 for every input of the batch, shape `(batch,)`."""
        inputs = ops.cast(inputs, "float32")

        def flat_codes(x):
            codes = self.encode(x, training=training)
            return ops.reshape(codes, (ops.shape(codes)[0], -1))

        jacobian = backend_ops.batch_jacobian(flat_codes, inputs)
        jacobian = ops.reshape(ops.cast(jacobian, "float32"), (ops.shape(jacobian)[0], -1))
        return ops.sum(ops.square(jacobian), axis=1)

    def code_penalties(self, codes, inputs, training):
        penalty = ops.mean(self.jacobian_frobenius_norm_squared(inputs, training=training))
        return {"contractive_loss": self.contractive_weight * penalty}

    def get_config(self):
        config = super().get_config()
        config.update({"contractive_weight": self.contractive_weight})
        return config
