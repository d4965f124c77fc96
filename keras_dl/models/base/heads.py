"""Reading what a user's classifier head outputs: logits, or probabilities of a final
sigmoid or softmax."""

import keras
from keras import ops

from keras_dl.utils import keras_compat


def final_activation(network):
    """The name of the activation that ends `network` (`"sigmoid"`, `"softmax"`) or None.

    Reads the `activation` of the last layer (or a final `Softmax` layer),
    descending into a nested model that ends the network.
    """
    layer = network
    while isinstance(layer, keras.Model):
        if not layer.layers:
            return None
        layer = layer.layers[-1]
    if isinstance(layer, keras.layers.Softmax):
        return "softmax"
    name = getattr(getattr(layer, "activation", None), "__name__", None)
    return name if name in ("sigmoid", "softmax") else None


def head_logits(outputs, sigmoid):
    """A one-unit head's outputs as float32 logits.

    Of a final sigmoid (`sigmoid=True`), the logits it was computed from, as
    Keras' binary cross-entropy takes them; where those are not at hand, its
    probabilities clipped to [epsilon, 1 - epsilon] and mapped back to logits.
    """
    if not sigmoid:
        return ops.cast(outputs, "float32")
    logits = keras_compat.logits_of_sigmoid(outputs)
    if logits is not None:
        return ops.cast(logits, "float32")
    epsilon = keras.config.epsilon()
    probabilities = ops.clip(ops.cast(outputs, "float32"), epsilon, 1.0 - epsilon)
    return ops.log(probabilities) - ops.log1p(-probabilities)
