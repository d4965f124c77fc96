"""Contrastive divergence (CD-k, Hinton 2002) and persistent contrastive divergence
(PCD, Tieleman 2008): the chains of one update, the surrogate loss they define, and
its gradients in closed form.

An update minimises the surrogate
`mean F(v_data) - mean F(stop_gradient(v_model)) + penalties`, whose gradient is
the CD-k (or PCD) update; `v_model` ends a `k`-step Gibbs chain started at the
data (CD-k) or continues chains kept across updates (PCD). Training applies
`contrastive_divergence_gradients`, the surrogate's gradients in closed form,
without differentiating it; the tests check that both agree.

The penalties are `weight_decay / 2 ||W||^2` and the sparsity penalty
`sparsity_weight * sum_j KL(target || mean_batch P(h_j = 1 | v))` (Lee,
Ekanadham & Ng 2008).

References: Hinton, "Training Products of Experts by Minimizing Contrastive
Divergence", Neural Computation 2002; Tieleman, "Training Restricted Boltzmann
Machines using Approximations to the Likelihood Gradient", ICML 2008; Lee,
Ekanadham & Ng, "Sparse deep belief net model for visual area V2", NIPS 2008.
"""

import collections

from keras import ops

from keras_dl.models.base.divergences import bernoulli_kl_divergence, bernoulli_kl_divergence_slope
from keras_dl.models.base.replicas import mean_over_replicas
from keras_dl.models.energy import energy, gibbs


class ChainStatistics(collections.namedtuple(
    "ChainStatistics", "weights visible preactivation hidden reconstruction num_data row_weights"
)):
    """What one CD-k/PCD update computes, data rows first.

    Attributes:
        weights: the `RBMWeights` the chains ran with.
        visible: the data stacked over the chains' ends `v_model`.
        preactivation: their hidden pre-activations `c + v'W`.
        hidden: their `P(h = 1 | v)`.
        reconstruction: the data's one-step reconstruction `E[v | h]`, `h`
            drawn from `P(h | v_data)`.
        num_data: the number of data rows `B`.
        row_weights: `-1 / B` for each data row and `1 / M` for each of the `M`
            chains: the weights under which a sum over rows is
            `mean(chains) - mean(data)`.
    """

    __slots__ = ()

    @property
    def v_data(self):
        return self.visible[: self.num_data]

    @property
    def v_model(self):
        return self.visible[self.num_data:]

    @property
    def data_hidden(self):
        return self.hidden[: self.num_data]

    @classmethod
    def from_rows(cls, weights, visible, preactivation, hidden, reconstruction, num_data):
        """The statistics of the stacked rows, with their weights."""
        rows = ops.shape(visible)[0]
        data_rows = ops.cast(num_data, "float32")
        row_weights = ops.where(ops.arange(rows) < num_data, -1.0 / data_rows,
                                1.0 / (ops.cast(rows, "float32") - data_rows))
        return cls(weights, visible, preactivation, hidden, reconstruction, num_data,
                   row_weights)


class Penalties(collections.namedtuple(
    "Penalties", "weight_decay sparsity_target sparsity_weight", defaults=(0.0, None, 0.0)
)):
    """The penalties of the surrogate: `weight_decay / 2 ||W||^2` and, when
    `sparsity_target` is set and `sparsity_weight > 0`, the sparsity penalty."""

    __slots__ = ()

    @property
    def sparse(self):
        return self.sparsity_target is not None and self.sparsity_weight > 0

    def sparsity_penalty(self, data_hidden):
        """sparsity_weight * sum_j KL(target || rho_hat_j)."""
        return self.sparsity_weight * bernoulli_kl_divergence(
            self.sparsity_target, mean_activation(data_hidden)
        )

    def sparsity_slope(self, data_hidden):
        """d sparsity_penalty / d rho_hat_j (through the clip of the divergence)."""
        return self.sparsity_weight * bernoulli_kl_divergence_slope(
            self.sparsity_target, mean_activation(data_hidden)
        )


def mean_activation(hidden_probabilities):
    """rho_hat_j, the mean of P(h_j = 1 | v) over the global batch (all replicas)."""
    return mean_over_replicas(ops.mean(hidden_probabilities, axis=0))


def sigmoid_derivative(probabilities):
    """d sigmoid(x) / dx = p (1 - p), from p = sigmoid(x)."""
    return probabilities * (1.0 - probabilities)


def cd_chain_statistics(weights, v_data, cd_steps, draw):
    """CD-k: chains of `cd_steps` Gibbs steps started at the data.

    The first step gives the reconstruction, E[v | h] with h drawn from
    P(h | v_data); the chain continues from there.

    Args:
        weights: `RBMWeights`.
        v_data: the batch `(B, n_visible)`.
        cd_steps: Gibbs steps per update (the k of CD-k).
        draw: the source of random numbers.

    Returns:
        The `ChainStatistics` of the data and the `B` chains' ends.
    """
    data_preactivation = energy.hidden_preactivation(weights, v_data)
    data_hidden = ops.sigmoid(data_preactivation)
    reconstruction = gibbs.visible_mean(weights, gibbs.sample_bernoulli(data_hidden, draw))
    v_model = weights.units.sample(reconstruction, draw)
    v_model = ops.stop_gradient(gibbs.gibbs_steps(weights, v_model, cd_steps - 1, draw))
    model_preactivation = energy.hidden_preactivation(weights, v_model)
    return ChainStatistics.from_rows(
        weights,
        ops.concatenate([v_data, v_model], axis=0),
        ops.concatenate([data_preactivation, model_preactivation], axis=0),
        ops.concatenate([data_hidden, ops.sigmoid(model_preactivation)], axis=0),
        reconstruction,
        ops.shape(v_data)[0],
    )


