"""Test configuration shared by the tests and the doctests.

Silences TensorFlow's start-up log noise, splits the CPU into two logical
devices (so `tf.distribute.MirroredStrategy` can be tested on two replicas),
seeds every random generator before each test, and runs the tests in worker
processes (`keras_dl.testing.worker_processes`).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import pytest

pytest_plugins = ["keras_dl.testing.worker_processes"]

try:
    import tensorflow as tf
except ImportError:  # the JAX and torch legs run without TensorFlow too
    tf = None
if tf is not None:
    tf.get_logger().setLevel("ERROR")
    _cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        _cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
    )


@pytest.fixture(autouse=True)
def _seed_everything():
    keras.utils.set_random_seed(1234)
    yield


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace["keras"] = keras
    doctest_namespace["np"] = np
