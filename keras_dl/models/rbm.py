"""The restricted Boltzmann machine, trained by contrastive divergence."""


import keras
import numpy as np
import tensorflow as tf
from keras import ops

from keras_dl.models.base_model import BaseModel, input_of, mean_over_replicas
from keras_dl.models.sparse_autoencoder import kl_divergence_bernoulli
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

VISIBLE_UNITS = ("bernoulli", "gaussian")
MAX_ENUMERATED_UNITS = 20
ENUMERATION_BLOCK = 2**14


@keras_dl_export("keras_dl.models.RBM")
class RBM(BaseModel):
    """Restricted Boltzmann machine, P(v, h) = exp(-E(v, h)) / Z.

    Energy with Bernoulli visible units, `E(v, h) = -b'v - c'h - v'Wh`; with
    Gaussian visible units of unit variance (standardise the data),
    `E(v, h) = ||v - b||^2 / 2 - c'h - v'Wh`. Hidden units are Bernoulli.
    Summing out `h` gives the free energy
    `F(v) = -b'v - sum_j softplus(c_j + v'W_j)` (Bernoulli; `||v - b||^2 / 2`
    replaces `-b'v` for Gaussian), with `P(v) = exp(-F(v)) / Z`.

    Training (`compile(optimizer=...)` + `fit(x)`) follows the contrastive
    divergence gradient: the model minimises the surrogate
    `mean F(v_data) - mean F(stop_gradient(v_model))`, whose gradient is the
    CD-k update (Hinton 2002), where `v_model` ends a `cd_steps`-step Gibbs
    chain started at the data, or, with `persistent=True`, continues
    `num_persistent_chains` chains kept across updates (PCD, Tieleman 2008).
    `weight_decay` adds `weight_decay / 2 * ||W||^2`; `sparsity_target` adds
    `sparsity_weight * sum_j KL(target || mean_batch P(h_j = 1 | v))` (Lee,
    Ekanadham & Ng 2008). Logs: `reconstruction_error` (squared error of the
    one-step mean-field reconstruction, summed over visible units) and
    `free_energy_gap` (`mean F(v_data) - mean F(v_model)`).

    Evaluation: `pseudo_log_likelihood` (exact, over all visible units),
    `exact_log_partition` (enumeration), `log_partition` (annealed
    importance sampling, Salakhutdinov & Murray 2008) and `log_likelihood`.

    References: Hinton, "Training Products of Experts by Minimizing
    Contrastive Divergence", Neural Computation 2002; Tieleman, "Training
    Restricted Boltzmann Machines using Approximations to the Likelihood
    Gradient", ICML 2008; Salakhutdinov & Murray, "On the Quantitative
    Analysis of Deep Belief Networks", ICML 2008; Hinton, "A Practical Guide
    to Training Restricted Boltzmann Machines", UTML TR 2010-003.

    Args:
        n_hidden: positive int, the number of hidden units.
        visible: `"bernoulli"` (data in [0, 1]) or `"gaussian"` (unit variance).
        cd_steps: positive int, Gibbs steps per update (the k of CD-k).
        persistent: bool, persistent contrastive divergence.
        num_persistent_chains: positive int, the chains kept with `persistent=True`.
        weight_decay: L2 coefficient on the weights, >= 0.
        sparsity_target: None, or the target mean hidden activation in (0, 1).
        sparsity_weight: weight of the sparsity penalty, >= 0.
        seed: optional int for the sampling.
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

    tracker_names = ("reconstruction_error", "free_energy_gap")

    def __init__(
        self,
        n_hidden,
        visible="bernoulli",
        cd_steps=1,
        persistent=False,
        weight_decay=0.0,
        sparsity_target=None,
        sparsity_weight=0.0,
        seed=None,
        num_persistent_chains=100,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        self.n_hidden = validation.positive_int("n_hidden", n_hidden)
        self.visible = validation.one_of("visible", visible, VISIBLE_UNITS)
        self.cd_steps = validation.positive_int("cd_steps", cd_steps)
        self.persistent = validation.boolean("persistent", persistent)
        self.num_persistent_chains = validation.positive_int("num_persistent_chains", num_persistent_chains)
        self.weight_decay = validation.non_negative_float("weight_decay", weight_decay)
        if sparsity_target is not None:
            sparsity_target = validation.rate("sparsity_target", sparsity_target)
            if sparsity_target == 0.0:
                raise ValueError("`sparsity_target` must be None or in (0, 1), received: 0.0")
        self.sparsity_target = sparsity_target
        self.sparsity_weight = validation.non_negative_float("sparsity_weight", sparsity_weight)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"RBM expects inputs of shape (batch, n_visible), received: {tuple(input_shape)}"
            )
        self.n_visible = int(input_shape[-1])
        self.serving_input_shape = (None, self.n_visible)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(self.n_visible, self.n_hidden),
            initializer=keras.initializers.RandomNormal(0.0, 0.01, seed=self.seed),
        )
        self.visible_bias = self.add_weight(name="visible_bias", shape=(self.n_visible,), initializer="zeros")
        self.hidden_bias = self.add_weight(name="hidden_bias", shape=(self.n_hidden,), initializer="zeros")
        if self.persistent:
            self.persistent_chains = self.add_weight(
                name="persistent_chains",
                shape=(self.num_persistent_chains, self.n_visible),
                initializer="zeros",
                trainable=False,
                aggregation="only_first_replica",
            )
        self.built = True

    # The conditionals ----------------------------------------------------------

    def _hidden_preactivation(self, v):
        """c + v'W."""
        return ops.matmul(v, self.kernel) + self.hidden_bias

    def hidden_probabilities(self, v):
        """P(h_j = 1 | v) = sigmoid(c_j + v'W_j)."""
        return ops.sigmoid(self._hidden_preactivation(v))

    def visible_mean(self, h):
        """E[v | h]: sigmoid(b + Wh) (Bernoulli) or b + Wh (Gaussian)."""
        preactivation = ops.matmul(h, ops.transpose(self.kernel)) + self.visible_bias
        return ops.sigmoid(preactivation) if self.visible == "bernoulli" else preactivation

    def _sample_bernoulli(self, probabilities):
        uniform = keras.random.uniform(ops.shape(probabilities), seed=self.seed_generator)
        return ops.cast(uniform < probabilities, probabilities.dtype)

    def _sample_visible(self, h):
        mean = self.visible_mean(h)
        if self.visible == "gaussian":
            return mean + keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return self._sample_bernoulli(mean)

    def _gibbs_steps(self, v, steps, hidden_probabilities=None):
        """`steps` steps v -> h -> v; `hidden_probabilities` of the start may be given."""
        for step in range(steps):
            if step > 0 or hidden_probabilities is None:
                hidden_probabilities = self.hidden_probabilities(v)
            v = self._sample_visible(self._sample_bernoulli(hidden_probabilities))
        return v

    # Energies ------------------------------------------------------------------

    def _visible_term(self, v):
        """-b'v (Bernoulli) or ||v - b||^2 / 2 (Gaussian), per sample."""
        if self.visible == "gaussian":
            return 0.5 * ops.sum(ops.square(v - self.visible_bias), axis=-1)
        return -ops.sum(v * self.visible_bias, axis=-1)

    def free_energy(self, v):
        """F(v) = visible term - sum_j softplus(c_j + v'W_j), per sample."""
        v = ops.convert_to_tensor(v, "float32")
        return self._free_energy(v, self._hidden_preactivation(v))

    def _free_energy(self, v, hidden_preactivation):
        return self._visible_term(v) - ops.sum(ops.softplus(hidden_preactivation), axis=-1)

    def energy(self, v, h):
        """E(v, h) = visible term - c'h - v'Wh, per sample."""
        v = ops.convert_to_tensor(v, "float32")
        h = ops.convert_to_tensor(h, "float32")
        interaction = ops.sum(ops.matmul(v, self.kernel) * h, axis=-1)
        return self._visible_term(v) - ops.sum(h * self.hidden_bias, axis=-1) - interaction

    # Inference -------------------------------------------------------------------

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
        steps = validation.positive_int("steps", steps)
        return self._gibbs_steps(ops.convert_to_tensor(v, "float32"), steps)

    def sample(self, num_samples, gibbs_steps=1000, seed=None):
        """Draws `num_samples` visible vectors by running Gibbs chains.

        The chains start from Bernoulli(sigmoid(b)) (Bernoulli units) or
        N(b, I) (Gaussian) and run `gibbs_steps` steps; the returned values
        are E[v | h] of the last step (visible probabilities, less noisy to
        look at than binary states). With a `seed` the result is reproducible.
        """
        num_samples = validation.positive_int("num_samples", num_samples)
        gibbs_steps = validation.positive_int("gibbs_steps", gibbs_steps)
        seed = self.seed if seed is None and self.seed is not None else seed
        seed = int(np.random.SeedSequence().entropy % 2**31) if seed is None else int(seed)
        return _sample_chains(self, num_samples, gibbs_steps, seed)

    # Training ----------------------------------------------------------------------

    def compute_objective(self, data, training):
        v_data = ops.cast(input_of(data), "float32")
        # The data's hidden pre-activations serve the free energy, the first
        # Gibbs step, the reconstruction and the sparsity penalty.
        data_preactivation = self._hidden_preactivation(v_data)
        data_hidden = ops.sigmoid(data_preactivation)
        if training and self.persistent:
            v_model = self._gibbs_steps(self.persistent_chains, self.cd_steps)
            self.persistent_chains.assign(v_model)
        else:
            v_model = self._gibbs_steps(v_data, self.cd_steps, ops.stop_gradient(data_hidden))
        v_model = ops.stop_gradient(v_model)
        gap = ops.mean(self._free_energy(v_data, data_preactivation)) - ops.mean(self.free_energy(v_model))
        loss = gap + 0.5 * self.weight_decay * ops.sum(ops.square(self.kernel))
        if self.sparsity_target is not None and self.sparsity_weight > 0:
            mean_activation = mean_over_replicas(ops.mean(data_hidden, axis=0))
            loss = loss + self.sparsity_weight * kl_divergence_bernoulli(self.sparsity_target, mean_activation)
        reconstruction = self.visible_mean(ops.stop_gradient(data_hidden))
        error = ops.mean(ops.sum(ops.square(v_data - reconstruction), axis=-1))
        return loss, {"reconstruction_error": error, "free_energy_gap": gap}, None

    def fit(self, x=None, *args, **kwargs):
        self.build_from_data(x)
        if self.persistent:
            self._start_persistent_chains(x)
        return super().fit(x, *args, **kwargs)

    def _start_persistent_chains(self, x):
        """Starts the persistent chains at training samples (once, before the first update)."""
        if np.any(keras.ops.convert_to_numpy(self.persistent_chains)):
            return
        if isinstance(x, tf.data.Dataset):
            batch = keras.ops.convert_to_numpy(input_of(next(iter(x))))
        else:
            batch = np.asarray(x, dtype="float32")
        rows = np.resize(np.arange(len(batch)), self.num_persistent_chains)
        self.persistent_chains.assign(batch[rows].astype("float32"))

    # Likelihoods -----------------------------------------------------------------

    def _require_bernoulli(self, method):
        if self.visible != "bernoulli":
            raise ValueError(f"RBM.{method}() needs Bernoulli visible units, this RBM has visible='{self.visible}'")

    def pseudo_log_likelihood(self, v):
        """Exact pseudo-log-likelihood, sum_i log P(v_i | v_-i), averaged over samples.

        Uses P(v_i | v_-i) = sigmoid(F(v with v_i flipped) - F(v)) for every
        visible unit (not a random one), on binarised inputs (>= 0.5 -> 1).
        """
        self._require_bernoulli("pseudo_log_likelihood")
        v = np.asarray(v, dtype="float32") >= 0.5
        per_block = max(1, (2**26) // (self.n_visible * self.n_hidden))
        totals = [
            float(ops.sum(_pseudo_log_likelihoods(self, tf.constant(v[start:start + per_block], tf.float32))))
            for start in range(0, len(v), per_block)
        ]
        return sum(totals) / len(v)

    def exact_log_partition(self):
        """log Z by enumerating the smaller layer (at most 20 units; Gaussian: the hidden layer)."""
        if self.visible == "gaussian" or self.n_hidden <= self.n_visible:
            if self.n_hidden > MAX_ENUMERATED_UNITS:
                raise ValueError(
                    f"exact_log_partition() enumerates 2**n_hidden states and needs n_hidden <= "
                    f"{MAX_ENUMERATED_UNITS}, this RBM has n_hidden={self.n_hidden}"
                )
            return _log_sum_over_states(self.n_hidden, self._log_unnormalised_hidden_marginal)
        if self.n_visible > MAX_ENUMERATED_UNITS:
            raise ValueError(
                f"exact_log_partition() needs n_hidden or n_visible <= {MAX_ENUMERATED_UNITS}, this RBM "
                f"has n_visible={self.n_visible} and n_hidden={self.n_hidden}"
            )
        return _log_sum_over_states(self.n_visible, lambda v: -self.free_energy(v))

    def _log_unnormalised_hidden_marginal(self, h):
        """log sum_v exp(-E(v, h)), per hidden configuration."""
        linear = ops.matmul(h, ops.transpose(self.kernel)) + self.visible_bias
        hidden_term = ops.sum(h * self.hidden_bias, axis=-1)
        if self.visible == "bernoulli":
            return hidden_term + ops.sum(ops.softplus(linear), axis=-1)
        # Gaussian: integral of exp(-||v - b||^2 / 2 + v'Wh) dv
        #   = (2 pi)^(n/2) exp(b'Wh + ||Wh||^2 / 2).
        weighted = ops.matmul(h, ops.transpose(self.kernel))
        return (
            hidden_term
            + ops.sum(weighted * self.visible_bias, axis=-1)
            + 0.5 * ops.sum(ops.square(weighted), axis=-1)
            + 0.5 * self.n_visible * np.log(2 * np.pi)
        )

    def log_partition(self, num_chains=100, num_betas=10000, seed=None, data=None):
        """Estimates log Z by annealed importance sampling (Salakhutdinov & Murray 2008).

        The chains anneal from a base-rate model with no hidden interactions,
        `p_A(v) ∝ exp(b_A'v)`, to this RBM, through
        `p_k(v) ∝ exp((1 - beta_k) b_A'v) * exp(-beta_k F_B(v))`, with Gibbs
        transitions at each of `num_betas` inverse temperatures (spaced as in
        the paper: 5% of them up to 0.5, 30% up to 0.9, the rest up to 1).
        `b_A` are the maximum-likelihood biases of `data` (its mean
        activations, smoothed) when given, as the paper recommends; otherwise
        zero (a uniform base model), which needs more betas for the same
        accuracy.

        Returns:
            The estimate of log Z (a float).
        """
        self._require_bernoulli("log_partition")
        num_chains = validation.positive_int("num_chains", num_chains)
        num_betas = validation.positive_int("num_betas", num_betas)
        if data is None:
            base_bias = np.zeros(self.n_visible, "float32")
        else:
            mean = np.clip(np.asarray(data, "float32").mean(axis=0), 0.0, 1.0)
            smoothed = (mean * len(data) + 0.05) / (len(data) + 0.1)
            base_bias = np.log(smoothed / (1.0 - smoothed)).astype("float32")
        seed = int(np.random.SeedSequence().entropy % 2**31) if seed is None else int(seed)
        return float(_annealed_importance_sampling(self, base_bias, num_chains, _inverse_temperatures(num_betas), seed))

    def log_likelihood(self, v, log_z=None):
        """Mean log P(v) = -F(v) - log Z over the samples `v`.

        `log_z` defaults to `exact_log_partition()` when a layer has at most 20
        units, else to `log_partition()`.
        """
        if log_z is None:
            if min(self.n_hidden, self.n_visible) <= MAX_ENUMERATED_UNITS:
                log_z = self.exact_log_partition()
            else:
                log_z = self.log_partition(data=v)
        return float(ops.mean(-self.free_energy(v))) - log_z

    # Saving and export -----------------------------------------------------------

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "n_hidden": self.n_hidden,
                "visible": self.visible,
                "cd_steps": self.cd_steps,
                "persistent": self.persistent,
                "num_persistent_chains": self.num_persistent_chains,
                "weight_decay": self.weight_decay,
                "sparsity_target": self.sparsity_target,
                "sparsity_weight": self.sparsity_weight,
            }
        )
        return config

    def export_endpoints(self):
        return {"reconstruct": (lambda v: self.reconstruct(v), [self.serving_signature()])}


