"""The RBM's compile policy (`compile_policy.ManyStepsPerCall`): 32 steps per call by
default on one replica, 1 under two, with the same training; the default saved as such."""

import keras
import numpy as np

from keras_dl.models import RBM
from keras_dl.models.energy import compile_policy
from keras_dl.testing.model_checks import two_replica_strategy


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


def test_the_default_is_saved_as_none_and_an_explicit_choice_as_given():
    rbm = RBM(4, seed=0)
    rbm.compile(optimizer="sgd")
    assert rbm.steps_per_execution == compile_policy.DEFAULT_STEPS_PER_EXECUTION
    assert rbm.get_compile_config()["steps_per_execution"] is None
    rbm.compile(optimizer="sgd", steps_per_execution=3)
    assert rbm.get_compile_config()["steps_per_execution"] == 3
