"""The platform cells that run in worker processes, shared by every model kind:

    multi_worker    (slow) fit under MultiWorkerMirroredStrategy, two local worker
                    processes: same weights on both; deterministic kinds equal one
                    process with the same global batch
    kill_resume     (slow) SIGKILL in a fit after epoch 2's backup, restart with
                    BackupAndRestore: the final weights equal an uninterrupted run's

Each model kind's own test module runs the in-process cells
(`keras_dl.testing.platform_checks`); `test_every_model_kind_runs_the_platform_cells`
checks that none is left out.
"""

import ast
import glob
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing.platform_cases import CASES

KINDS = sorted(CASES)
TESTS = os.path.dirname(os.path.dirname(__file__))
WORKER = os.path.join(os.path.dirname(__file__), "platform_worker.py")


def run_workers(mode, out_dir):
    """Runs `platform_worker.py` for every kind; returns `{kind: {role: weights}}`."""
    command = [sys.executable, WORKER, "--mode", mode, "--out", str(out_dir)]
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, env=environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with open(os.path.join(out_dir, "summary.json")) as file:
        summary = json.load(file)
    return {kind: {role: [np.load(path) for path in paths] for role, paths in roles.items()}
            for kind, roles in summary.items()}


@pytest.fixture(scope="module")
def multi_worker_weights(tmp_path_factory):
    return run_workers("multi_worker", tmp_path_factory.mktemp("multi_worker"))


@pytest.fixture(scope="module")
def resumed_weights(tmp_path_factory):
    return run_workers("kill_resume", tmp_path_factory.mktemp("kill_resume"))


def assert_same_weights(first, second, atol, message):
    assert len(first) == len(second), message
    for a, b in zip(first, second):
        np.testing.assert_allclose(b, a, atol=atol, err_msg=message)


@pytest.mark.slow
@pytest.mark.parametrize("name", KINDS)
def test_multi_worker(name, multi_worker_weights):
    weights = multi_worker_weights[name]
    assert_same_weights(weights["worker_0"], weights["worker_1"], 0.0, f"{name}: workers differ")
    for array in weights["worker_0"]:
        assert np.all(np.isfinite(array)), name
    if CASES[name].deterministic:
        assert_same_weights(weights["worker_0"], weights["single"], 2e-5,
                            f"{name}: two workers differ from one process")


@pytest.mark.slow
@pytest.mark.parametrize("name", KINDS)
def test_kill_and_resume(name, resumed_weights):
    weights = resumed_weights[name]
    assert_same_weights(weights["uninterrupted"], weights["resumed"], 0.0,
                        f"{name}: the resumed run ends elsewhere")


def test_the_models_package_is_covered():
    covered = {type(CASES[name].build()).__name__ for name in KINDS}
    assert covered >= set(models.__all__) - {"BaseModel", "NonFiniteLossError", "DeepBeliefNetwork"}


def platform_test_kinds(path):
    """The kinds that `platform_test(...)` calls in the test module at `path` name."""
    with open(path) as file:
        tree = ast.parse(file.read())
    return {argument.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "platform_test"
            for argument in node.args if isinstance(argument, ast.Constant)}


def test_every_model_kind_runs_the_platform_cells():
    paths = glob.glob(os.path.join(TESTS, "**", "test_*.py"), recursive=True)
    assert set().union(*map(platform_test_kinds, paths)) == set(KINDS)
