"""The visible units of an RBM: Bernoulli (binary) or Gaussian (unit variance).

A units object owns what its type of unit changes in the RBM: its term of the
energy `E(v, h) = term(v; b) - c'h - v'Wh`, the conditional mean `E[v | h]`,
sampling around it, the log-integral over `v` that gives the hidden marginal,
and the data it accepts. `get("bernoulli")` and `get("gaussian")` give them, as
`keras_dl.losses.get` gives the GAN losses.

References: Hinton, "A Practical Guide to Training Restricted Boltzmann
Machines", UTML TR 2010-003, section 13.2 (Gaussian visible units).
"""

import numpy as np
from keras import ops

from keras_dl.models.energy.gibbs import sample_bernoulli
from keras_dl.utils import backend_ops, validation


class VisibleUnits:
    """The interface of a type of visible unit (see `BernoulliVisible`).

    Attributes:
        name: the `visible` string of the RBM that has these units.
        binary: whether the states are binary vectors, which can be enumerated,
            flipped (pseudo-likelihood) and annealed from a base-rate model (AIS).
        activation: the Keras activation that maps `b + Wh` to `E[v | h]`.
    """

    name = None
    binary = False
    activation = None

    def energy_term(self, v, bias):
        """The visible units' term of `E(v, h)`, per sample."""
        raise NotImplementedError

    def mean(self, preactivation, beta=1.0, base_bias=None):
        """`E[v | h]` from the pre-activation `b + Wh`; with `base_bias` `b_A`, that of
        the tempered model `p_beta ∝ exp((1 - beta) b_A'v - beta E(v, h))`."""
        raise NotImplementedError

    def sample(self, mean, draw):
        """Visible states drawn around `E[v | h] = mean` with `draw`'s random numbers."""
        raise NotImplementedError

    def log_integral(self, top_down, bias):
        """`log sum_v exp(-energy_term(v, bias) + v'top_down)` (an integral for
        continuous units), per row of `top_down = Wh`."""
        raise NotImplementedError

    def check_data(self, x):
        """Raises a ValueError for training data `x` (NumPy) these units cannot take."""

    def require_binary(self, method):
        """Raises a ValueError naming `RBM.method` unless the units are binary."""
        if not self.binary:
            raise ValueError(
                f"RBM.{method}() needs Bernoulli visible units, this RBM has "
                f"visible='{self.name}'"
            )

    def __repr__(self):
        return f"{type(self).__name__}()"


@backend_ops.register_static
class BernoulliVisible(VisibleUnits):
    """Binary visible units, for data in [0, 1].

    Energy term `-b'v`; `E[v | h] = sigmoid(b + Wh)`.

    Example:

    >>> units = BernoulliVisible()
    >>> float(units.energy_term(np.array([[1.0, 0.0]]), np.array([2.0, 3.0]))[0])
    -2.0
    """

    name = "bernoulli"
    binary = True
    activation = "sigmoid"

    def energy_term(self, v, bias):
        """-b'v."""
        return -ops.matmul(v, bias[:, None])[:, 0]

    def mean(self, preactivation, beta=1.0, base_bias=None):
        """sigmoid(b + Wh), or sigmoid(beta (b + Wh) + (1 - beta) b_A) with `base_bias`."""
        if base_bias is not None:
            preactivation = beta * preactivation + (1.0 - beta) * base_bias
        return ops.sigmoid(preactivation)

    def sample(self, mean, draw):
        """Bernoulli(mean) states."""
        return sample_bernoulli(mean, draw)

    def log_integral(self, top_down, bias):
        """sum_i softplus(b_i + (Wh)_i): each unit summed over its two states."""
        return ops.sum(ops.softplus(top_down + bias), axis=-1)

    def check_data(self, x):
        """Refuses values outside [0, 1] (e.g. uint8 pixels)."""
        validation.probabilities_data("RBM", "Bernoulli visible units take", x,
                                      "visible='gaussian' for standardised real values")


@backend_ops.register_static
class GaussianVisible(VisibleUnits):
    """Real visible units of unit variance, for standardised data.

    Energy term `||v - b||^2 / 2`; `E[v | h] = b + Wh`, and `v | h ~ N(b + Wh, I)`.
    They are sampled at `beta = 1` only: annealed importance sampling needs
    binary units.

    Example:

    >>> units = GaussianVisible()
    >>> float(units.energy_term(np.array([[1.0, 0.0]]), np.array([2.0, 3.0]))[0])
    5.0
    """

    name = "gaussian"
    activation = "linear"

    def energy_term(self, v, bias):
        """||v - b||^2 / 2."""
        return 0.5 * ops.sum(ops.square(v - bias), axis=-1)

    def mean(self, preactivation, beta=1.0, base_bias=None):
        """b + Wh."""
        return preactivation

    def sample(self, mean, draw):
        """N(mean, I) states."""
        return mean + draw.normal(ops.shape(mean))

    def log_integral(self, top_down, bias):
        """log of the Gaussian integral of exp(-||v - b||^2 / 2 + v'Wh) over v,
        `b'Wh + ||Wh||^2 / 2 + n/2 log(2 pi)`."""
        return (
            ops.sum(top_down * bias, axis=-1)
            + 0.5 * ops.sum(ops.square(top_down), axis=-1)
            + 0.5 * int(bias.shape[-1]) * np.log(2 * np.pi)
        )


VISIBLE_UNITS = {units.name: units for units in (BernoulliVisible(), GaussianVisible())}


def get(identifier):
    """The `VisibleUnits` named `identifier` (`"bernoulli"` or `"gaussian"`), or
    `identifier` itself if it is one.

    Example:

    >>> get("gaussian")
    GaussianVisible()
    """
    if isinstance(identifier, VisibleUnits):
        return identifier
    return VISIBLE_UNITS[validation.one_of("visible", identifier, list(VISIBLE_UNITS))]
