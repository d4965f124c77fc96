"""`.keras` files between TensorFlow and the backend of this process, and data parallelism
on JAX, in worker processes (`backend_worker.py`): a backend is chosen once per process,
and JAX's device count before JAX starts.

Part of the JAX and torch legs (`KERAS_BACKEND=jax python -m pytest tests/backends`,
`KERAS_BACKEND=torch ...`); the TensorFlow leg skips these tests (each other leg runs
its exchange with TensorFlow).
"""

import os
import subprocess
import sys

import keras
import pytest

from keras_dl.testing.platform_cases import CASES

BACKEND = keras.backend.backend()
pytestmark = [
    pytest.mark.skipif(
        BACKEND == "tensorflow",
        reason="the JAX and torch legs run these worker processes (KERAS_BACKEND=jax or torch "
               "python -m pytest tests/backends)",
    ),
    pytest.mark.slow,  # they start processes of their own
]

WORKER = os.path.join(os.path.dirname(__file__), "backend_worker.py")
KINDS = list(CASES)


def run_worker(backend, *arguments, environment=None):
    environment = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
                   **(environment or {})}
    result = subprocess.run([sys.executable, WORKER, *map(str, arguments)],
                            capture_output=True, text=True, timeout=600, env=environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert f"done {arguments[0]} {backend}" in result.stdout, result.stdout[-3000:]


def test_keras_files_saved_here_load_on_tensorflow_and_back(tmp_path):
    pytest.importorskip("tensorflow", reason="the exchange with TensorFlow needs TensorFlow")
    """Every kind trained on this backend loads on TensorFlow with the same outputs and
    trains on there; what TensorFlow saves loads here with TensorFlow's outputs and trains
    on. The deterministic kinds make the same epoch on both backends from the same file,
    and the Bernoulli RBMs have the same pseudo-likelihood on both."""
    here, on_tensorflow, back_here = (tmp_path / name for name in ("here", "tf", "back"))
    for directory in (here, on_tensorflow, back_here):
        directory.mkdir()
    run_worker(BACKEND, "save", here, *KINDS)
    run_worker("tensorflow", "load", here, on_tensorflow, *KINDS)
    run_worker(BACKEND, "load", on_tensorflow, back_here, *KINDS, "--same-step-from", here)


@pytest.mark.skipif(BACKEND != "jax", reason="keras.distribution runs on JAX only")
def test_data_parallel_on_two_devices_equals_one_device():
    run_worker("jax", "data_parallel",
               environment={"XLA_FLAGS": "--xla_force_host_platform_device_count=2"})
