"""The restricted Boltzmann machine: its weights, training state and Keras plumbing. The
mathematics is in `visible_units`, `energy`, `gibbs`, `contrastive_divergence`, `partition`."""

import functools

import keras
import numpy as np
from keras import ops

from keras_dl.models.base import replicas
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import input_of
from keras_dl.models.base.endpoints import Endpoint
from keras_dl.models.energy import contrastive_divergence as cd
from keras_dl.models.energy import energy as rbm_energy
from keras_dl.models.energy import gibbs as rbm_gibbs
from keras_dl.models.energy import partition, visible_units
from keras_dl.models.energy.compile_policy import ManyStepsPerCall
from keras_dl.utils import backend_ops, validation
from keras_dl.utils.api_export import keras_dl_export
from keras_dl.utils.image_grid import as_images, image_grid

# The constructor arguments that `get_config` saves, besides Keras' and the seed.
CONFIG_NAMES = ("n_hidden", "visible", "cd_steps", "persistent", "num_persistent_chains",
                "weight_decay", "sparsity_target", "sparsity_weight")


@keras_dl_export("keras_dl.models.RBM")
class RBM(ManyStepsPerCall, BaseModel):
    """Restricted Boltzmann machine, P(v, h) = exp(-E(v, h)) / Z.

    Energy `E(v, h) = -b'v - c'h - v'Wh` with Bernoulli visible units, and
    `||v - b||^2 / 2 - c'h - v'Wh` with Gaussian ones of unit variance
    (standardise the data); hidden units are Bernoulli. Summing out `h` gives
    the free energy `F(v) = -b'v - sum_j softplus(c_j + v'W_j)` (Gaussian:
    `||v - b||^2 / 2` replaces `-b'v`), with `P(v) = exp(-F(v)) / Z`.

    Training (`compile(optimizer=...)` + `fit(x)`) minimises the contrastive
    divergence surrogate `mean F(v_data) - mean F(stop_gradient(v_model))`,
    whose gradient is the CD-k update (Hinton 2002): `v_model` ends a
    `cd_steps`-step Gibbs chain started at the data, or, with
    `persistent=True`, continues `num_persistent_chains` chains kept across
    updates (PCD, Tieleman 2008). `training_step` applies that gradient in
    closed form (`contrastive_divergence`). `weight_decay` adds
    `weight_decay / 2 * ||W||^2`; `sparsity_target` adds
    `sparsity_weight * sum_j KL(target || mean_batch P(h_j = 1 | v))` (Lee,
    Ekanadham & Ng 2008). Logs: `reconstruction_error` (squared error, summed
    over visible units, of the one-step reconstruction `E[v | h]`, `h` drawn
    from `P(h | v_data)`) and `free_energy_gap` (`mean F(v_data) - mean
    F(v_model)`).

    `compile` runs 32 steps per call by default (`compile_policy`; pass
    `steps_per_execution=1` to see every batch). Evaluation:
    `pseudo_log_likelihood`, `exact_log_partition`, `log_partition` (annealed
    importance sampling), `log_likelihood`. Bernoulli visible units take data
    in [0, 1] (divide uint8 pixels by 255). The RBM computes in float32 under
    any dtype policy: its energies are sums over hundreds of units.

    References: Hinton, "A Practical Guide to Training Restricted Boltzmann
    Machines", UTML TR 2010-003; for CD-k, PCD and AIS, see the modules
    `contrastive_divergence` and `partition`.

    Args:
        n_hidden: positive int, the number of hidden units.
        visible: `"bernoulli"` (data in [0, 1]) or `"gaussian"` (unit variance).
        cd_steps: positive int, Gibbs steps per update (the k of CD-k).
        persistent: bool, persistent contrastive divergence.
        weight_decay: L2 coefficient on the weights, >= 0.
        sparsity_target: None, or the target mean hidden activation in (0, 1).
        sparsity_weight: weight of the sparsity penalty, >= 0.
        seed: optional int for the sampling.
        num_persistent_chains: positive int, the chains kept with `persistent=True`.
        **kwargs: `keras.Model` arguments.

    Call arguments:
        inputs: visible vectors `(batch, n_visible)`.

    Returns:
        `P(h = 1 | v)`, `(batch, n_hidden)` (also `transform(v)`, endpoint `serve`).
        The SavedModel has the extra endpoint `reconstruct`.

    Example:

    >>> rbm = RBM(n_hidden=3, seed=0)
    >>> rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    >>> history = rbm.fit(np.eye(4, dtype="float32"), epochs=2, verbose=0)
    >>> sorted(history.history)
    ['free_energy_gap', 'reconstruction_error']
    >>> tuple(rbm.transform(np.eye(4, dtype="float32")).shape)
    (4, 3)
    """

    serving_input_name = "visible"
    serving_output_name = "hidden_probabilities"
    tracker_names = ("reconstruction_error", "free_energy_gap")
    # The gap between the data's and the model's free energies has no better direction.
    undirected_logs = ("free_energy_gap",)
    accepts_compiled_loss = False

    def __init__(self, n_hidden, visible="bernoulli", cd_steps=1, persistent=False,
                 weight_decay=0.0, sparsity_target=None, sparsity_weight=0.0, seed=None,
                 num_persistent_chains=100, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(seed=seed, **kwargs)
        self.n_hidden = validation.positive_int("n_hidden", n_hidden)
        self.visible_units = visible_units.get(visible)
        self.visible = self.visible_units.name
        self.cd_steps = validation.positive_int("cd_steps", cd_steps)
        self.persistent = validation.boolean("persistent", persistent)
        self.num_persistent_chains = validation.positive_int("num_persistent_chains",
                                                             num_persistent_chains)
        self.weight_decay = validation.non_negative_float("weight_decay", weight_decay)
        if sparsity_target is not None:
            sparsity_target = validation.proportion("sparsity_target", sparsity_target)
        self.sparsity_target = sparsity_target
        self.sparsity_weight = validation.non_negative_float("sparsity_weight", sparsity_weight)
        # Read by `ManyStepsPerCall.get_compile_config`: an uncompiled RBM saves too.
        self._default_steps_per_execution = True

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError("RBM expects inputs of shape (batch, n_visible), received: "
                             f"{tuple(input_shape)}")
        self.n_visible = int(input_shape[-1])
        self.input_spec = keras.layers.InputSpec(ndim=2, axes={-1: self.n_visible})
        # The weights' names and order are those of the saved files.
        self.kernel = self.add_weight(
            name="kernel", shape=(self.n_visible, self.n_hidden),
            initializer=keras.initializers.RandomNormal(0.0, 0.01, seed=self.seed))
        self.visible_bias = self.add_weight(
            name="visible_bias", shape=(self.n_visible,), initializer="zeros")
        self.hidden_bias = self.add_weight(
            name="hidden_bias", shape=(self.n_hidden,), initializer="zeros")
        # Sums of the training data seen, for the base-rate model of `log_partition`; every
        # replica adds the global batch's sums (`_chain_statistics`).
        state = functools.partial(replicas.add_global_state, self)
        self.seen_visible_sum = state("seen_visible_sum", (self.n_visible,))
        self.seen_count = state("seen_count", ())
        if self.persistent:
            # The chains' hidden states (see `contrastive_divergence.pcd_chain_statistics`).
            self.persistent_chains = state("persistent_chains",
                                           (self.num_persistent_chains, self.n_hidden))
            self.persistent_chains_started = state("persistent_chains_started", ())
        super().build(input_shape)

    def energy_weights(self):
        """The current `energy.RBMWeights` (tensors); not `parameters()`, which is
        `torch.nn.Module`'s on the torch backend."""
        variables = (self.kernel, self.visible_bias, self.hidden_bias)
        return rbm_energy.RBMWeights(*map(ops.convert_to_tensor, variables), self.visible_units)

    # Energies and inference ------------------------------------------------------

    def hidden_preactivation(self, v):
        """c + v'W."""
        return rbm_energy.hidden_preactivation(self.energy_weights(), v)

    def hidden_probabilities(self, v):
        """P(h_j = 1 | v) = sigmoid(c_j + v'W_j)."""
        return ops.sigmoid(self.hidden_preactivation(v))

    def visible_mean(self, h):
        """E[v | h]: sigmoid(b + Wh) (Bernoulli) or b + Wh (Gaussian)."""
        return rbm_gibbs.visible_mean(self.energy_weights(), h)

    def free_energy(self, v):
        """F(v) = visible term - sum_j softplus(c_j + v'W_j), per sample."""
        v = self._visible_states(v, "free_energy")
        return rbm_energy.free_energy(self.energy_weights(), v)

    def energy(self, v, h):
        """E(v, h) = visible term - c'h - v'Wh, per sample."""
        v = self._visible_states(v, "energy")
        h = ops.convert_to_tensor(h, "float32")
        _require_states("energy", "h", h, self.n_hidden)
        return rbm_energy.energy(self.energy_weights(), v, h)

    def _visible_states(self, v, method):
        """`v` as float32 `(samples, n_visible)` (an unbuilt RBM builds for it), or a
        ValueError naming `method` (also for values the visible units cannot take, as
        `fit` refuses them, where `v` is not traced)."""
        v = ops.convert_to_tensor(v, "float32")
        _require_states(method, "v", v, self.n_visible if self.built else None)
        if not backend_ops.is_traced(v):
            self.visible_units.check_data(ops.convert_to_numpy(v))
        if not self.built:
            self.build(tuple(v.shape))
        return v

    def call(self, inputs, training=False):
        return self.hidden_probabilities(ops.cast(inputs, "float32"))

    def transform(self, v):
        """P(h = 1 | v), the features of `v`."""
        return self(v)

    def reconstruct(self, v):
        """The mean-field reconstruction E[v | h = P(h = 1 | v)] (deterministic)."""
        return self.visible_mean(self(v))

    def gibbs(self, v, steps=1):
        """`steps` steps of block Gibbs sampling v -> h -> v from `v`; returns the last v."""
        steps, v = validation.positive_int("steps", steps), self._visible_states(v, "gibbs")
        draw = rbm_gibbs.SeededDraw(self.seed_generator)
        return rbm_gibbs.gibbs_steps(self.energy_weights(), v, steps, draw)

    def sample(self, num_samples, gibbs_steps=1000, seed=None):
        """Draws `num_samples` visible vectors by running Gibbs chains.

        The chains start from the biases' model (Bernoulli(sigmoid(b)) or N(b, I))
        and run `gibbs_steps` steps; the returned values are E[v | h] of the last
        step (less noisy to look at than states). Reproducible with a `seed`.
        """
        num_samples = validation.positive_int("num_samples", num_samples)
        gibbs_steps = validation.positive_int("gibbs_steps", gibbs_steps)
        return rbm_gibbs.gibbs_chain_means(self.energy_weights(), num_samples, gibbs_steps,
                                           self._seed_or_default(seed))

    def _seed_or_default(self, seed):
        if seed is None:
            seed = self.seed if self.seed is not None else np.random.SeedSequence().entropy
        return int(seed) % 2**31

    # Training --------------------------------------------------------------------

    def check_data(self, x, y):
        x = np.asarray(x)
        if x.ndim != 2:
            raise ValueError(f"RBM: `x` must have shape (samples, n_visible), received {x.shape}")
        if self.built and x.shape[1] != self.n_visible:
            raise ValueError(f"RBM: this RBM has n_visible={self.n_visible}, but `x` has "
                             f"{x.shape[1]} features per sample")
        if x.dtype.kind not in "biuf":
            raise TypeError(f"RBM: `x` must hold numbers, received dtype {x.dtype}")
        self.visible_units.check_data(x)

    def _chain_statistics(self, v_data, training):
        """One update's `ChainStatistics` (CD-k, or PCD in training); records the data."""
        if training:
            rows = ops.cast(ops.shape(v_data)[0], "float32")
            self.seen_visible_sum.assign_add(replicas.sum_over_replicas(ops.sum(v_data, axis=0)))
            self.seen_count.assign_add(replicas.sum_over_replicas(rows))
        if training and self.persistent:
            return self._persistent_chain_statistics(v_data)
        draw = rbm_gibbs.SeededDraw(self.seed_generator)
        return cd.cd_chain_statistics(self.energy_weights(), v_data, self.cd_steps, draw)

    def _persistent_chain_statistics(self, v_data):
        """PCD's statistics; moves the persistent chains on."""
        statistics, next_chains = cd.pcd_chain_statistics(
            self.energy_weights(), v_data, self.cd_steps, rbm_gibbs.SeededDraw(self.seed_generator),
            self.persistent_chains, self.persistent_chains_started,
        )
        self.persistent_chains.assign(next_chains)
        self.persistent_chains_started.assign(1.0)
        return statistics

    def _logs(self, statistics):
        """The step's logs and compiled-metric predictions, from its own products."""
        residual = statistics.v_data - statistics.reconstruction
        error = ops.mean(ops.sum(ops.square(residual), axis=-1))
        logs = {"reconstruction_error": error, "free_energy_gap": cd.free_energy_gap(statistics)}
        return logs, (statistics.v_data, statistics.reconstruction)

    def _penalties(self):
        return cd.Penalties(self.weight_decay, self.sparsity_target, self.sparsity_weight)

    def compute_objective(self, data, training):
        statistics = self._chain_statistics(ops.cast(input_of(data), "float32"), training)
        logs, predictions = self._logs(statistics)
        return self.surrogate_loss(statistics), logs, predictions

    def surrogate_loss(self, statistics):
        """`mean F(v_data) - mean F(v_model)` plus the penalties (`contrastive_divergence`)."""
        return cd.surrogate_loss(statistics, self._penalties())

    def contrastive_divergence_gradients(self, statistics, scale=1.0):
        """`surrogate_loss`'s gradients for `(kernel, visible_bias, hidden_bias)` in closed
        form, times `scale` (`contrastive_divergence`)."""
        return cd.contrastive_divergence_gradients(statistics, self._penalties(), scale)

    def training_step(self, data):
        """One CD-k/PCD update, its gradients in closed form (no loss is differentiated;
        `closed_form_gradient_step` takes the replica share and the loss scaling)."""

        def gradients():
            statistics = self._chain_statistics(ops.cast(input_of(data), "float32"), True)
            return self.contrastive_divergence_gradients(statistics), statistics

        statistics = self.closed_form_gradient_step(
            self.optimizer, [self.kernel, self.visible_bias, self.hidden_bias], gradients)
        return self.finish_step(data, *self._logs(statistics))

    # Likelihoods -----------------------------------------------------------------

    def pseudo_log_likelihood(self, v):
        """Exact pseudo-log-likelihood, sum_i log P(v_i | v_-i), averaged over samples.

        Uses P(v_i | v_-i) = sigmoid(F(v with v_i flipped) - F(v)) for every
        visible unit (not a random one), on binarised inputs (>= 0.5 -> 1).
        """
        self.visible_units.require_binary("pseudo_log_likelihood")
        v = np.asarray(self._visible_states(v, "pseudo_log_likelihood")) >= 0.5
        if len(v) == 0:
            raise ValueError(
                f"RBM.pseudo_log_likelihood(): `v` must have shape (samples >= 1, "
                f"{self.n_visible}), received {v.shape}"
            )
        weights = self.energy_weights()
        per_block = max(1, 2**26 // (self.n_visible * self.n_hidden))
        return sum(
            float(ops.convert_to_numpy(ops.sum(rbm_energy.log_pseudo_likelihood(
                weights, ops.convert_to_tensor(v[start:start + per_block], "float32")))))
            for start in range(0, len(v), per_block)
        ) / len(v)

    def exact_log_partition(self):
        """log Z by enumerating the smaller layer (at most 20 units; Gaussian: the hidden
        layer)."""
        return partition.exact_log_partition(self.energy_weights())

    def log_partition(self, num_chains=100, num_betas=10000, seed=None, data=None, verbose=0,
                      return_interval=False):
        """Estimates log Z by annealed importance sampling (Salakhutdinov & Murray 2008).

        The chains anneal from the base-rate model of the mean activations of
        `data`, or else of the data this RBM saw in training (recorded by `fit`,
        saved with the weights; `partition.annealed_importance_sampling`). An RBM
        that saw no data anneals from the uniform model, which needs far more betas.

        Args:
            num_chains: positive int, the number of annealing runs.
            num_betas: positive int, the number of inverse temperatures.
            seed: optional int; the estimate is reproducible with one.
            data: optional `(samples, n_visible)` array for the base rates.
            verbose: 0 or 1, a progress bar over the temperatures.
            return_interval: also return the interval of +-3 standard errors
                of the mean importance weight, as the paper reports.

        Returns:
            The estimate of log Z (a float), or `(estimate, (low, high))` with
            `return_interval=True`.
        """
        self.visible_units.require_binary("log_partition")
        num_chains = validation.positive_int("num_chains", num_chains)
        num_betas = validation.positive_int("num_betas", num_betas)
        if data is not None:
            data = np.asarray(data, "float32")
            mean, count = data.mean(axis=0), len(data)
        else:
            count = float(ops.convert_to_numpy(self.seen_count))
            mean = ops.convert_to_numpy(self.seen_visible_sum) / max(count, 1.0)
        estimate, low, high = partition.annealed_importance_sampling(
            self.energy_weights(), partition.base_rate_biases(mean, count), num_chains, num_betas,
            self._seed_or_default(seed), verbose,
        )
        return (float(estimate), (float(low), float(high))) if return_interval else float(estimate)

    def log_likelihood(self, v, log_z=None):
        """Mean log P(v) = -F(v) - log Z over the samples `v`.

        `log_z` defaults to `exact_log_partition()` when a layer has at most 20
        units, else to `log_partition()`.
        """
        if log_z is None:
            exact = min(self.n_hidden, self.n_visible) <= partition.MAX_ENUMERATED_UNITS
            log_z = self.exact_log_partition() if exact else self.log_partition()
        return float(ops.mean(-self.free_energy(v))) - log_z

    # Saving, export and pictures -------------------------------------------------

    def get_config(self):
        return {**super().get_config(), **{name: getattr(self, name) for name in CONFIG_NAMES}}

    def export_endpoints(self):
        return {"reconstruct": Endpoint(lambda v: self.reconstruct(v), "reconstructions",
                                        [[self.serving_signature()]])}

    def summary_images(self, num_images, seed=0, inputs=None):
        """`{"rbm_filters": grid, "rbm_gibbs_samples": grid}` for `ImageSampler`: the
        first `num_images` columns of `W` and samples of 200-step Gibbs chains."""
        filters = keras.ops.convert_to_numpy(self.kernel).T[:num_images]
        samples = keras.ops.convert_to_numpy(self.sample(num_images, gibbs_steps=200, seed=seed))
        return {"rbm_filters": image_grid(as_images(filters)),
                "rbm_gibbs_samples": image_grid(as_images(samples))}


def _require_states(method, name, states, units):
    """Raises a ValueError naming `method` unless `states` is `(samples, units)` (any
    width when `units` is None)."""
    if len(states.shape) != 2 or (units is not None and states.shape[-1] != units):
        raise ValueError(
            f"RBM.{method}(): `{name}` must have shape (samples, {units or 'units'}), "
            f"received {tuple(states.shape)}"
        )
