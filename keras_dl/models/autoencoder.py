"""The autoencoder: an encoder and a decoder trained to reconstruct their input."""

import keras

from keras_dl.models.base_model import BaseModel, input_of, tensor_specs
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.Autoencoder")
class Autoencoder(BaseModel):
    """An autoencoder trained with `compile` + `fit(x)` to reconstruct `x`.

    The model minimises the compiled loss between `x` and
    `decoder(encoder(x))` (mean squared error when `compile` names no loss),
    plus any penalty a subclass adds; it logs `loss` and the compiled
    metrics. An autoencoder must be kept from learning the identity: by a
    bottleneck (a code smaller than the input), by corrupting its input
    (`DenoisingAutoencoder`), or by penalising its code
    (`SparseAutoencoder`, `ContractiveAutoencoder`).

    The encoder may return several tensors (e.g. a code and the argmax of
    its max poolings, as `keras_dl.applications.ConvolutionalAutoencoder`
    does); the decoder then takes them all.

    Reference: Hinton & Salakhutdinov, "Reducing the Dimensionality of Data
    with Neural Networks", Science 313, 2006.

    Args:
        encoder: a `keras.Model` (or layer) from inputs to codes.
        decoder: a `keras.Model` (or layer) from codes to reconstructions.
        **kwargs: `keras.Model` arguments (`name`, ...).

    Call arguments:
        inputs: a batch of inputs.
        training: bool.

    Returns:
        The reconstructions (`serve` endpoint). `encode(x)`, `decode(z)` and
        `reconstruct(x)` give codes, decodings and reconstructions; the
        exported SavedModel has the endpoints `serve`, `encode` and `decode`.

    Example:

    >>> encoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2)])
    >>> decoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8)])
    >>> autoencoder = Autoencoder(encoder, decoder)
    >>> autoencoder.compile(optimizer="adam", loss="mse")
    >>> history = autoencoder.fit(np.ones((16, 8)), epochs=1, verbose=0)
    >>> sorted(history.history)
    ['loss']
    """

    tracker_names = ("loss",)
    serialized_networks = ("encoder", "decoder")

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        for argument, network in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(network, keras.layers.Layer):
                raise TypeError(
                    f"`{argument}` must be a keras.Model or layer, received: {type(network).__name__}"
                )
        self.encoder = encoder
        self.decoder = decoder
        if isinstance(encoder, keras.Model) and encoder.built and encoder.inputs:
            self.build(encoder.input_shape)

    def build(self, input_shape):
        if not self.encoder.built:
            self.encoder.build(input_shape)
        if not self.decoder.built:
            self.decoder.build(self.encoder.compute_output_shape(input_shape))
        self.serving_input_shape = input_shape
        self.built = True

    def encode(self, inputs, training=False):
        """The encoder's output (the code) for `inputs`."""
        return self.encoder(inputs, training=training)

    def decode(self, codes, training=False):
        """The decoder's output for `codes`."""
        return self.decoder(codes, training=training)

    def call(self, inputs, training=False):
        return self.decode(self.encode(inputs, training=training), training=training)

    def reconstruct(self, inputs):
        """Reconstructions of `inputs` in inference mode."""
        return self(inputs, training=False)

    # Training ------------------------------------------------------------------

    def corrupt(self, inputs, training):
        """The inputs the encoder sees; subclasses corrupt them in training."""
        return inputs

    def code_penalties(self, inputs, training):
        """Extra losses on the code, `{name: value}`, added to the loss and logged."""
        return {}

    def reconstruction_loss(self, inputs, reconstructions, training):
        """The compiled loss (mean squared error by default), unscaled by replicas."""
        if self._compile_loss is None:
            return keras.ops.mean(keras.ops.square(reconstructions - inputs)) + self._regularization()
        # Keras losses divide by the replica count under a strategy; undo it so
        # that `gradient_step` scales every term once.
        scaled = self.compute_loss(
            x=inputs, y=inputs, y_pred=reconstructions, training=training
        )
        return scaled * self.replica_count()

    def _regularization(self):
        return keras.ops.sum(self.losses) if self.losses else 0.0

    def compute_objective(self, data, training):
        inputs = input_of(data)
        reconstructions = self(self.corrupt(inputs, training), training=training)
        loss = self.reconstruction_loss(inputs, reconstructions, training)
        penalties = self.code_penalties(inputs, training)
        for penalty in penalties.values():
            loss = loss + penalty
        return loss, {"loss": loss, **penalties}, (inputs, reconstructions)

    # Saving and export ---------------------------------------------------------

    def export_endpoints(self):
        code_shapes = self.encoder.compute_output_shape(self.serving_input_shape)
        return {
            "encode": (lambda x: self.encode(x), [self.serving_signature()]),
            "decode": (lambda *codes: self.decode(list(codes) if len(codes) > 1 else codes[0]),
                       tensor_specs(code_shapes) if isinstance(code_shapes, list)
                       else [tensor_specs(code_shapes)]),
        }
