"""RBM maths against independent NumPy references, and learning on real digits."""

import itertools
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl.datasets import load_idx
from keras_dl.models import RBM
from keras_dl.testing.model_checks import two_replica_strategy

MNIST_DIR = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "..", "shared", "data", "mnist"
)
MNIST_IMAGES = os.path.join(MNIST_DIR, "t10k-images-idx3-ubyte.gz")


def tiny_rbm(n_visible=4, n_hidden=3, visible="bernoulli", seed=0):
    rbm = RBM(n_hidden, visible=visible, seed=seed)
    rbm.build((None, n_visible))
    rng = np.random.default_rng(seed)
    rbm.kernel.assign(rng.normal(0, 0.8, (n_visible, n_hidden)).astype("float32"))
    rbm.visible_bias.assign(rng.normal(0, 0.5, n_visible).astype("float32"))
    rbm.hidden_bias.assign(rng.normal(0, 0.5, n_hidden).astype("float32"))
    return rbm


def parameters(rbm):
    return (
        rbm.kernel.numpy().astype("float64"),
        rbm.visible_bias.numpy().astype("float64"),
        rbm.hidden_bias.numpy().astype("float64"),
    )


def all_states(n):
    return np.array(list(itertools.product([0.0, 1.0], repeat=n)))


def numpy_energy(v, h, W, b, c, visible="bernoulli"):
    visible_term = 0.5 * np.sum((v - b) ** 2, -1) if visible == "gaussian" else -v @ b
    return visible_term - h @ c - np.sum((v @ W) * h, -1)


def numpy_log_z(W, b, c):
    V, H = all_states(len(b)), all_states(len(c))
    energies = np.array([[numpy_energy(v, h, W, b, c) for h in H] for v in V])
    return np.logaddexp.reduce(-energies.ravel()), energies


def test_energy_and_free_energy_match_numpy():
    rbm = tiny_rbm()
    W, b, c = parameters(rbm)
    V, H = all_states(4), all_states(3)
    pairs_v, pairs_h = np.repeat(V, len(H), axis=0), np.tile(H, (len(V), 1))
    np.testing.assert_allclose(
        rbm.energy(pairs_v, pairs_h), numpy_energy(pairs_v, pairs_h, W, b, c), rtol=1e-5, atol=1e-5
    )
    # F(v) = -log sum_h exp(-E(v, h)) by brute force.
    expected_free_energy = [
        -np.logaddexp.reduce([-numpy_energy(v, h, W, b, c) for h in H]) for v in V
    ]
    np.testing.assert_allclose(rbm.free_energy(V), expected_free_energy, rtol=1e-5, atol=1e-5)


def test_exact_log_partition_and_normalised_distribution():
    rbm = tiny_rbm()
    W, b, c = parameters(rbm)
    expected, _ = numpy_log_z(W, b, c)
    assert rbm.exact_log_partition() == pytest.approx(expected, abs=1e-4)
    # Enumerating the visible side (the larger one here) gives the same.
    wide = tiny_rbm(n_visible=3, n_hidden=5, seed=1)
    W2, b2, c2 = parameters(wide)
    assert wide.exact_log_partition() == pytest.approx(numpy_log_z(W2, b2, c2)[0], abs=1e-4)
    # P(v) = exp(-F(v)) / Z sums to one.
    probabilities = np.exp(
        -np.asarray(rbm.free_energy(all_states(4)), "float64") - rbm.exact_log_partition()
    )
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert rbm.log_likelihood(all_states(4)) == pytest.approx(
        np.mean(np.log(probabilities)), abs=1e-4
    )


def test_gaussian_visible_partition_matches_numerical_integration():
    rbm = tiny_rbm(n_visible=1, n_hidden=2, visible="gaussian", seed=2)
    W, b, c = parameters(rbm)
    grid = np.linspace(-15, 15, 60001)[:, None]
    H = all_states(2)
    integrand = np.logaddexp.reduce(
        np.stack(
            [-numpy_energy(grid, np.repeat(h[None], len(grid), 0), W, b, c, "gaussian") for h in H]
        ),
        axis=0,
    )
    expected = np.log(np.trapezoid(np.exp(integrand), grid[:, 0]))
    assert rbm.exact_log_partition() == pytest.approx(expected, abs=1e-4)
    expected_free_energy = -integrand[30000]  # v = 0
    assert float(rbm.free_energy(np.zeros((1, 1)))[0]) == pytest.approx(
        expected_free_energy, abs=1e-4
    )


