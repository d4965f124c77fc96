"""Every application trains with XLA and on two replicas, saves, loads and exports."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import applications
from keras_dl.testing import (
    assert_export_matches,
    assert_keras_file_round_trip,
    fit_one_epoch_under_mirrored_strategy,
)
from keras_dl.testing.application_cases import (
    CLASSIFIERS,
    classification_data,
    compile_for,
    small_dcgan_generator,
)

# XLA compiles the v2 ordering in its bottleneck form (the mixed-precision checks
# of the bottleneck blocks are Keras' layer checks in tests/layers/test_residual_block.py).
XLA_CLASSIFIERS = {
    **{name: build for name, build in CLASSIFIERS.items() if name != "ResNet18v2"},
    "ResNet50v2": lambda: applications.ResNet50(
        input_shape=(32, 32, 3), classes=4, preactivation=True
    ),
}


@pytest.mark.parametrize("name", sorted(XLA_CLASSIFIERS))
def test_trains_with_xla_round_trips_and_exports(name, tmp_path):
    model = compile_for(XLA_CLASSIFIERS[name](), jit_compile=True)
    x, y = classification_data(model)
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    assert_keras_file_round_trip(model, x, str(tmp_path))
    assert_export_matches(model, x, str(tmp_path))


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_trains_under_mirrored_strategy(name):
    builder = CLASSIFIERS[name]
    x, y = classification_data(builder(), batch=4)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    model, history = fit_one_epoch_under_mirrored_strategy(
        lambda: compile_for(builder(), jit_compile=False), dataset
    )
    assert model.distribute_strategy.num_replicas_in_sync == 2
    assert np.isfinite(history.history["loss"][-1])


def test_dcgan_generator_trains_with_xla_round_trips_and_exports(tmp_path):
    generator = small_dcgan_generator()
    generator.compile(optimizer="sgd", loss="mse", jit_compile=True)
    z = np.random.default_rng(0).normal(size=(4, 8)).astype("float32")
    generator.fit(z, np.zeros((4, 28, 28, 1), "float32"), batch_size=2, verbose=0)
    assert_keras_file_round_trip(generator, z, str(tmp_path))
    assert_export_matches(generator, z, str(tmp_path))


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_trains_under_mixed_precision_and_round_trips(name, policy, tmp_path):
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = compile_for(CLASSIFIERS[name](), jit_compile=False)
        x, y = classification_data(model)
        history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)
        assert np.isfinite(history.history["loss"][-1])
        assert {weight.dtype for weight in model.weights} == {"float32"}
        assert model.layers[-1].compute_dtype == policy.split("_")[1]
        restored = assert_keras_file_round_trip(model, x, str(tmp_path), atol=1e-2)
        assert np.isfinite(restored.fit(x, y, batch_size=2, verbose=0).history["loss"][-1])
    finally:
        keras.mixed_precision.set_global_policy("float32")
