"""What the energy tests share: small RBMs with random weights, and brute-force NumPy
references (every state enumerated) to check them against."""

import itertools
import types

import numpy as np
import pytest

from keras_dl.models import RBM
from keras_dl.models.energy import visible_units
from keras_dl.models.energy.energy import RBMWeights


def random_arrays(n_visible, n_hidden, seed):
    """W, b, c drawn at a scale where every term of the energy matters (float64)."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0, 0.8, (n_visible, n_hidden)), rng.normal(0, 0.5, n_visible),
            rng.normal(0, 0.5, n_hidden))


def make_tiny_rbm(n_visible=4, n_hidden=3, visible="bernoulli", seed=0):
    """A built RBM with `random_arrays` weights."""
    rbm = RBM(n_hidden, visible=visible, seed=seed)
    rbm.build((None, n_visible))
    for variable, value in zip((rbm.kernel, rbm.visible_bias, rbm.hidden_bias),
                               random_arrays(n_visible, n_hidden, seed)):
        variable.assign(value.astype("float32"))
    return rbm


def make_weights(n_visible=4, n_hidden=3, visible="bernoulli", seed=0):
    """`RBMWeights` (float32) with `random_arrays` weights."""
    arrays = (array.astype("float32") for array in random_arrays(n_visible, n_hidden, seed))
    return RBMWeights(*arrays, visible_units.get(visible))


def float64_parameters(source):
    """W, b, c of an RBM or `RBMWeights`, as float64 NumPy arrays."""
    if isinstance(source, RBM):
        source = source.energy_weights()
    return tuple(np.asarray(array, "float64") for array in source[:3])


def all_states(n):
    """Every binary vector of `n` units, `(2**n, n)`."""
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


def numpy_energy(v, h, W, b, c, visible="bernoulli"):
    """E(v, h) per row."""
    visible_term = 0.5 * np.sum((v - b) ** 2, -1) if visible == "gaussian" else -v @ b
    return visible_term - h @ c - np.sum((v @ W) * h, -1)


def numpy_log_z(W, b, c):
    """log Z of a Bernoulli RBM by summing exp(-E) over every (v, h), and the energies."""
    V, H = all_states(len(b)), all_states(len(c))
    energies = np.array([[numpy_energy(v, h, W, b, c) for h in H] for v in V])
    return np.logaddexp.reduce(-energies.ravel()), energies


def numpy_free_energy(V, W, b, c, visible="bernoulli"):
    """F(v) = -log sum_h exp(-E(v, h)) per row of `V`, summing over every h."""
    H = all_states(len(c))
    return np.array([-np.logaddexp.reduce([-numpy_energy(v, h, W, b, c, visible) for h in H])
                     for v in V])


@pytest.fixture
def tiny_rbm():
    """`make_tiny_rbm`, the factory."""
    return make_tiny_rbm


@pytest.fixture
def weights():
    """`make_weights`, the factory."""
    return make_weights


@pytest.fixture
def brute_force():
    """The NumPy references."""
    return types.SimpleNamespace(
        parameters=float64_parameters, all_states=all_states, energy=numpy_energy,
        log_z=numpy_log_z, free_energy=numpy_free_energy,
    )