def test_exact_pseudo_log_likelihood_matches_brute_force():
    rbm = tiny_rbm(n_visible=5, n_hidden=3, seed=3)
    W, b, c = parameters(rbm)
    V = all_states(5)
    log_unnormalised = {tuple(v): -(-(v @ b) - np.sum(np.logaddexp(0, c + v @ W))) for v in V}
    expected = []
    for v in V:
        total = 0.0
        for i in range(5):
            flipped = v.copy()
            flipped[i] = 1 - flipped[i]
            own, other = log_unnormalised[tuple(v)], log_unnormalised[tuple(flipped)]
            total += own - np.logaddexp(own, other)
        expected.append(total)
    assert rbm.pseudo_log_likelihood(V) == pytest.approx(np.mean(expected), abs=1e-4)


def test_conditionals_and_reconstruction():
    rbm = tiny_rbm()
    W, b, c = parameters(rbm)
    v = all_states(4)
    np.testing.assert_allclose(rbm.transform(v), 1 / (1 + np.exp(-(c + v @ W))), rtol=1e-5)
    hidden = 1 / (1 + np.exp(-(c + v @ W)))
    np.testing.assert_allclose(rbm.reconstruct(v), 1 / (1 + np.exp(-(b + hidden @ W.T))), rtol=1e-5)
    samples = np.asarray(rbm.gibbs(v, steps=3))
    assert samples.shape == v.shape and set(np.unique(samples)) <= {0.0, 1.0}
    np.testing.assert_array_equal(
        rbm.sample(3, gibbs_steps=20, seed=5), rbm.sample(3, gibbs_steps=20, seed=5)
    )


