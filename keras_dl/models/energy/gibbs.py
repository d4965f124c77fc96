"""Block Gibbs sampling in a restricted Boltzmann machine: the one kernel that
training (CD-k, PCD), sampling and annealed importance sampling share.

The kernel samples from the tempered family of Salakhutdinov & Murray (2008),
`p_beta(v, h) ∝ exp(-(1 - beta) term(v; b_A) - beta E(v, h))` (`energy`; the
term of Bernoulli units is `-b_A'v`), which is the RBM itself at `beta = 1`
and a model without interactions (biases `b_A`) at `beta = 0`. Random numbers
come from a `draw` object with `uniform(shape)` and `normal(shape)`, so the
same kernel runs with a `keras.random.SeedGenerator` (training, `SeededDraw`)
or with stateless seeds inside a compiled loop (`StatelessDraw`). On
TensorFlow the seeded draws call its random kernels directly, which Keras does
not expose.
"""

import keras
from keras import ops

from keras_dl.models.energy.energy import hidden_preactivation, visible_preactivation
from keras_dl.utils import backend_ops


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


class PhiloxDraw:
    """Random numbers from a `keras.random.SeedGenerator` on TensorFlow (stateful, for
    training): `SeededDraw` there.

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

    def uniform(self, shape):
        return self._draw("StatelessRandomUniformV2", shape)

    def normal(self, shape):
        return self._draw("StatelessRandomNormalV2", shape)

    def _draw(self, kernel, shape):
        import tensorflow as tf

        # The generator's state is int64 [seed, draw number].
        state = tf.bitcast(self.seed_generator.next(), tf.uint64)
        counter = tf.concat([tf.zeros([1], tf.uint64), state[1:]], axis=0)
        return getattr(tf.raw_ops, kernel)(shape=shape, key=state[:1], counter=counter,
                                           alg=self.PHILOX)


class KeyDraw:
    """Random numbers from a `keras.random.SeedGenerator` on JAX: `SeededDraw` there.

    The generator moves on once, when the draw object is made (one training step,
    one `RBM.gibbs` call), and each draw folds its number into that key. So no draw
    assigns a variable: draws may run in a branch of `ops.cond` (PCD's first
    chains), which a traced JAX step cannot leave assignments in.
    """

    def __init__(self, seed_generator):
        self.key = seed_generator.next()
        self.draws = 0

    def _next_key(self):
        import jax

        self.draws += 1
        return jax.random.fold_in(self.key, self.draws)

    def uniform(self, shape):
        return keras.random.uniform(shape, seed=self._next_key())

    def normal(self, shape):
        return keras.random.normal(shape, seed=self._next_key())


class GeneratorDraw:
    """Random numbers from a `keras.random.SeedGenerator` on torch: `SeededDraw` there.

    The step runs eagerly, so each draw moves the generator on itself (Keras seeds
    a torch generator from its state).
    """

    def __init__(self, seed_generator):
        self.seed_generator = seed_generator

    def uniform(self, shape):
        return keras.random.uniform(shape, seed=self.seed_generator)

    def normal(self, shape):
        return keras.random.normal(shape, seed=self.seed_generator)


SeededDraw = {"tensorflow": PhiloxDraw, "jax": KeyDraw}.get(backend_ops.backend(), GeneratorDraw)


class StatelessDraw:
    """Random numbers from stateless seeds `(seed, stream)`, `stream` advancing by one
    per draw: reproducible, and usable inside a compiled loop over `step`."""

    def __init__(self, seed, step):
        self.seed = seed
        self.stream = 2 * step

    def _next_stream(self):
        stream = self.stream
        self.stream += 1
        return stream

    def uniform(self, shape):
        return backend_ops.uniform_from_seed(shape, self.seed, self._next_stream())

    def normal(self, shape):
        return backend_ops.normal_from_seed(shape, self.seed, self._next_stream())


def initial_visible_states(weights, num_chains, seed, base_bias=None):
    """Chains' starting states, drawn from the model without hidden units whose biases are
    `base_bias` (`b` by default): Bernoulli(sigmoid(b_A)), or N(b, I) for Gaussian units."""
    bias = weights.visible_bias if base_bias is None else base_bias
    shape = (num_chains, ops.shape(weights.kernel)[0])
    units = weights.units
    return units.sample(units.mean(ops.broadcast_to(bias, shape)), StatelessDraw(seed, -1))


def _gibbs_chain_means(weights, num_samples, steps, seed):
    v = initial_visible_states(weights, num_samples, seed)

    def step(index, state):
        return gibbs_step(weights, state[0], StatelessDraw(seed, index))

    return ops.fori_loop(0, steps, step, (v, ops.zeros_like(v)))[1]


_compiled_chain_means = backend_ops.compiled(_gibbs_chain_means, sizes=("num_samples",))


def gibbs_chain_means(weights, num_samples, steps, seed):
    """Runs `num_samples` chains from the biases' model for `steps` steps; returns the
    last E[v | h] of each (compiled; `num_samples`, `steps` and `seed` are ints)."""
    steps, seed = (ops.convert_to_tensor(value, "int32") for value in (steps, seed))
    return _compiled_chain_means(weights, num_samples=num_samples, steps=steps, seed=seed)
