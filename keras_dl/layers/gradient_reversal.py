"""The gradient reversal layer of domain-adversarial training."""

import keras
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.layers.GradientReversal")
class GradientReversal(keras.layers.Layer):
    """Identity in the forward pass, gradient multiplied by `-lambda_` backwards.

    Placed between a feature extractor and a domain classifier, it makes the
    features minimise the label loss while maximising the domain loss, which
    drives them towards domain invariance. The layer computes
    `stop_gradient(x) + lambda_ * (stop_gradient(x) - x)`: the second term is
    exactly zero in the forward pass (so the output equals the input bit for
    bit) and has gradient `-lambda_` with respect to `x`. Written with
    `keras.ops` only, it needs no custom gradient registration and compiles
    with XLA.

    Reference: Ganin & Lempitsky, "Unsupervised Domain Adaptation by
    Backpropagation", ICML 2015; Ganin et al., "Domain-Adversarial Training of
    Neural Networks", JMLR 2016.

    Args:
        lambda_: non-negative float, the initial reversal weight. It is stored
            in a non-trainable weight named `lambda` (attribute
            `lambda_weight`) that can be assigned during training, e.g. by
            `keras_dl.callbacks.GradientReversalScheduler`.
        **kwargs: base layer arguments (`name`, `dtype`, `trainable`).

    Call arguments:
        inputs: a tensor of any shape.

    Returns:
        The input, unchanged.

    Example:

    >>> layer = GradientReversal(lambda_=0.5)
    >>> x = keras.ops.convert_to_tensor([1.0, -2.0])
    >>> keras.ops.convert_to_numpy(layer(x))
    array([ 1., -2.], dtype=float32)
    """

    def __init__(self, lambda_=1.0, **kwargs):
        super().__init__(**kwargs)
        self.lambda_ = validation.non_negative_float("lambda_", lambda_)

    def build(self, input_shape):
        self.lambda_weight = self.add_weight(
            name="lambda",
            shape=(),
            initializer=keras.initializers.Constant(self.lambda_),
            trainable=False,
        )

    def call(self, inputs):
        lambda_ = ops.cast(self.lambda_weight, inputs.dtype)
        constant = ops.stop_gradient(inputs)
        return constant + lambda_ * (constant - inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"lambda_": self.lambda_})
        return config