def _pseudo_log_likelihoods(rbm, v):
    """sum_i log sigmoid(F(v^(i)) - F(v)) per sample, v^(i) = v with unit i flipped."""
    preactivation = rbm._hidden_preactivation(v)  # (batch, hidden)
    flips = 1.0 - 2.0 * v  # +1 where v_i = 0, -1 where v_i = 1
    flipped_preactivation = preactivation[:, None, :] + flips[:, :, None] * rbm.kernel[None, :, :]
    softplus_change = ops.sum(ops.softplus(flipped_preactivation), axis=-1) - ops.sum(
        ops.softplus(preactivation), axis=-1
    )[:, None]
    # F(v^(i)) - F(v) = -b_i * flip_i - (change of the softplus sum).
    free_energy_change = -rbm.visible_bias[None, :] * flips - softplus_change
    return ops.sum(ops.log_sigmoid(free_energy_change), axis=-1)


def _log_sum_over_states(num_units, log_weight):
    """log sum over all binary vectors of `num_units` units of exp(log_weight(state))."""
    partial = []
    for start in range(0, 2**num_units, ENUMERATION_BLOCK):
        indices = np.arange(start, min(start + ENUMERATION_BLOCK, 2**num_units))
        states = ((indices[:, None] >> np.arange(num_units)) & 1).astype("float32")
        partial.append(float(ops.logsumexp(log_weight(tf.constant(states)))))
    return float(np.logaddexp.reduce(partial))


