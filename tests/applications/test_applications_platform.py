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

# Small inputs keep these checks fast; the default sizes are tested elsewhere.
CLASSIFIERS = {
    "ResNet18": lambda: applications.ResNet18(input_shape=(32, 32, 3), classes=4),
    "ResNet18v2": lambda: applications.ResNet18(
        input_shape=(32, 32, 3), classes=4, preactivation=True
    ),
    "ResNet20": lambda: applications.ResNet20(input_shape=(16, 16, 3), classes=4),
    "NiN": lambda: applications.NiN(input_shape=(16, 16, 3), classes=4),
    "GoogLeNet": lambda: applications.GoogLeNet(input_shape=(32, 32, 3), classes=4),
    "CNNLSTM": lambda: applications.CNNLSTM(input_shape=(3, 16, 16, 1), classes=4, lstm_units=8),
    "DCGANDiscriminator": lambda: applications.DCGANDiscriminator(
        input_shape=(28, 28, 1), filters=8
    ),
}
# XLA compiles the v2 ordering in its bottleneck form (the mixed-precision checks
# of the bottleneck blocks are Keras' layer checks in tests/layers/test_residual_block.py).
XLA_CLASSIFIERS = {
    **{name: build for name, build in CLASSIFIERS.items() if name != "ResNet18v2"},
    "ResNet50v2": lambda: applications.ResNet50(
        input_shape=(32, 32, 3), classes=4, preactivation=True
    ),
}


def classification_data(model, batch=4):
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(batch,) + tuple(model.input_shape[1:])).astype("float32")
    outputs = model.output_shape[-1]
    y = (
        rng.integers(0, max(outputs, 2), size=(batch,))
        if outputs > 1
        else rng.integers(0, 2, (batch, 1))
    )
    return x, y.astype("float32") if outputs == 1 else y


def compile_for(model, jit_compile):
    loss = (
        keras.losses.BinaryCrossentropy(from_logits=True)
        if model.output_shape[-1] == 1
        else "sparse_categorical_crossentropy"
    )
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss=loss, jit_compile=jit_compile)
    return model


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
    generator = applications.DCGANGenerator(latent_dim=8, output_shape=(28, 28, 1), filters=8)
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
