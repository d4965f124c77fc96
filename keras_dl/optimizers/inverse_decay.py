"""The annealed learning rate of domain-adversarial training."""

import keras
from keras import ops

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.optimizers.InverseDecay")
class InverseDecay(keras.optimizers.schedules.LearningRateSchedule):
    """Learning rate `mu_p = mu_0 / (1 + alpha * p)^power`, `p = step / total_steps`.

    The annealing of Ganin et al. (with `alpha=10`, `power=0.75`, `mu_0 =
    0.01`, SGD with momentum 0.9), which CDAN's reference code uses too
    (Caffe's `inv` policy, `lr * (1 + gamma * step)^-power` with `gamma =
    alpha / total_steps`). The rate falls smoothly to `mu_0 / 11^0.75`
    (about `mu_0 / 6`) at `p = 1` and keeps decaying past `total_steps`.
    Pair it with `keras_dl.callbacks.GradientReversalScheduler`, whose
    progress `p` is the same.

    Reference: Ganin et al., "Domain-Adversarial Training of Neural
    Networks", JMLR 17, 2016, section 5.2.2.

    Args:
        total_steps: positive int, the number of training steps (`p = 1`).
        initial_learning_rate: positive float, `mu_0`.
        alpha: non-negative float, the decay speed.
        power: non-negative float, the decay exponent.
        name: optional name of the schedule.

    Example:

    >>> schedule = InverseDecay(total_steps=100, initial_learning_rate=0.01)
    >>> round(float(schedule(100)), 6)  # 0.01 / 11 ** 0.75
    0.001656
    """

    def __init__(self, total_steps, initial_learning_rate=0.01, alpha=10.0, power=0.75,
                 name="InverseDecay"):
        super().__init__()
        self.total_steps = validation.positive_int("total_steps", total_steps)
        self.initial_learning_rate = validation.non_negative_float(
            "initial_learning_rate", initial_learning_rate
        )
        if self.initial_learning_rate == 0.0:
            raise ValueError(
                f"`initial_learning_rate` must be positive, received: {initial_learning_rate!r}"
            )
        self.alpha = validation.non_negative_float("alpha", alpha)
        self.power = validation.non_negative_float("power", power)
        self.name = name

    def __call__(self, step):
        progress = ops.cast(step, "float32") / self.total_steps
        return self.initial_learning_rate / ops.power(1.0 + self.alpha * progress, self.power)

    def get_config(self):
        return {
            "total_steps": self.total_steps,
            "initial_learning_rate": self.initial_learning_rate,
            "alpha": self.alpha,
            "power": self.power,
            "name": self.name,
        }
