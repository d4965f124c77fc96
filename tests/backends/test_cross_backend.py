"""`.keras` files between backends, and data parallelism on JAX, in worker processes
(`backend_worker.py`): a backend is chosen once per process, and JAX's device count
before JAX starts.

Part of the JAX leg (`KERAS_BACKEND=jax python -m pytest tests/backends`): the workers
run on the backends they name, whatever this process runs on, so the TensorFlow leg
skips these tests instead of running them twice.
"""

import os
import subprocess
import sys

import keras
import pytest

from keras_dl.testing.platform_cases import CASES

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "jax",
    reason="the JAX leg runs these worker processes (KERAS_BACKEND=jax python -m pytest "
           "tests/backends)",
)

WORKER = os.path.join(os.path.dirname(__file__), "backend_worker.py")
KINDS = list(CASES)


def run_worker(backend, *arguments, environment=None):
    environment = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
                   **(environment or {})}
    result = subprocess.run([sys.executable, WORKER, *map(str, arguments)],
                            capture_output=True, text=True, timeout=600, env=environment)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    assert f"done {arguments[0]} {backend}" in result.stdout, result.stdout[-3000:]


def test_keras_files_saved_on_jax_load_on_tensorflow_and_back(tmp_path):
    """Every kind trained on JAX loads on TensorFlow with the same outputs and trains on
    there; what TensorFlow saves loads on JAX with TensorFlow's outputs and trains on.
    The deterministic kinds make the same epoch on both backends from the same file, and
    the Bernoulli RBMs have the same pseudo-likelihood on both."""
    on_jax, on_tensorflow, back_on_jax = (tmp_path / name for name in ("jax", "tf", "back"))
    for directory in (on_jax, on_tensorflow, back_on_jax):
        directory.mkdir()
    run_worker("jax", "save", on_jax, *KINDS)
    run_worker("tensorflow", "load", on_jax, on_tensorflow, *KINDS)
    run_worker("jax", "load", on_tensorflow, back_on_jax, *KINDS, "--same-step-from", on_jax)


def test_data_parallel_on_two_devices_equals_one_device():
    run_worker("jax", "data_parallel",
               environment={"XLA_FLAGS": "--xla_force_host_platform_device_count=2"})
