"""examples/model_parallel.py as a user runs it: a wide autoencoder split over two virtual
CPU devices with `keras.distribution.ModelParallel` (the JAX leg)."""

import os
import re
import subprocess
import sys

import keras
import pytest

pytestmark = [
    pytest.mark.skipif(
        keras.backend.backend() != "jax",
        reason="ModelParallel is JAX's (KERAS_BACKEND=jax python -m pytest tests/backends)",
    ),
    pytest.mark.slow,  # it starts a process of its own
]

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "model_parallel.py")


def test_the_wide_layers_are_split_and_train_as_on_one_device():
    result = subprocess.run(
        [sys.executable, EXAMPLE, "--devices", "2", "--width", "256", "--epochs", "2"],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    splits = dict(re.findall(r"^(\S+/kernel)\s+\(.*?\)\s+split (\(.*\))$", result.stdout, re.M))
    assert splits == {
        "encoder/wide_in/kernel": "(None, 'model')",
        "encoder/code/kernel": "('model', None)",
        "decoder/wide_out/kernel": "(None, 'model')",
        "decoder/reconstruction/kernel": "('model', None)",
    }, result.stdout
    difference = float(re.search(r"largest weight difference .*: (\S+)$", result.stdout,
                                 re.M).group(1))
    assert difference < 1e-5, result.stdout
