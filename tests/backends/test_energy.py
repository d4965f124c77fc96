"""The JAX and torch legs for the energy family beyond the platform cases (`test_models.py`
runs the three RBM kinds there): the state the traced step assigns (persistent chains, data
sums, the seed generator) advances and survives a `.keras` round trip; sampling and the
partition functions; the deep belief network. The pseudo-likelihood is compared with
TensorFlow's on the same weights in `test_cross_backend.py`.
"""

import itertools

import keras
import numpy as np
import pytest

from keras_dl.models import RBM, DeepBeliefNetwork
from keras_dl.testing.platform_cases import binary_data

pytestmark = pytest.mark.skipif(
    keras.backend.backend() == "tensorflow",
    reason="the JAX and torch legs run these (KERAS_BACKEND=jax or torch python -m pytest "
           "tests/backends)",
)

FEATURES = 8
numpy = keras.ops.convert_to_numpy


def numpy_state(rbm):
    return {name: np.array(numpy(variable)) for name, variable in (
        ("chains", rbm.persistent_chains), ("started", rbm.persistent_chains_started),
        ("count", rbm.seen_count), ("sums", rbm.seen_visible_sum),
        ("seed", rbm.seed_generator.state))}


def test_pcd_chains_data_sums_and_seed_advance_in_the_step_and_after_loading(tmp_path):
    x = binary_data(16, FEATURES)
    rbm = RBM(4, persistent=True, num_persistent_chains=5, seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(0.1))
    rbm.fit(x, batch_size=8, epochs=1, verbose=0, shuffle=False)
    first = numpy_state(rbm)
    assert first["started"] == 1.0 and first["count"] == 16.0
    assert set(np.unique(first["chains"])) <= {0.0, 1.0}
    np.testing.assert_allclose(first["sums"], x.sum(axis=0))
    rbm.save(tmp_path / "rbm.keras")
    restored = keras.saving.load_model(tmp_path / "rbm.keras", safe_mode=True)
    for model in (rbm, restored):
        assert {key: value.tolist() for key, value in numpy_state(model).items()} == {
            key: value.tolist() for key, value in first.items()}
        model.fit(x, batch_size=8, epochs=2, verbose=0, shuffle=False)
    after, loaded = numpy_state(rbm), numpy_state(restored)
    assert after["count"] == loaded["count"] == 48.0
    assert not np.array_equal(after["chains"], first["chains"])
    assert not np.array_equal(after["seed"], first["seed"])
    # The restored RBM goes on as the original would: the same chains, draws and weights.
    for key in after:
        np.testing.assert_array_equal(loaded[key], after[key], err_msg=key)
    for want, got in zip(rbm.weights, restored.weights):
        np.testing.assert_allclose(numpy(got), numpy(want), atol=1e-6)


def random_rbm(n_visible=6, n_hidden=4, seed=0):
    rng = np.random.default_rng(seed)
    rbm = RBM(n_hidden, seed=seed)
    rbm.build((None, n_visible))
    arrays = (rng.normal(0, 0.8, (n_visible, n_hidden)), rng.normal(0, 0.5, n_visible),
              rng.normal(0, 0.5, n_hidden))
    for variable, value in zip((rbm.kernel, rbm.visible_bias, rbm.hidden_bias), arrays):
        variable.assign(value.astype("float32"))
    return rbm, arrays


def test_partition_functions_and_sampling():
    rbm, (W, b, c) = random_rbm()
    visible = np.array(list(itertools.product([0.0, 1.0], repeat=len(b))))
    log_p = visible @ b + np.sum(np.logaddexp(0.0, c + visible @ W), axis=-1)  # -F(v)
    log_z = np.logaddexp.reduce(log_p)
    assert rbm.exact_log_partition() == pytest.approx(log_z, abs=1e-4)
    estimate, (low, high) = rbm.log_partition(num_chains=50, num_betas=500, seed=0,
                                              data=binary_data(32, 6), return_interval=True)
    assert abs(estimate - log_z) < 1.0 and low <= estimate <= high
    assert rbm.log_partition(num_chains=50, num_betas=500, seed=0,
                             data=binary_data(32, 6)) == estimate
    assert rbm.log_likelihood(visible[:3], log_z=log_z) == pytest.approx(
        np.mean(log_p[:3]) - log_z, abs=1e-4)
    samples = numpy(rbm.sample(3, gibbs_steps=20, seed=5))
    assert samples.shape == (3, 6) and np.all((samples > 0) & (samples < 1))
    np.testing.assert_array_equal(numpy(rbm.sample(3, gibbs_steps=20, seed=5)), samples)
    assert not np.array_equal(numpy(rbm.sample(3, gibbs_steps=20, seed=6)), samples)
    states = numpy(rbm.gibbs(visible[:4], steps=2))
    assert states.shape == (4, 6) and set(np.unique(states)) <= {0.0, 1.0}
    gaussian = RBM(3, visible="gaussian", seed=0)
    gaussian.build((None, 2))
    assert np.isfinite(gaussian.exact_log_partition())
    assert np.all(np.isfinite(numpy(gaussian.sample(2, gibbs_steps=5, seed=1))))


def test_the_dbn_pretrains_and_unrolls_into_an_autoencoder_that_trains():
    x = binary_data(16, FEATURES)
    dbn = DeepBeliefNetwork([6, 3], seed=0)
    histories = dbn.pretrain(x, epochs=2, batch_size=8, optimizer=keras.optimizers.SGD(0.1),
                             shuffle=False)
    assert sorted(histories) == ["rbm_1", "rbm_2"]
    assert all(np.all(np.isfinite(history["reconstruction_error"]))
               for history in histories.values())
    features = numpy(dbn.rbms[0].transform(x))
    np.testing.assert_allclose(numpy(dbn.rbms[1].seen_visible_sum) / len(x) / 2,
                               features.mean(axis=0), rtol=1e-4)
    autoencoder = dbn.to_autoencoder()
    np.testing.assert_allclose(numpy(autoencoder.encode(x)), numpy(dbn(x)), rtol=1e-5,
                               atol=1e-6)
    autoencoder.compile(optimizer="adam")
    history = autoencoder.fit(x, batch_size=8, epochs=1, verbose=0).history
    assert all(np.all(np.isfinite(values)) for values in history.values())


@pytest.mark.skipif(keras.backend.backend() != "jax",
                    reason="the scan is the JAX trainer's (Keras' torch trainer takes one step "
                           "per call)")
def test_several_steps_per_call_run_in_one_scan_with_the_results_of_one_step_per_call():
    # 13 batches of 3 with 4 steps per call: three calls scanned, the last batch (1 row,
    # fewer steps) run alone.
    x = binary_data(37, FEATURES)
    results = []
    for steps_per_execution in (4, 1):
        rbm = RBM(4, persistent=True, num_persistent_chains=3, seed=0)
        rbm.compile(optimizer=keras.optimizers.SGD(0.1), steps_per_execution=steps_per_execution)
        history = rbm.fit(x, batch_size=3, epochs=2, verbose=0, shuffle=False)
        results.append((numpy_state(rbm), keras.ops.convert_to_numpy(rbm.kernel),
                        history.history))
    (scanned_state, scanned_kernel, scanned_logs), (state, kernel, logs) = results
    np.testing.assert_array_equal(scanned_kernel, kernel)
    for name, value in state.items():
        np.testing.assert_array_equal(scanned_state[name], value)
    assert scanned_logs == logs