def _inverse_temperatures(num_betas):
    """0 = beta_0 < ... < beta_K = 1 with the proportions of Salakhutdinov & Murray 2008
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


@tf.function(reduce_retracing=True)
def _ais_log_weights(kernel, visible_bias, hidden_bias, base_bias, betas, num_chains, seed):
    def log_unnormalised(v, beta):
        """log p*_beta(v) = (1 - beta) b_A'v + beta b'v + sum_j softplus(beta (c_j + v'W_j))."""
        return (
            (1.0 - beta) * tf.linalg.matvec(v, base_bias)
            + beta * tf.linalg.matvec(v, visible_bias)
            + tf.reduce_sum(tf.nn.softplus(beta * (tf.matmul(v, kernel) + hidden_bias)), axis=-1)
        )

    n_visible = tf.shape(kernel)[0]
    uniform = tf.random.stateless_uniform((num_chains, n_visible), seed=tf.stack([seed, -1]))
    v = tf.cast(uniform < tf.sigmoid(base_bias), tf.float32)
    log_weights = tf.zeros((num_chains,))
    for k in tf.range(1, tf.shape(betas)[0]):
        beta = betas[k]
        log_weights += log_unnormalised(v, beta) - log_unnormalised(v, betas[k - 1])
        # One Gibbs transition that leaves p_beta invariant.
        hidden = tf.sigmoid(beta * (tf.matmul(v, kernel) + hidden_bias))
        hidden_uniform = tf.random.stateless_uniform(tf.shape(hidden), seed=tf.stack([seed, 2 * k]))
        h = tf.cast(hidden_uniform < hidden, tf.float32)
        visible = tf.sigmoid((1.0 - beta) * base_bias + beta * (tf.matmul(h, kernel, transpose_b=True) + visible_bias))
        visible_uniform = tf.random.stateless_uniform(tf.shape(visible), seed=tf.stack([seed, 2 * k + 1]))
        v = tf.cast(visible_uniform < visible, tf.float32)
    return log_weights


def _annealed_importance_sampling(rbm, base_bias, num_chains, betas, seed):
    log_weights = _ais_log_weights(
        tf.convert_to_tensor(rbm.kernel), tf.convert_to_tensor(rbm.visible_bias),
        tf.convert_to_tensor(rbm.hidden_bias), tf.constant(base_bias), tf.constant(betas),
        tf.constant(num_chains), tf.constant(seed),
    ).numpy().astype("float64")
    # The base model has no interactions: log Z_A = sum_i softplus(b_A,i) + n_hidden log 2.
    log_base_partition = float(np.sum(np.logaddexp(0.0, base_bias))) + rbm.n_hidden * np.log(2.0)
    return log_base_partition + np.logaddexp.reduce(log_weights) - np.log(num_chains)


@tf.function(reduce_retracing=True)
def _gibbs_chain_means(kernel, visible_bias, hidden_bias, gaussian, num_samples, steps, seed):
    def visible_mean(h):
        preactivation = tf.matmul(h, kernel, transpose_b=True) + visible_bias
        return preactivation if gaussian else tf.sigmoid(preactivation)

    n_visible = tf.shape(kernel)[0]
    shape = tf.stack([num_samples, n_visible])
    if gaussian:
        v = visible_bias + tf.random.stateless_normal(shape, seed=tf.stack([seed, -1]))
    else:
        v = tf.cast(tf.random.stateless_uniform(shape, seed=tf.stack([seed, -1])) < tf.sigmoid(visible_bias), tf.float32)
    mean = tf.zeros(shape)
    for step in tf.range(steps):
        probabilities = tf.sigmoid(tf.matmul(v, kernel) + hidden_bias)
        h = tf.cast(tf.random.stateless_uniform(tf.shape(probabilities), seed=tf.stack([seed, 2 * step])) < probabilities, tf.float32)
        mean = visible_mean(h)
        noise_seed = tf.stack([seed, 2 * step + 1])
        if gaussian:
            v = mean + tf.random.stateless_normal(shape, seed=noise_seed)
        else:
            v = tf.cast(tf.random.stateless_uniform(shape, seed=noise_seed) < mean, tf.float32)
    return mean


def _sample_chains(rbm, num_samples, steps, seed):
    return _gibbs_chain_means(
        tf.convert_to_tensor(rbm.kernel), tf.convert_to_tensor(rbm.visible_bias),
        tf.convert_to_tensor(rbm.hidden_bias), rbm.visible == "gaussian",
        tf.constant(num_samples), tf.constant(steps), tf.constant(seed),
    )


