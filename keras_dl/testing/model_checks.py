"""Platform checks for keras_dl models (see the package docstring)."""

import functools
import os

import keras
import numpy as np

from keras_dl.utils.backend_ops import not_on_this_backend


def assert_keras_file_round_trip(model, inputs, directory, atol=1e-5):
    """Saves `model` to a `.keras` file, loads it in safe mode with no
    `custom_objects`, and checks the loaded model's predictions.

    Returns:
        The loaded model.
    """
    path = os.path.join(directory, f"{model.name}.keras")
    model.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    expected = model.predict(inputs, verbose=0)
    actual = restored.predict(inputs, verbose=0)
    for want, got in zip(keras.tree.flatten(expected), keras.tree.flatten(actual)):
        np.testing.assert_allclose(got, want, atol=atol, err_msg=f"{model.name} after .keras load")
    return restored


def assert_export_matches(model, inputs, directory, endpoints=None, atol=1e-5):
    """Exports `model` as a SavedModel and checks each endpoint against Keras.

    Args:
        model: the Keras model.
        inputs: the inputs to compare on (given to every endpoint).
        directory: where to write the SavedModel.
        endpoints: optional `{name: callable}` of the expected answers; defaults
            to `{"serve": model}` (inference mode).
        atol: absolute tolerance.
    """
    endpoints = endpoints or {"serve": lambda x: model(x, training=False)}
    path = os.path.join(directory, f"{model.name}_savedmodel")
    model.export(path, verbose=False)
    import tensorflow as tf  # SavedModels are TensorFlow's on every backend

    reloaded = tf.saved_model.load(path)
    for name, expected_fn in endpoints.items():
        served = getattr(reloaded, name)(inputs)
        expected = expected_fn(inputs)
        for want, got in zip(keras.tree.flatten(expected), keras.tree.flatten(served)):
            np.testing.assert_allclose(
                np.asarray(got), np.asarray(want), atol=atol, err_msg=f"endpoint {name!r}"
            )


@functools.cache
def two_replica_strategy():
    """A `MirroredStrategy` over two devices: two logical CPUs, or the first two GPUs.

    The logical CPUs must be configured before TensorFlow initialises its
    devices (`tf.config.set_logical_device_configuration`), as the test
    suite's conftest does. The strategy is created once per process: two
    MirroredStrategy objects over the same devices number their collective
    operations alike, and the second one's all-reduces then clash with the
    first one's ("Shape mismatch in the collective instance").

    TensorFlow only: on JAX, data parallelism is `keras.distribution.DataParallel`.
    """
    if keras.backend.backend() != "tensorflow":
        raise not_on_this_backend("tf.distribute.MirroredStrategy (two_replica_strategy; on JAX "
                                  "use keras.distribution.DataParallel)")
    import tensorflow as tf

    gpus = tf.config.list_logical_devices("GPU")
    devices = gpus if len(gpus) >= 2 else tf.config.list_logical_devices("CPU")
    if len(devices) < 2:
        raise RuntimeError(
            "two_replica_strategy needs two logical devices; split the CPU with "
            "tf.config.set_logical_device_configuration before TensorFlow starts"
        )
    return tf.distribute.MirroredStrategy([device.name for device in devices[:2]])


def fit_one_epoch_under_mirrored_strategy(build_and_compile, dataset):
    """Builds and compiles a model in a two-replica strategy scope and fits one epoch.

    Args:
        build_and_compile: a function returning a compiled model; called inside
            the strategy scope so that variables are mirrored.
        dataset: a batched `tf.data.Dataset` (its batches are split over the replicas).

    Returns:
        `(model, history)`.
    """
    strategy = two_replica_strategy()
    with strategy.scope():
        model = build_and_compile()
    assert model.distribute_strategy is strategy
    history = model.fit(dataset, epochs=1, verbose=0)
    return model, history
