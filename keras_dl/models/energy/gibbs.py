"""Block Gibbs sampling in a restricted Boltzmann machine: the one kernel that
training (CD-k, PCD), sampling and annealed importance sampling share.

The kernel samples from the tempered family of Salakhutdinov & Murray (2008),
`p_beta(v, h) ∝ exp(-(1 - beta) term(v; b_A) - beta E(v, h))` (`energy`; the
term of Bernoulli units is `-b_A'v`), which is the RBM itself at `beta = 1`
and a model without interactions (biases `b_A`) at `beta = 0`. Random numbers
come from a `draw` object with `uniform(shape)` and `normal(shape)`, so the
same kernel runs with a `keras.random.SeedGenerator` (training) or with
stateless seeds inside a compiled loop. The draws call TensorFlow's random
kernels, which Keras does not expose.
"""

import tensorflow as tf
from keras import ops

from keras_dl.models.energy.energy import hidden_preactivation, visible_preactivation


def visible_mean(weights, h, beta=1.0, base_bias=None):
    """E[v | h] under p_beta (`weights.units.mean` of b + Wh)."""
    return weights.units.mean(visible_preactivation(weights, h), beta, base_bias)


def sample_bernoulli(probabilities, draw):
    """Bernoulli states: `floor(u + p)` is 1 exactly when `u >= 1 - p`, with probability
    `p` for `u` uniform in [0, 1)."""
    # Two float operations, where TensorFlow's CPU kernels for a comparison to booleans
    # and a cast back take several times as long.
    return ops.floor(draw.uniform(ops.shape(probabilities)) + probabilities)


def gibbs_step(weights, v, draw, beta=1.0, base_bias=None):
    """One step v -> h -> v of block Gibbs sampling from p_beta.

    Args:
        weights: `RBMWeights`.
        v: visible states `(batch, n_visible)`.
        draw: the source of random numbers (`uniform(shape)`, `normal(shape)`).
        beta: the inverse temperature (1: the RBM).
        base_bias: `b_A`, the biases of the model at beta = 0 (None at beta = 1).

    Returns:
        `(v_next, mean)`: the new visible states and E[v | h] they were drawn around.
    """
    hidden_probabilities = ops.sigmoid(beta * hidden_preactivation(weights, v))
    mean = visible_mean(weights, sample_bernoulli(hidden_probabilities, draw), beta, base_bias)
    return weights.units.sample(mean, draw), mean


def gibbs_steps(weights, v, steps, draw):
    """`steps` steps of `gibbs_step` from `v` (a Python loop, unrolled when traced);
    returns the last visible states."""
    for _ in range(steps):
        v, _ = gibbs_step(weights, v, draw)
    return v


class SeededDraw:
    """Random numbers from a `keras.random.SeedGenerator` (stateful, for training).

    Each draw runs TensorFlow's Philox generator keyed by the generator's seed,
    on its own block of counters: the generator's draw number is the high word
    of the 128-bit counter, so no two draws share a number.
    """

    # Philox is TensorFlow's CPU and GPU generator; XLA on the CPU runs its automatic
    # choice several times slower. The key and counter go to the generator's kernel
    # directly (`tf.raw_ops`), where `tf.random.stateless_uniform` would first scramble
    # a seed into them with twenty small operations per draw: most of what a small RBM
    # step runs.
    PHILOX = 1  # TensorFlow's `Algorithm.PHILOX`

    def __init__(self, seed_generator):
        self.seed_generator = seed_generator

    def _key_and_counter(self):
        # The generator's state is int64 [seed, draw number].
        state = tf.bitcast(self.seed_generator.next(), tf.uint64)
        return state[:1], tf.concat([tf.zeros([1], tf.uint64), state[1:]], axis=0)

    def uniform(self, shape):
        key, counter = self._key_and_counter()
        return tf.raw_ops.StatelessRandomUniformV2(
            shape=shape, key=key, counter=counter, alg=self.PHILOX
        )

    def normal(self, shape):
        key, counter = self._key_and_counter()
        return tf.raw_ops.StatelessRandomNormalV2(
            shape=shape, key=key, counter=counter, alg=self.PHILOX
        )


class StatelessDraw:
    """Random numbers from stateless seeds `(seed, stream)`, `stream` advancing by one
    per draw: reproducible, and usable inside a compiled loop over `step`."""

    def __init__(self, seed, step):
        self.seed = seed
        self.stream = 2 * step

    def _next_seed(self):
        seed = tf.stack([self.seed, self.stream])
        self.stream += 1
        return seed

    def uniform(self, shape):
        return tf.random.stateless_uniform(shape, seed=self._next_seed())

    def normal(self, shape):
        return tf.random.stateless_normal(shape, seed=self._next_seed())


def initial_visible_states(weights, num_chains, seed, base_bias=None):
    """Chains' starting states, drawn from the model without hidden units whose biases are
    `base_bias` (`b` by default): Bernoulli(sigmoid(b_A)), or N(b, I) for Gaussian units."""
    bias = weights.visible_bias if base_bias is None else base_bias
    shape = tf.stack([num_chains, tf.shape(weights.kernel)[0]])
    units = weights.units
    return units.sample(units.mean(tf.broadcast_to(bias, shape)), StatelessDraw(seed, -1))


@tf.function(reduce_retracing=True)
def gibbs_chain_means(weights, num_samples, steps, seed):
    """Runs `num_samples` chains from the biases' model for `steps` steps; returns the
    last E[v | h] of each."""
    v = initial_visible_states(weights, num_samples, seed)
    mean = tf.zeros_like(v)
    for step in tf.range(steps):
        v, mean = gibbs_step(weights, v, StatelessDraw(seed, step))
    return mean