def test_cd_update_is_the_contrastive_divergence_gradient():
    # The closed-form gradients of the training step equal the CD-1 update of
    # Hinton (2002) computed in NumPy from the same negative samples, and the
    # autodiff gradients of the surrogate loss.
    rbm = tiny_rbm(n_visible=6, n_hidden=4, seed=4)
    W, b, c = parameters(rbm)
    v = (np.random.default_rng(0).uniform(size=(8, 6)) > 0.5).astype("float32")
    statistics = rbm._chain_statistics(tf.constant(v), training=False)
    v_model = np.asarray(statistics.v_model)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    positive = v.T @ sigmoid(c + v @ W) / len(v)
    negative = v_model.T @ sigmoid(c + v_model @ W) / len(v)
    kernel, visible, hidden = (
        np.asarray(g) for g in rbm.contrastive_divergence_gradients(statistics)
    )
    np.testing.assert_allclose(-kernel, positive - negative, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(-visible, v.mean(0) - v_model.mean(0), rtol=1e-5, atol=1e-6)
    expected_hidden = sigmoid(c + v @ W).mean(0) - sigmoid(c + v_model @ W).mean(0)
    np.testing.assert_allclose(-hidden, expected_hidden, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("visible", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("persistent", [False, True])
def test_closed_form_gradients_equal_the_surrogate_autodiff_gradients(visible, persistent):
    rbm = RBM(
        4,
        visible=visible,
        cd_steps=2,
        persistent=persistent,
        num_persistent_chains=5,
        weight_decay=0.01,
        sparsity_target=0.1,
        sparsity_weight=0.5,
        seed=3,
    )
    rbm.build((None, 6))
    rbm.hidden_bias.assign(np.linspace(-1.0, 1.0, 4).astype("float32"))
    v = np.random.default_rng(1).uniform(size=(8, 6)).astype("float32")
    variables = [rbm.kernel, rbm.visible_bias, rbm.hidden_bias]
    with tf.GradientTape() as tape:
        statistics = rbm._chain_statistics(tf.constant(v), training=persistent)
        loss = rbm.surrogate_loss(statistics)
    for closed, autodiff in zip(
        rbm.contrastive_divergence_gradients(statistics), tape.gradient(loss, variables)
    ):
        np.testing.assert_allclose(closed, autodiff, rtol=1e-4, atol=1e-6)


def test_pcd_chains_start_at_the_data_and_continue_from_their_hidden_states():
    # With weights of +-20 every conditional is 0 or 1 (up to 1e-8), so each
    # half-step of the chains is known exactly.
    rbm = RBM(2, persistent=True, num_persistent_chains=3, seed=0)
    rbm.build((None, 4))
    rbm.kernel.assign(20.0 * np.array([[1, -1], [1, -1], [-1, 1], [-1, 1]], "float32"))
    left, right = [1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]
    v = tf.constant([right, left])
    # First update: the chains start at data rows 0, 1, 0.
    statistics = rbm._chain_statistics(v, training=True)
    np.testing.assert_array_equal(statistics.v_model, [right, left, right])
    np.testing.assert_array_equal(rbm.persistent_chains.numpy(), [[0, 1], [1, 0], [0, 1]])
    # Later updates continue from the stored hidden states, whatever the data.
    rbm.persistent_chains.assign([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    statistics = rbm._chain_statistics(v, training=True)
    np.testing.assert_array_equal(statistics.v_model, [left, left, right])
    np.testing.assert_array_equal(statistics.v_data, v)
    np.testing.assert_array_equal(rbm.persistent_chains.numpy(), [[1, 0], [1, 0], [0, 1]])


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


def test_compile_runs_several_steps_per_call_on_one_replica_with_the_same_result():
    v = (np.random.default_rng(3).uniform(size=(200, 6)) > 0.5).astype("float32")
    kernels = {}
    for steps_per_execution in (None, 1):
        rbm = RBM(4, persistent=True, num_persistent_chains=10, seed=5)
        rbm.compile(optimizer=keras.optimizers.SGD(0.1), steps_per_execution=steps_per_execution)
        rbm.fit(v, batch_size=10, epochs=2, shuffle=False, verbose=0)
        kernels[rbm.steps_per_execution] = rbm.kernel.numpy()
    assert sorted(kernels) == [1, 32]
    # The persistent chains start at the first batch and the draws follow the
    # seed generator whatever the steps per call.
    np.testing.assert_allclose(kernels[32], kernels[1], rtol=1e-5, atol=1e-6)


def test_compile_keeps_one_step_per_call_under_two_replicas():
    with two_replica_strategy().scope():
        rbm = RBM(4, seed=0)
        rbm.compile(optimizer="sgd")
    assert rbm.steps_per_execution == 1


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


def test_a_model_saved_on_one_replica_takes_one_step_per_call_under_two(tmp_path):
    v = (np.random.default_rng(5).uniform(size=(40, 6)) > 0.5).astype("float32")
    rbm = RBM(4, seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    rbm.fit(v, batch_size=10, verbose=0)
    rbm.save(tmp_path / "rbm.keras")
    with two_replica_strategy().scope():
        loaded = keras.saving.load_model(tmp_path / "rbm.keras")
    assert loaded.steps_per_execution == 1
    loaded.fit(v, batch_size=10, verbose=0)
    # An explicit choice is kept.
    rbm.compile(optimizer=keras.optimizers.SGD(0.1), steps_per_execution=4)
    rbm.save(tmp_path / "explicit.keras")
    assert keras.saving.load_model(tmp_path / "explicit.keras").steps_per_execution == 4


def test_bad_arguments_are_named():
    for kwargs, error, argument in [
        ({"n_hidden": 0}, ValueError, "n_hidden"),
        ({"n_hidden": 4, "visible": "poisson"}, ValueError, "visible"),
        ({"n_hidden": 4, "cd_steps": 0}, ValueError, "cd_steps"),
        ({"n_hidden": 4, "weight_decay": -1.0}, ValueError, "weight_decay"),
        ({"n_hidden": 4, "sparsity_target": 1.5}, ValueError, "sparsity_target"),
        ({"n_hidden": 4, "persistent": "yes"}, TypeError, "persistent"),
    ]:
        with pytest.raises(error, match=argument):
            RBM(**kwargs)
    with pytest.raises(ValueError, match="n_visible"):
        RBM(4).build((None, 2, 2))
    with pytest.raises(ValueError, match="n_hidden <= 20"):
        tiny_rbm(n_visible=30, n_hidden=25).exact_log_partition()
    with pytest.raises(ValueError, match="Bernoulli"):
        tiny_rbm(visible="gaussian").pseudo_log_likelihood(np.zeros((1, 4)))


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
