"""Contrastive divergence: the closed-form gradients equal the autodiff gradients of the
surrogate loss (CD-1, CD-3, PCD; weight decay, sparsity; Bernoulli and Gaussian units),
the CD-1 update of Hinton (2002), and the persistent chains move as PCD says."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_dl.models import RBM
from keras_dl.models.energy import contrastive_divergence as cd
from keras_dl.models.energy import energy, gibbs
from keras_dl.models.energy.energy import RBMWeights

PENALTIES = {
    "none": cd.Penalties(),
    "weight decay": cd.Penalties(weight_decay=0.01),
    "sparsity": cd.Penalties(sparsity_target=0.1, sparsity_weight=0.5),
    "both": cd.Penalties(0.01, 0.1, 0.5),
}


def data(visible, rows=8, n_visible=6, seed=1):
    rng = np.random.default_rng(seed)
    if visible == "gaussian":
        return rng.normal(size=(rows, n_visible)).astype("float32")
    return rng.uniform(size=(rows, n_visible)).astype("float32")


def chain_samples(rbm_weights, v_data, chain):
    """The chains' ends and the reconstruction of one real CD-1, CD-3 or PCD update (PCD: 5
    chains, started at the data)."""
    draw = gibbs.SeededDraw(keras.random.SeedGenerator(0))
    if chain == "pcd":
        chains = keras.Variable(np.zeros((5, rbm_weights.kernel.shape[1]), "float32"))
        statistics, _ = cd.pcd_chain_statistics(rbm_weights, v_data, 1, draw, chains,
                                                keras.Variable(0.0))
    else:
        statistics = cd.cd_chain_statistics(rbm_weights, v_data, int(chain[-1]), draw)
    return np.asarray(statistics.v_model), np.asarray(statistics.reconstruction)


def fixed_statistics(rbm_weights, v_data, v_model, reconstruction):
    """`ChainStatistics` of fixed samples, with their hidden units computed from the weights
    (so that both gradients see the same samples and the same dependence on the weights)."""
    visible = ops.concatenate([v_data, v_model], axis=0)
    preactivation = energy.hidden_preactivation(rbm_weights, visible)
    return cd.ChainStatistics.from_rows(rbm_weights, visible, preactivation,
                                        ops.sigmoid(preactivation), reconstruction, len(v_data))


@pytest.mark.parametrize("penalties", sorted(PENALTIES))
@pytest.mark.parametrize("visible", ["bernoulli", "gaussian"])
@pytest.mark.parametrize("chain", ["cd1", "cd3", "pcd"])
def test_closed_form_gradients_are_the_surrogate_s_autodiff_gradients(chain, visible, penalties,
                                                                       weights):
    start = weights(n_visible=6, n_hidden=4, visible=visible, seed=7)
    v_data = data(visible)
    v_model, reconstruction = chain_samples(start, v_data, chain)
    variables = [tf.Variable(array) for array in start[:3]]
    with tf.GradientTape() as tape:
        rbm_weights = RBMWeights(*map(ops.convert_to_tensor, variables), start.units)
        statistics = fixed_statistics(rbm_weights, v_data, v_model, reconstruction)
        loss = cd.surrogate_loss(statistics, PENALTIES[penalties])
    autodiff = tape.gradient(loss, variables)
    closed = cd.contrastive_divergence_gradients(statistics, PENALTIES[penalties], scale=0.5)
    for closed_gradient, autodiff_gradient in zip(closed, autodiff):
        np.testing.assert_allclose(closed_gradient, 0.5 * np.asarray(autodiff_gradient),
                                   rtol=1e-4, atol=1e-6)


def test_sparsity_gradient_vanishes_where_the_divergence_clips(weights):
    # A unit always on has a mean activation above 1 - 1e-7, which the divergence clips.
    start = weights(n_visible=6, n_hidden=4, seed=8)
    start = start._replace(hidden_bias=np.array([30.0, 0.0, -1.0, 1.0], "float32"))
    v_data = data("bernoulli")
    v_model, reconstruction = chain_samples(start, v_data, "cd1")
    variables = [tf.Variable(array) for array in start[:3]]
    penalties = PENALTIES["sparsity"]
    with tf.GradientTape() as tape:
        rbm_weights = RBMWeights(*map(ops.convert_to_tensor, variables), start.units)
        statistics = fixed_statistics(rbm_weights, v_data, v_model, reconstruction)
        loss = cd.surrogate_loss(statistics, penalties)
    for closed, autodiff in zip(cd.contrastive_divergence_gradients(statistics, penalties),
                                tape.gradient(loss, variables)):
        np.testing.assert_allclose(closed, autodiff, rtol=1e-4, atol=1e-6)


def test_row_weights_and_the_free_energy_gap(weights, brute_force):
    rbm_weights = weights(n_visible=6, n_hidden=4, seed=9)
    v_data, v_model = data("bernoulli", rows=4), data("bernoulli", rows=3, seed=2)
    statistics = fixed_statistics(rbm_weights, v_data, v_model, v_data)
    np.testing.assert_allclose(statistics.row_weights, [-1 / 4] * 4 + [1 / 3] * 3, rtol=1e-6)
    np.testing.assert_array_equal(statistics.v_data, v_data)
    np.testing.assert_array_equal(statistics.v_model, v_model)
    W, b, c = brute_force.parameters(rbm_weights)

    def free_energy(v):
        return -v @ b - np.sum(np.logaddexp(0, c + v @ W), axis=-1)

    assert float(cd.free_energy_gap(statistics)) == pytest.approx(
        free_energy(v_data).mean() - free_energy(v_model).mean(), abs=1e-5)


def test_cd_update_is_the_contrastive_divergence_gradient(tiny_rbm, brute_force):
    # The closed-form gradients of the training step equal the CD-1 update of
    # Hinton (2002) computed in NumPy from the same negative samples, and the
    # autodiff gradients of the surrogate loss.
    rbm = tiny_rbm(n_visible=6, n_hidden=4, seed=4)
    W, b, c = brute_force.parameters(rbm)
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
