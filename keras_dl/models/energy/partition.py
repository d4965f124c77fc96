"""The log partition function log Z of an RBM: exact enumeration, and annealed
importance sampling (AIS).

References: Neal, "Annealed Importance Sampling", Statistics and Computing
2001; Salakhutdinov & Murray, "On the Quantitative Analysis of Deep Belief
Networks", ICML 2008.
"""

import keras
import numpy as np
from keras import ops

from keras_dl.models.energy import energy
from keras_dl.models.energy.gibbs import StatelessDraw, gibbs_step, initial_visible_states
from keras_dl.utils import backend_ops

MAX_ENUMERATED_UNITS = 20
ENUMERATION_BLOCK = 2**14
BETAS_PER_CALL = 1000


def log_sum_over_binary_states(num_units, log_weight):
    """log sum over all binary vectors of `num_units` units of exp(log_weight(states)).

    Example:

    >>> round(log_sum_over_binary_states(3, lambda states: ops.zeros(len(states))), 4)
    2.0794
    """
    partial = []
    for start in range(0, 2**num_units, ENUMERATION_BLOCK):
        indices = np.arange(start, min(start + ENUMERATION_BLOCK, 2**num_units))
        states = ((indices[:, None] >> np.arange(num_units)) & 1).astype("float32")
        partial.append(float(ops.logsumexp(log_weight(ops.convert_to_tensor(states)))))
    return float(np.logaddexp.reduce(partial))


def exact_log_partition(weights):
    """log Z by enumerating the smaller layer (at most 20 units), or the hidden layer
    when the visible units are not binary.

    Summing out the other layer in closed form, log Z is the log-sum over the
    enumerated states of `log_unnormalised_hidden_marginal(h)` or of `-F(v)`.
    """
    n_visible, n_hidden = (int(size) for size in weights.kernel.shape)
    if not weights.units.binary or n_hidden <= n_visible:
        if n_hidden > MAX_ENUMERATED_UNITS:
            raise ValueError(
                f"exact_log_partition() enumerates 2**n_hidden states and needs n_hidden <= "
                f"{MAX_ENUMERATED_UNITS}, this RBM has n_hidden={n_hidden}"
            )
        return log_sum_over_binary_states(
            n_hidden, lambda h: energy.log_unnormalised_hidden_marginal(weights, h)
        )
    if n_visible > MAX_ENUMERATED_UNITS:
        raise ValueError(
            f"exact_log_partition() needs n_hidden or n_visible <= {MAX_ENUMERATED_UNITS}, "
            f"this RBM has n_visible={n_visible} and n_hidden={n_hidden}"
        )
    return log_sum_over_binary_states(n_visible, lambda v: -energy.free_energy(weights, v))


def base_rate_biases(mean, count):
    """The biases `b_A` of AIS's base-rate model: the log-odds of the data's mean
    activations `mean` over `count` samples, smoothed as `(mean count + 0.05) /
    (count + 0.1)` (zeros, the uniform model, without data: `count` 0).

    Example:

    >>> base_rate_biases(np.array([0.0, 0.5]), 0).tolist()
    [0.0, 0.0]
    """
    smoothed = (np.clip(mean, 0.0, 1.0) * count + 0.05) / (count + 0.1)
    return np.log(smoothed / (1.0 - smoothed)).astype("float32")


def ais_inverse_temperatures(num_betas):
    """0 = beta_0 < ... < beta_K = 1 in the proportions of Salakhutdinov & Murray 2008
    (500 up to 0.5, 4,000 up to 0.9, 10,000 up to 1 out of 14,500)."""
    first = max(1, round(num_betas * 500 / 14500))
    second = max(1, round(num_betas * 4000 / 14500))
    third = max(1, num_betas - first - second)
    return np.concatenate(
        [
            np.linspace(0.0, 0.5, first, endpoint=False),
            np.linspace(0.5, 0.9, second, endpoint=False),
            np.linspace(0.9, 1.0, third + 1),
        ]
    ).astype("float32")


def _anneal(weights, base_bias, betas, v, log_weights, seed, first_step):
    """Moves the chains, now at `betas[0]`, through `betas[1:]`, adding to the importance
    log-weights `log p*_k(v) - log p*_{k-1}(v)` before each transition."""

    def transition(k, state):
        v, log_weights = state
        log_weights += energy.log_tempered_marginal(weights, base_bias, v, betas[k]) - (
            energy.log_tempered_marginal(weights, base_bias, v, betas[k - 1])
        )
        v, _ = gibbs_step(weights, v, StatelessDraw(seed, first_step + k), betas[k], base_bias)
        return v, log_weights

    return ops.fori_loop(1, ops.shape(betas)[0], transition, (v, log_weights))


_compiled_anneal = backend_ops.compiled(_anneal)


def annealed_importance_sampling(weights, base_bias, num_chains, num_betas, seed, verbose=0):
    """Estimates log Z of a Bernoulli RBM by annealed importance sampling.

    The chains anneal from the base-rate model with no hidden interactions,
    `p_A(v) ∝ exp(b_A'v)` (log Z_A = sum_i softplus(b_A,i) + n_hidden log 2),
    to the RBM, through `p_k(v) ∝ exp((1 - beta_k) b_A'v) exp(-beta_k F(v))`
    (`energy.log_tempered_marginal`), with a Gibbs transition at each of
    `num_betas` inverse temperatures (`ais_inverse_temperatures`). `b_A` are
    best the maximum-likelihood biases of the data's mean activations,
    smoothed (`base_rate_biases`), as Salakhutdinov & Murray recommend.

    Args:
        weights: `RBMWeights` of binary visible units.
        base_bias: `b_A`, `(n_visible,)`.
        num_chains: the number of annealing runs.
        num_betas: the number of inverse temperatures.
        seed: int; the estimate is reproducible with it.
        verbose: 0 or 1, a progress bar over the temperatures.

    Returns:
        `(log_z, low, high)`: the estimate log(Z_A mean(w)) and log(Z_A (mean(w) -/+
        3 std(w) / sqrt(num_chains))), the interval Salakhutdinov & Murray report
        (`low` is -inf when the lower end is not positive).
    """
    betas = ais_inverse_temperatures(num_betas)
    base_bias = np.asarray(base_bias, "float32")
    bias = ops.convert_to_tensor(base_bias)
    v = initial_visible_states(weights, num_chains, seed, bias)
    log_weights = ops.zeros((num_chains,))
    progress = keras.utils.Progbar(len(betas) - 1, unit_name="beta") if verbose else None
    for start in range(0, len(betas) - 1, BETAS_PER_CALL):
        chunk = betas[start : start + BETAS_PER_CALL + 1]
        v, log_weights = _compiled_anneal(
            weights, bias, ops.convert_to_tensor(chunk), v, log_weights,
            *(ops.convert_to_tensor(value, "int32") for value in (seed, start)))
        if progress is not None:
            progress.update(start + len(chunk) - 1)
    log_weights = ops.convert_to_numpy(log_weights).astype("float64")
    n_hidden = int(weights.kernel.shape[1])
    log_base = float(np.sum(np.logaddexp(0.0, base_bias))) + n_hidden * np.log(2.0)
    largest = log_weights.max()
    ratios = np.exp(log_weights - largest)
    mean, spread = ratios.mean(), 3.0 * ratios.std() / np.sqrt(num_chains)
    offset = log_base + largest
    low = offset + np.log(mean - spread) if mean > spread else -np.inf
    return offset + np.log(mean), low, offset + np.log(mean + spread)
