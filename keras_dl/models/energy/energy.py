"""The energy of a restricted Boltzmann machine and the quantities derived from it.

`E(v, h) = term(v; b) - c'h - v'Wh`, with hidden units `h` in {0, 1} and the
visible units' term `term` (`-b'v` for Bernoulli units, `||v - b||^2 / 2` for
Gaussian ones; `visible_units`). Every energy that training, inference,
sampling and the partition functions use is computed here:

- `hidden_preactivation`: `c + v'W`, so that `P(h_j = 1 | v) = sigmoid(c_j + v'W_j)`;
- `energy`: `E(v, h)`;
- `free_energy`: `F(v) = -log sum_h exp(-E(v, h)) = term(v; b) - sum_j softplus(c_j + v'W_j)`;
- `log_unnormalised_hidden_marginal`: `log sum_v exp(-E(v, h))`;
- `log_tempered_marginal`: the unnormalised visible marginal of the tempered
  model of annealed importance sampling;
- `log_pseudo_likelihood`: `sum_i log P(v_i | v_-i)` of binary units, from the
  free energies of `v` with one unit flipped.

References: Hinton, "A Practical Guide to Training Restricted Boltzmann
Machines", UTML TR 2010-003; Salakhutdinov & Murray, "On the Quantitative
Analysis of Deep Belief Networks", ICML 2008.

Example:

>>> import numpy as np
>>> from keras_dl.models.energy import visible_units
>>> weights = RBMWeights(np.zeros((2, 3), "float32"), np.zeros(2, "float32"),
...                      np.zeros(3, "float32"), visible_units.get("bernoulli"))
>>> round(float(free_energy(weights, np.ones((1, 2), "float32"))[0]), 4)  # -3 log 2
-2.0794
"""

import collections

from keras import ops

RBMWeights = collections.namedtuple("RBMWeights", "kernel visible_bias hidden_bias units")
RBMWeights.__doc__ = """The parameters of an RBM: `kernel` W `(n_visible, n_hidden)`,
`visible_bias` b, `hidden_bias` c, and its `units` (a `visible_units.VisibleUnits`)."""


def hidden_preactivation(weights, v):
    """c + v'W, per sample."""
    return ops.matmul(v, weights.kernel) + weights.hidden_bias


def visible_preactivation(weights, h):
    """b + Wh, per sample."""
    return ops.matmul(h, ops.transpose(weights.kernel)) + weights.visible_bias


def energy(weights, v, h):
    """E(v, h) = term(v; b) - c'h - v'Wh, per sample."""
    interaction = ops.sum(ops.matmul(v, weights.kernel) * h, axis=-1)
    visible_term = weights.units.energy_term(v, weights.visible_bias)
    return visible_term - ops.sum(h * weights.hidden_bias, axis=-1) - interaction


def free_energy(weights, v, preactivation=None):
    """F(v) = term(v; b) - sum_j softplus(c_j + v'W_j), per sample.

    Args:
        weights: `RBMWeights`.
        v: visible states `(samples, n_visible)`.
        preactivation: `hidden_preactivation(weights, v)`, when already computed.
    """
    if preactivation is None:
        preactivation = hidden_preactivation(weights, v)
    visible_term = weights.units.energy_term(v, weights.visible_bias)
    return visible_term - ops.sum(ops.softplus(preactivation), axis=-1)


def log_unnormalised_hidden_marginal(weights, h):
    """log sum_v exp(-E(v, h)) = c'h + log sum_v exp(-term(v; b) + v'Wh), per hidden
    configuration (the sum is an integral for Gaussian units)."""
    top_down = ops.matmul(h, ops.transpose(weights.kernel))
    hidden_term = ops.sum(h * weights.hidden_bias, axis=-1)
    return hidden_term + weights.units.log_integral(top_down, weights.visible_bias)


def log_tempered_marginal(weights, base_bias, v, beta):
    """log p*_beta(v) = (1 - beta) (-term(v; b_A)) + beta (-term(v; b))
    + sum_j softplus(beta (c_j + v'W_j)): the unnormalised visible marginal of
    p_beta(v, h) ∝ exp(-(1 - beta) term(v; b_A) - beta E(v, h)), which is the
    RBM at `beta = 1` and the base-rate model of biases `b_A` (no hidden
    interactions) at `beta = 0` (Salakhutdinov & Murray 2008, section 4.1)."""
    base_term = weights.units.energy_term(v, base_bias)
    visible_term = weights.units.energy_term(v, weights.visible_bias)
    return (
        (1.0 - beta) * -base_term
        + beta * -visible_term
        + ops.sum(ops.softplus(beta * hidden_preactivation(weights, v)), axis=-1)
    )


def log_pseudo_likelihood(weights, v):
    """sum_i log P(v_i | v_-i) per sample of binary `v`, from
    `P(v_i | v_-i) = sigmoid(F(v^(i)) - F(v))`, `v^(i)` being `v` with unit `i` flipped:
    `F(v^(i)) - F(v) = -b_i (1 - 2 v_i)` (the change of `-b'v`) minus the change of
    `sum_j softplus(c_j + v'W_j)` (Besag 1975; Marlin et al., AISTATS 2010)."""
    preactivation = hidden_preactivation(weights, v)  # (samples, hidden)
    flips = 1.0 - 2.0 * v  # +1 where v_i = 0, -1 where v_i = 1
    flipped = preactivation[:, None, :] + flips[:, :, None] * weights.kernel[None, :, :]
    softplus_change = ops.sum(ops.softplus(flipped), axis=-1) - ops.sum(
        ops.softplus(preactivation), axis=-1
    )[:, None]
    free_energy_change = -weights.visible_bias[None, :] * flips - softplus_change
    return ops.sum(ops.log_sigmoid(free_energy_change), axis=-1)
