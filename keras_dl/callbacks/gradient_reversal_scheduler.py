"""The schedule of the gradient reversal weight of Ganin et al."""

import math

import keras

from keras_dl.layers import GradientReversal
from keras_dl.utils import keras_compat, validation
from keras_dl.utils.api_export import keras_dl_export


def reversal_weight(progress, gamma):
    """lambda_p = 2 / (1 + exp(-gamma p)) - 1 (Ganin et al. 2016, section 5.2.2)."""
    return 2.0 / (1.0 + math.exp(-gamma * progress)) - 1.0


@keras_dl_export("keras_dl.callbacks.GradientReversalScheduler")
class GradientReversalScheduler(keras.callbacks.Callback):
    """Raises the reversal weight of every `GradientReversal` layer from 0 to 1.

    Before each batch it sets `lambda_p = 2 / (1 + exp(-gamma * p)) - 1`,
    with `p` the training progress from 0 to 1 (batches done / batches
    planned), so that the domain classifier's noisy early gradients do not
    disturb the features. Needs `fit` to know the number of steps per epoch.

    Reference: Ganin et al., "Domain-Adversarial Training of Neural
    Networks", JMLR 17, 2016, section 5.2.2.

    Args:
        gamma: positive float, the steepness (10 in the paper).
        layer: the `GradientReversal` layer (or a list of them) to schedule.
            By default, the model's `gradient_reversal` attribute (as
            `keras_dl.models.DomainAdversarialModel` has), else the
            `GradientReversal` layers among the model's `layers` (searched
            through nested models).
    """

    def __init__(self, gamma=10.0, layer=None):
        super().__init__()
        self.gamma = validation.non_negative_float("gamma", gamma)
        targets = [] if layer is None else layer if isinstance(layer, (list, tuple)) else [layer]
        for target in targets:
            if not isinstance(target, GradientReversal):
                raise TypeError(
                    "`layer` must be a GradientReversal layer or a list of them, received: "
                    f"{type(target).__name__}"
                )
        self.targets = list(targets)
        self.history = []

    def on_train_begin(self, logs=None):
        steps = self.params.get("steps")
        if not steps:
            raise ValueError(
                "GradientReversalScheduler needs the number of steps per epoch: give fit a finite "
                "dataset or `steps_per_epoch`"
            )
        self.total_steps = steps * self.params["epochs"]
        self.layers = self.targets or _reversal_layers(self.model)
        if not self.layers:
            raise ValueError(
                "GradientReversalScheduler found no GradientReversal layer in the model; pass "
                "it as `layer=`"
            )
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        progress = (self.epoch * self.params["steps"] + batch) / self.total_steps
        value = reversal_weight(progress, self.gamma)
        keras_compat.sync_training_state(self.model)
        for layer in self.layers:
            layer.lambda_weight.assign(value)
        self.history.append(value)


def _reversal_layers(model):
    """The model's `gradient_reversal` layer, else the `GradientReversal` layers of its
    `layers`, searched through nested models."""
    own = getattr(model, "gradient_reversal", None)
    if isinstance(own, GradientReversal):
        return [own]
    found = []
    for layer in getattr(model, "layers", []):
        found += [layer] if isinstance(layer, GradientReversal) else _reversal_layers(layer)
    return found
