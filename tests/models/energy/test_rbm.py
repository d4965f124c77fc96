"""The RBM model: inference, its training step and state, data checks, bad arguments, and
learning on real digits. The mathematics is tested module by module beside this file."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl.datasets import load_idx
from keras_dl.models import RBM
from keras_dl.testing import assert_clear_error
from keras_dl.testing.model_checks import two_replica_strategy
from keras_dl.testing.platform_cases import binary_data
from keras_dl.testing.platform_checks import platform_test

MNIST_DIR = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "..", "shared", "data", "mnist"
)
MNIST_IMAGES = os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")
FEATURES = 8


def test_conditionals_and_reconstruction(tiny_rbm, brute_force):
    rbm = tiny_rbm()
    W, b, c = brute_force.parameters(rbm)
    v = brute_force.all_states(4)
    np.testing.assert_allclose(rbm.transform(v), 1 / (1 + np.exp(-(c + v @ W))), rtol=1e-5)
    hidden = 1 / (1 + np.exp(-(c + v @ W)))
    np.testing.assert_allclose(rbm.reconstruct(v), 1 / (1 + np.exp(-(b + hidden @ W.T))), rtol=1e-5)
    samples = np.asarray(rbm.gibbs(v, steps=3))
    assert samples.shape == v.shape and set(np.unique(samples)) <= {0.0, 1.0}
    np.testing.assert_array_equal(
        rbm.sample(3, gibbs_steps=20, seed=5), rbm.sample(3, gibbs_steps=20, seed=5)
    )


def test_train_step_applies_the_closed_form_gradients():
    rbm = RBM(4, weight_decay=0.01, seed=2)
    v = (np.random.default_rng(2).uniform(size=(8, 6)) > 0.5).astype("float32")
    rbm.build((None, 6))
    rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    before = [variable.numpy() for variable in (rbm.kernel, rbm.visible_bias, rbm.hidden_bias)]
    state = rbm.seed_generator.state.numpy()
    statistics = rbm._chain_statistics(tf.constant(v), training=False)
    gradients = [np.asarray(g) for g in rbm.contrastive_divergence_gradients(statistics)]
    rbm.seed_generator.state.assign(state)
    rbm.train_on_batch(v)
    for variable, start, gradient in zip(
        (rbm.kernel, rbm.visible_bias, rbm.hidden_bias), before, gradients
    ):
        np.testing.assert_allclose(variable.numpy(), start - 0.1 * gradient, rtol=1e-5, atol=1e-6)


def test_train_on_batch_before_fit_builds_the_model_and_checks_the_data():
    rbm = RBM(4, persistent=True, num_persistent_chains=5, seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    v = (np.random.default_rng(4).uniform(size=(10, 6)) > 0.5).astype("float32")
    logs = rbm.train_on_batch(v, return_dict=True)
    assert set(logs) == {"reconstruction_error", "free_energy_gap"}
    # The chains started at the batch's samples and moved on by one Gibbs step.
    assert float(rbm.persistent_chains_started.numpy()) == 1.0
    assert set(np.unique(rbm.persistent_chains.numpy())) == {0.0, 1.0}
    with pytest.raises(ValueError, match="values in \\[0, 1\\]"):
        rbm.train_on_batch(255.0 * v)


def test_data_sums_count_every_sample_once_under_two_replicas():
    # Each replica adds the global batch's sums; a sum-aggregated variable had added
    # them once per replica on top of its own value (the count doubled every step).
    v = (np.random.default_rng(6).uniform(size=(100, 6)) > 0.5).astype("float32")
    with two_replica_strategy().scope():
        rbm = RBM(4, persistent=True, num_persistent_chains=10, seed=0)
        rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    rbm.fit(v, batch_size=20, epochs=2, shuffle=False, verbose=0)
    assert float(rbm.seen_count.numpy()) == 200.0
    np.testing.assert_allclose(rbm.seen_visible_sum.numpy(), 2 * v.sum(axis=0))


def test_methods_build_an_unbuilt_rbm_from_their_input():
    v = (np.random.default_rng(7).uniform(size=(5, 6)) > 0.5).astype("float32")
    rbm = RBM(3, seed=0)
    assert np.isfinite(rbm.pseudo_log_likelihood(v)) and rbm.n_visible == 6


def test_energies_build_an_unbuilt_rbm_from_their_input():
    v = (np.random.default_rng(8).uniform(size=(5, 6)) > 0.5).astype("float32")
    assert tuple(RBM(3, seed=0).free_energy(v).shape) == (5,)
    assert tuple(RBM(3, seed=0).energy(v, np.ones((5, 3))).shape) == (5,)
    assert tuple(RBM(3, seed=0).gibbs(v).shape) == (5, 6)


def test_config_round_trip_keeps_every_argument():
    rbm = RBM(5, visible="gaussian", cd_steps=2, persistent=True, weight_decay=0.1,
              sparsity_target=0.2, sparsity_weight=0.3, seed=4, num_persistent_chains=7)
    config = rbm.get_config()
    assert {key: config[key] for key in ("n_hidden", "visible", "cd_steps", "persistent",
                                         "weight_decay", "sparsity_target", "sparsity_weight",
                                         "seed", "num_persistent_chains")} == {
        "n_hidden": 5, "visible": "gaussian", "cd_steps": 2, "persistent": True,
        "weight_decay": 0.1, "sparsity_target": 0.2, "sparsity_weight": 0.3, "seed": 4,
        "num_persistent_chains": 7}
    assert RBM.from_config(config).get_config() == config


def test_built_uncompiled_rbm_saves_and_keeps_its_weight_names(tmp_path):
    rbm = RBM(3, persistent=True, num_persistent_chains=4, seed=0)
    rbm.build((None, 6))
    rbm.save(tmp_path / "rbm.keras")
    loaded = keras.saving.load_model(tmp_path / "rbm.keras")
    names = ["kernel", "visible_bias", "hidden_bias", "seen_visible_sum", "seen_count",
             "persistent_chains", "persistent_chains_started"]
    assert [weight.name for weight in rbm.weights][:len(names)] == names
    assert [weight.name for weight in loaded.weights] == [weight.name for weight in rbm.weights]
    np.testing.assert_array_equal(loaded.kernel.numpy(), rbm.kernel.numpy())


def with_nan(x):
    x = x.copy()
    x[3, 2] = np.nan
    return x


def compiled_rbm(**kwargs):
    rbm = RBM(4, seed=0, **kwargs)
    rbm.compile(optimizer="sgd")
    return rbm


def built_rbm(visible="bernoulli", n_hidden=4, n_visible=FEATURES):
    rbm = RBM(n_hidden, visible=visible, seed=0)
    rbm.build((None, n_visible))
    return rbm


def fit_rbm(x, **kwargs):
    return compiled_rbm(**kwargs).fit(x, epochs=1, verbose=0)


def fit_rbm_twice(first, second):
    rbm = compiled_rbm()
    rbm.fit(first, epochs=1, verbose=0)
    rbm.fit(second, epochs=1, verbose=0)


# `(what a user does, the exception type, a phrase of the message)`: each gets a clear,
# one-line error (`keras_dl.testing.assert_clear_error`).
BAD_INPUTS = {
    # Constructor
    "rbm n_hidden 0": (lambda: RBM(0), ValueError, "n_hidden"),
    "rbm n_hidden float": (lambda: RBM(2.5), TypeError, "n_hidden"),
    "rbm visible": (lambda: RBM(4, visible="poisson"), ValueError, "visible"),
    "rbm cd_steps": (lambda: RBM(4, cd_steps=0), ValueError, "cd_steps"),
    "rbm persistent": (lambda: RBM(4, persistent="yes"), TypeError, "persistent"),
    "rbm weight_decay": (lambda: RBM(4, weight_decay=-1.0), ValueError, "weight_decay"),
    "rbm sparsity_target 1.5": (
        lambda: RBM(4, sparsity_target=1.5),
        ValueError,
        "`sparsity_target` must be a float in (0, 1)",
    ),
    "rbm sparsity_target 0": (
        lambda: RBM(4, sparsity_target=0.0),
        ValueError,
        "`sparsity_target` must be a float in (0, 1)",
    ),
    "rbm chains": (
        lambda: RBM(4, num_persistent_chains=0),
        ValueError,
        "num_persistent_chains",
    ),
    "rbm build rank": (lambda: RBM(4).build((None, 2, 2)), ValueError, "n_visible"),
    # Data
    "rbm uint8 pixels": (
        lambda: fit_rbm(np.full((4, FEATURES), 255, "uint8")),
        ValueError,
        "[0, 1]",
    ),
    "rbm values above one": (
        lambda: fit_rbm(binary_data(16, FEATURES) * 2), ValueError, "values in [0.0, 2.0]"
    ),
    "rbm negative values": (lambda: fit_rbm(binary_data(16, FEATURES) - 1), ValueError, "[0, 1]"),
    # The likelihoods refuse what fit refuses (a positive "log-likelihood" of pixels, before).
    "rbm log_likelihood of pixels": (
        lambda: RBM(3).log_likelihood(binary_data(4, FEATURES) * 255, log_z=0.0),
        ValueError,
        "values in [0.0, 255.0]",
    ),
    "rbm free_energy of pixels": (
        lambda: RBM(3).free_energy(binary_data(4, FEATURES) * 255), ValueError, "[0, 1]",
    ),
    "rbm pseudo_log_likelihood of pixels": (
        lambda: RBM(3).pseudo_log_likelihood(binary_data(4, FEATURES) * 255),
        ValueError,
        "uint8 pixels / 255",
    ),
    "rbm nan": (lambda: fit_rbm(with_nan(binary_data(16, FEATURES))), ValueError, "NaN"),
    "rbm rank 3": (
        lambda: fit_rbm(np.zeros((4, 2, 4), "float32")),
        ValueError,
        "(samples, n_visible)",
    ),
    "rbm no samples": (
        lambda: fit_rbm(np.zeros((0, FEATURES), "float32")),
        ValueError,
        "no samples",
    ),
    "persistent rbm no samples": (
        lambda: fit_rbm(np.zeros((0, FEATURES), "float32"), persistent=True),
        ValueError,
        "no samples",
    ),
    "rbm empty dataset": (
        lambda: fit_rbm(
            tf.data.Dataset.from_tensor_slices(np.zeros((0, FEATURES), "float32")).batch(4)
        ),
        ValueError,
        "empty dataset",
    ),
    "rbm refit on other width": (
        lambda: fit_rbm_twice(binary_data(16, FEATURES), binary_data(16, 5)), ValueError,
        "n_visible=8",
    ),
    "rbm strings": (lambda: fit_rbm(np.array([["a"] * FEATURES])), TypeError, "numbers"),
    "rbm compiled loss": (
        lambda: RBM(4).compile(optimizer="sgd", loss="mse"),
        TypeError,
        "loss",
    ),
    # Methods
    "pll no samples": (
        lambda: built_rbm().pseudo_log_likelihood(np.zeros((0, FEATURES))),
        ValueError,
        "samples >= 1",
    ),
    "pll gaussian": (
        lambda: built_rbm("gaussian").pseudo_log_likelihood(np.zeros((1, FEATURES))),
        ValueError,
        "Bernoulli",
    ),
    "ais gaussian": (lambda: built_rbm("gaussian").log_partition(), ValueError, "Bernoulli"),
    "exact log z too big": (
        lambda: built_rbm(n_hidden=25, n_visible=30).exact_log_partition(),
        ValueError,
        "n_hidden <= 20",
    ),
    "gibbs steps": (
        lambda: built_rbm().gibbs(binary_data(16, FEATURES), steps=0), ValueError, "steps"
    ),
    "transform width": (lambda: built_rbm().transform(binary_data(16, 5)), ValueError,
        "value 8",
    ),
    "reconstruct width": (lambda: built_rbm().reconstruct(binary_data(16, 5)), ValueError,
        "value 8",
    ),
    "free_energy width": (lambda: built_rbm().free_energy(binary_data(16, 5)), ValueError,
        "free_energy(): `v` must have shape (samples, 8)",
    ),
    "free_energy rank 3": (lambda: built_rbm().free_energy(np.zeros((2, 2, 4))), ValueError,
        "`v` must have shape (samples, 8)",
    ),
    "energy hidden width": (
        lambda: built_rbm().energy(binary_data(2, FEATURES), np.zeros((2, 3))), ValueError,
        "`h` must have shape (samples, 4)",
    ),
    "gibbs width": (lambda: built_rbm().gibbs(binary_data(16, 5)), ValueError,
        "gibbs(): `v` must have shape (samples, 8)",
    ),
    "pll width": (lambda: built_rbm().pseudo_log_likelihood(binary_data(16, 5)), ValueError,
        "`v` must have shape (samples, 8)",
    ),
    "sample count": (lambda: built_rbm().sample(0), ValueError, "num_samples"),
    "sample steps": (lambda: built_rbm().sample(2, gibbs_steps=0), ValueError, "gibbs_steps"),
    "ais chains": (lambda: built_rbm().log_partition(num_chains=0), ValueError, "num_chains"),
    "ais betas": (lambda: built_rbm().log_partition(num_betas=-3), ValueError, "num_betas"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


@pytest.fixture(scope="module")
def binary_mnist():
    if not os.path.exists(MNIST_IMAGES):
        pytest.skip(f"the shared MNIST test set is absent ({MNIST_DIR})")
    images = load_idx(MNIST_IMAGES).reshape(-1, 784)
    binary = (images >= 128).astype("float32")
    return binary[:8000], binary[8000:]


def test_pcd_training_on_mnist_improves_likelihood_and_ais_matches_enumeration(binary_mnist):
    train, held_out = binary_mnist
    rbm = RBM(12, persistent=True, seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9))
    rbm.build((None, 784))
    pll_before = rbm.pseudo_log_likelihood(held_out[:500])
    error_before = float(
        rbm.evaluate(held_out, batch_size=500, verbose=0, return_dict=True)["reconstruction_error"]
    )
    history = rbm.fit(train, batch_size=100, epochs=5, verbose=0)
    assert history.history["reconstruction_error"][-1] < 0.5 * error_before
    assert rbm.pseudo_log_likelihood(held_out[:500]) > pll_before + 100
    exact = rbm.exact_log_partition()
    ais = rbm.log_partition(num_chains=100, num_betas=10000, seed=0, data=train)
    # Salakhutdinov & Murray 2008: AIS estimates within a fraction of a nat.
    assert abs(ais - exact) < 1.0, (ais, exact)
    # Without `data`, the base rates are those fit recorded (a uniform base was off by ~60 nats).
    default, (low, high) = rbm.log_partition(num_betas=3000, seed=1, return_interval=True)
    assert abs(default - exact) < 1.0, (default, exact)
    assert low <= default <= high
    assert rbm.log_likelihood(held_out) < 0


def test_cd_training_on_mnist_improves_reconstruction(binary_mnist):
    train, held_out = binary_mnist
    rbm = RBM(64, cd_steps=1, weight_decay=1e-4, sparsity_target=0.1, sparsity_weight=0.01, seed=1)
    rbm.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.5))
    rbm.build((None, 784))
    before = float(np.mean(np.sum((held_out - rbm.reconstruct(held_out)) ** 2, axis=1)))
    pll_before = rbm.pseudo_log_likelihood(held_out[:300])
    rbm.fit(train, batch_size=100, epochs=3, verbose=0)
    after = float(np.mean(np.sum((held_out - rbm.reconstruct(held_out)) ** 2, axis=1)))
    assert after < 0.5 * before
    assert rbm.pseudo_log_likelihood(held_out[:300]) > pll_before


test_platform = platform_test("RBM", "RBM-persistent", "RBM-gaussian")