def pcd_chain_statistics(weights, v_data, cd_steps, draw, chains, chains_started):
    """PCD: chains kept across updates by their hidden states.

    The chains keep their hidden states (as scikit-learn's `BernoulliRBM` and
    the deeplearning.net RBM tutorial do), so each update starts them with a
    half-step `h -> v`, and the data and the chains' new visible states share
    one product to their hidden units, whose draw gives both the
    reconstruction's hidden states and the chains' next ones.

    Args:
        weights: `RBMWeights`.
        v_data: the batch `(B, n_visible)`.
        cd_steps: Gibbs steps per update.
        draw: the source of random numbers.
        chains: the chains' hidden states `(M, n_hidden)` (a variable).
        chains_started: positive once the chains hold states; before, they
            start from data rows `0, 1, ..., M - 1` (cycling).

    Returns:
        `(statistics, next_chains)`: the `ChainStatistics` and the chains' new
        hidden states.
    """
    num_data = ops.shape(v_data)[0]
    chain_hidden = ops.cond(
        chains_started > 0,
        lambda: ops.convert_to_tensor(chains),
        lambda: gibbs.sample_bernoulli(ops.sigmoid(energy.hidden_preactivation(
            weights, ops.take(v_data, ops.arange(chains.shape[0]) % num_data, axis=0))), draw),
    )
    v_model = weights.units.sample(gibbs.visible_mean(weights, chain_hidden), draw)
    v_model = gibbs.gibbs_steps(weights, v_model, cd_steps - 1, draw)
    visible = ops.concatenate([v_data, ops.stop_gradient(v_model)], axis=0)
    preactivation = energy.hidden_preactivation(weights, visible)
    hidden = ops.sigmoid(preactivation)
    hidden_states = gibbs.sample_bernoulli(hidden, draw)
    reconstruction = gibbs.visible_mean(weights, hidden_states[:num_data])
    statistics = ChainStatistics.from_rows(
        weights, visible, preactivation, hidden, reconstruction, num_data
    )
    return statistics, hidden_states[num_data:]


def free_energy_gap(statistics):
    """mean F(v_data) - mean F(v_model)."""
    free_energy = energy.free_energy(
        statistics.weights, statistics.visible, statistics.preactivation
    )
    return -ops.sum(statistics.row_weights * free_energy)


def surrogate_loss(statistics, penalties=Penalties()):
    """`mean F(v_data) - mean F(v_model)` plus the penalties: the loss whose gradient
    `contrastive_divergence_gradients` gives in closed form."""
    loss = free_energy_gap(statistics)
    loss += 0.5 * penalties.weight_decay * ops.sum(ops.square(statistics.weights.kernel))
    if penalties.sparse:
        loss += penalties.sparsity_penalty(statistics.data_hidden)
    return loss


def contrastive_divergence_gradients(statistics, penalties=Penalties(), scale=1.0):
    """The gradients of `surrogate_loss` for `(kernel, visible_bias, hidden_bias)`, in
    closed form, times `scale`.

    With the rows' weights `w` (`-1 / B` for the `B` data rows, `1 / M` for
    the `M` chains), `g = w P(h | v) + [s P(h | v_data) (1 - P(h | v_data)) / B; 0]`
    (`s` the sparsity penalty's derivative in the mean activation, 0 without
    it): `dW = [v_data; v_model]' g + weight_decay * W` (one product),
    `db = w' [v_data; v_model] = mean v_model - mean v_data` (Bernoulli and
    Gaussian units alike) and `dc = sum g`.

    Args:
        statistics: the update's `ChainStatistics`.
        penalties: the `Penalties` of the surrogate.
        scale: a factor for every gradient (the replica share in training).

    Returns:
        `(kernel_gradient, visible_gradient, hidden_gradient)`.
    """
    # Both outer products in one matrix product: a CD-1 step costs scikit-learn's five
    # products, a PCD-1 step one more (for its log).
    row_weights = scale * statistics.row_weights
    preactivation_gradient = statistics.hidden * row_weights[:, None]
    if penalties.sparse:
        data_rows = ops.cast(statistics.num_data, "float32")
        sparsity_gradient = (scale / data_rows) * penalties.sparsity_slope(
            statistics.data_hidden) * sigmoid_derivative(statistics.data_hidden)
        preactivation_gradient += ops.concatenate(
            [sparsity_gradient, ops.zeros_like(statistics.hidden[statistics.num_data:])],
            axis=0,
        )
    kernel_gradient = ops.matmul(ops.transpose(statistics.visible), preactivation_gradient)
    if penalties.weight_decay:
        kernel_gradient += (scale * penalties.weight_decay) * statistics.weights.kernel
    visible_gradient = ops.matmul(row_weights[None, :], statistics.visible)[0]
    return kernel_gradient, visible_gradient, ops.sum(preactivation_gradient, axis=0)
