"""The autoencoder: an encoder and a decoder trained to reconstruct their input."""

import keras
import numpy as np
from keras import ops

from keras_dl.models.base import replicas
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import input_of, tensor_specs
from keras_dl.models.base.endpoints import Endpoint
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import reconstruction_grid


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

    serving_output_name = "reconstructions"
    tracker_names = ("loss",)
    serialized_networks = ("encoder", "decoder")

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = validation.keras_model("encoder", encoder, layers_allowed=True)
        self.decoder = validation.keras_model("decoder", decoder, layers_allowed=True)
        self._check_networks_fit()

    def _check_networks_fit(self):
        """Refuses a decoder that does not take the encoder's codes or does not give back
        the shape of the encoder's inputs (for an encoder with a known input shape)."""
        input_shape = _known_input_shape(self.encoder)
        if input_shape is None:
            return
        codes = self.decoder_input_specs(
            self.encoder.compute_output_spec(keras.KerasTensor(input_shape))
        )
        try:
            output = self.decoder.compute_output_spec(codes)
        except (ValueError, TypeError) as error:
            shapes = [tuple(code.shape) for code in keras.tree.flatten(codes)]
            raise ValueError(
                f"The decoder does not take the encoder's codes of shape {shapes}: "
                f"{str(error).strip().splitlines()[0]}"
            ) from None
        if tuple(output.shape[1:]) != tuple(input_shape[1:]):
            raise ValueError(
                f"The decoder outputs shape {tuple(output.shape)}, but the encoder takes inputs "
                f"of shape {tuple(input_shape)}: an autoencoder reconstructs its input"
            )

    def decoder_input_specs(self, encoder_output_specs):
        """What the decoder takes, given the encoder's output specs: the codes themselves."""
        return encoder_output_specs

    def build(self, input_shape):
        if not self.encoder.built:
            self.encoder.build(input_shape)
        if not self.decoder.built:
            self.decoder.build(self.encoder.compute_output_shape(input_shape))
        super().build(input_shape)

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

    def check_data(self, x, y):
        if _is_probability_loss(self.loss):
            validation.probabilities_data(
                type(self).__name__, "the binary cross-entropy loss takes",
                x if y is None else y, "loss='mse' for real values")
        expected = (
            getattr(self.encoder, "input_shape", None)
            if getattr(self.encoder, "inputs", None)
            else None
        )
        if not isinstance(expected, tuple) or isinstance(x, (tuple, list)):
            return
        received = (None, *np.shape(x)[1:])
        if len(received) != len(expected) or any(
            want is not None and got != want for want, got in zip(expected, received)
        ):
            raise ValueError(
                f"{type(self).__name__}: the encoder takes inputs of shape {expected}, but `x` "
                f"holds samples of shape {received}"
            )

    def corrupt(self, inputs, training):
        """The inputs the encoder sees; subclasses corrupt them in training."""
        return inputs

    def code_penalties(self, codes, inputs, training):
        """Extra losses on the `codes` of `inputs`, `{name: value}`, added to the loss
        and logged."""
        return {}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss between the reconstructions `y_pred` and their target `y`,
        which is the input `x` itself unless given."""
        return super().compute_loss(x, x if y is None else y, y_pred, sample_weight, training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        return super().compute_metrics(x, x if y is None else y, y_pred, sample_weight)

    def reconstruction_loss(self, inputs, reconstructions, training):
        """The compiled loss (mean squared error by default) plus the layers' losses."""
        if self.loss is not None:
            return replicas.compiled_loss_as_replica_mean(
                self, inputs, inputs, reconstructions, training=training
            )
        error = ops.mean(ops.square(ops.cast(reconstructions, "float32") - inputs))
        return error + self.layer_losses()

    def layer_losses(self):
        """The sum of the layers' own losses (`self.losses`: regularizers), in float32."""
        return sum((ops.cast(loss, "float32") for loss in self.losses), 0.0)

    def compute_objective(self, data, training):
        inputs = ops.cast(input_of(data), "float32")
        codes = self.encode(self.corrupt(inputs, training), training=training)
        reconstructions = self.decode(codes, training=training)
        loss = self.reconstruction_loss(inputs, reconstructions, training)
        penalties = self.code_penalties(codes, inputs, training)
        for penalty in penalties.values():
            loss = loss + penalty
        return loss, {"loss": loss, **penalties}, (inputs, reconstructions)

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"reconstructions": grid}`: `inputs` above their reconstructions
        (for `keras_dl.callbacks.ImageSampler`)."""
        return reconstruction_grid(type(self).__name__, self.reconstruct, inputs, num_images)

    # Saving and export ---------------------------------------------------------

    def export_endpoints(self):
        code_shapes = self.encoder.compute_output_shape(self.serving_input_shape)
        return {
            "encode": Endpoint(lambda x: self.encode(x), "codes", [[self.serving_signature()]]),
            "decode": Endpoint(
                # Several codes (e.g. argmax unpooling's indices) are several inputs.
                (lambda *codes: self.decode(list(codes))) if isinstance(code_shapes, list)
                else (lambda codes: self.decode(codes)),
                "reconstructions",
                [tensor_specs(code_shapes, name="codes")
                 if isinstance(code_shapes, list)
                 else [tensor_specs(code_shapes, name="codes")]],
            ),
        }


def _known_input_shape(network):
    """The input shape of a model built on one `keras.Input`, else None."""
    shape = getattr(network, "input_shape", None) if getattr(network, "inputs", None) else None
    return shape if isinstance(shape, tuple) else None


def _is_probability_loss(loss):
    """Whether the compiled `loss` compares probabilities (binary cross-entropy)."""
    if isinstance(loss, str):
        return loss in ("binary_crossentropy", "bce", "binary_focal_crossentropy")
    probability_losses = (keras.losses.BinaryCrossentropy, keras.losses.BinaryFocalCrossentropy)
    return isinstance(loss, probability_losses) or loss in (
        keras.losses.binary_crossentropy, keras.losses.binary_focal_crossentropy)
