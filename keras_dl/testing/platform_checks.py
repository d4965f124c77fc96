"""The platform checks (cells) every keras_dl model kind passes, as one harness.

    cell            what it checks for a model kind of `platform_cases.CASES`

    xla             compile(jit_compile=True) + fit: finite logs, one per metric
    mixed_float16   global policy: trains finite with loss scaling, variables float32,
                    .keras round trip under the policy, training goes on
    mixed_bfloat16  the same under bfloat16
    two_replicas    every compile form (with/without loss=, with metrics=) under a
                    two-replica MirroredStrategy; deterministic kinds end with the
                    weights of one replica with the same global batch
    keras_file      .keras round trip (safe mode, no custom_objects): same answers,
                    optimizer state, and (deterministic kinds) the same next epoch
    export          SavedModel endpoints answer like the Keras model
    uncompiled_file a built, never compiled model saves to .keras and loads with the
                    same answers, still uncompiled
    monitor         EarlyStopping without `mode` on every log that has a direction (and
                    its val_ form), ModelCheckpoint(save_best_only=True) and
                    ReduceLROnPlateau on one; logs without a direction ask for `mode`

The cells that need worker processes (several workers, kill and resume) run for every
kind in shared processes, in tests/models/test_platform_processes.py.

A model kind's test module runs every cell with `test_platform = platform_test("Kind")`.
"""

import keras
import numpy as np

from keras_dl.testing.model_checks import (
    assert_export_matches,
    assert_keras_file_round_trip,
    two_replica_strategy,
)
from keras_dl.testing.platform_cases import CASES, compile_case, serving_inputs

SAMPLES = 32


def fit(model, x, y, epochs=2, **kwargs):
    return model.fit(x, y, batch_size=8, epochs=epochs, verbose=0, shuffle=False, **kwargs).history


def assert_finite_logs(model, history):
    assert set(history) == set(model.get_metrics_result()), history
    for name, values in history.items():
        assert np.all(np.isfinite(values)), (name, values)


def trainable_arrays(model):
    return [np.asarray(weight) for weight in model.trainable_weights]


def check_xla(name, tmp_path):
    x, y = CASES[name].data(SAMPLES)
    model = compile_case(name, CASES[name].build(), jit_compile=True)
    assert_finite_logs(model, fit(model, x, y))


def check_mixed_precision(policy):
    def check(name, tmp_path):
        x, y = CASES[name].data(SAMPLES)
        keras.mixed_precision.set_global_policy(policy)
        try:
            model = compile_case(name, CASES[name].build())
            assert_finite_logs(model, fit(model, x, y))
            assert {weight.dtype for weight in model.weights} == {"float32"}, name
            if model.dtype_policy.name == "mixed_float16":  # not the float32 RBM and PCA
                assert all(isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
                           for optimizer in model.optimizers), name
            restored = assert_keras_file_round_trip(
                model, serving_inputs(name, x, y), str(tmp_path), atol=1e-2
            )
            assert_finite_logs(restored, fit(restored, x, y, epochs=1))
        finally:
            keras.mixed_precision.set_global_policy("float32")

    return check


def check_two_replicas(name, tmp_path):
    case = CASES[name]
    x, y = case.data(SAMPLES)
    strategy = two_replica_strategy()
    for form in case.compile_forms:
        single = compile_case(name, case.build(), form)
        single.build_from_data(x)
        with strategy.scope():
            mirrored = compile_case(name, case.build(), form)
        mirrored.build_from_data(x)
        mirrored.set_weights(single.get_weights())
        single_logs = single.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False).history
        mirrored_logs = mirrored.fit(x, y, batch_size=16, epochs=2, verbose=0,
                                     shuffle=False).history
        assert_finite_logs(mirrored, mirrored_logs)
        assert set(mirrored_logs) == set(single_logs), form
        if case.deterministic:
            for ours, theirs in zip(trainable_arrays(single), trainable_arrays(mirrored)):
                np.testing.assert_allclose(theirs, ours, atol=2e-5, err_msg=f"{name} {form}")
            for key in single_logs:
                np.testing.assert_allclose(mirrored_logs[key], single_logs[key], rtol=1e-4,
                                           err_msg=f"{name} {form} {key}")


def check_keras_file(name, tmp_path):
    case = CASES[name]
    x, y = case.data(SAMPLES)
    model = compile_case(name, case.build())
    fit(model, x, y, epochs=1)
    restored = assert_keras_file_round_trip(model, serving_inputs(name, x, y), str(tmp_path))
    assert len(restored.optimizers) == len(model.optimizers) >= 1, name
    for ours, theirs in zip(model.optimizers, restored.optimizers):
        assert len(theirs.variables) == len(ours.variables) > 1, name
        for mine, loaded in zip(ours.variables, theirs.variables):
            np.testing.assert_allclose(np.asarray(loaded), np.asarray(mine), atol=1e-6)
    if case.deterministic:
        fit(model, x, y, epochs=1)
        fit(restored, x, y, epochs=1)
        for ours, theirs in zip(trainable_arrays(model), trainable_arrays(restored)):
            np.testing.assert_allclose(theirs, ours, atol=1e-5)


def check_export(name, tmp_path):
    import tensorflow as tf  # SavedModels are TensorFlow's on every backend

    case = CASES[name]
    x, y = case.data(8)
    model = compile_case(name, case.build())
    fit(model, x, y, epochs=1)
    inputs = serving_inputs(name, x, y)
    endpoints = {"serve": lambda data: model(data, training=False)}
    endpoints.update({endpoint: getattr(model, endpoint) for endpoint in case.export_endpoints})
    assert_export_matches(model, inputs, str(tmp_path), endpoints=endpoints)
    reloaded = tf.saved_model.load(str(tmp_path / f"{model.name}_savedmodel"))
    assert_named_signatures(reloaded, ("serve", *case.export_endpoints))
    if not isinstance(inputs, (list, tuple)):  # the served endpoints take keyword inputs
        served = reloaded.serve(**{model.serving_input_name: inputs})
        np.testing.assert_allclose(served[model.serving_output_name],
                                   model(inputs, training=False), atol=1e-5)
    if case.generate_request is not None:  # the seed of the exported generator is optional
        request = tf.constant(case.generate_request)
        assert reloaded.generate(request)["samples"].shape[0] == 2
        np.testing.assert_allclose(reloaded.generate(request, tf.constant(3))["samples"],
                                   model.generate(case.generate_request, seed=3), atol=1e-5)
        np.testing.assert_allclose(reloaded.generate(request, seed=3)["samples"],
                                   model.generate(case.generate_request, seed=3), atol=1e-5)
        served = reloaded.signatures["generate"]
        assert set(served.structured_input_signature[1]) >= {"seed"}, name


def assert_named_signatures(reloaded, same_input_endpoints):
    """Every signature of the SavedModel `reloaded` names its inputs and outputs (none is
    Keras' `keras_tensor*` or TensorFlow's `output_0`), and the endpoints
    `same_input_endpoints` take inputs of the same names."""
    for endpoint, function in reloaded.signatures.items():
        inputs = function.structured_input_signature[1]
        assert not any(key.startswith(("keras_tensor", "args_")) for key in inputs), endpoint
        assert not any(key.startswith("output_") for key in function.structured_outputs), (
            endpoint, function.structured_outputs)
    input_names = {tuple(sorted(reloaded.signatures[endpoint].structured_input_signature[1]))
                   for endpoint in same_input_endpoints}
    assert len(input_names) == 1, input_names


def check_uncompiled_file(name, tmp_path):
    x, y = CASES[name].data(8)
    model = CASES[name].build()
    model.build_from_data(x)
    restored = assert_keras_file_round_trip(model, serving_inputs(name, x, y), str(tmp_path))
    assert not restored.compiled and not restored.optimizers, name  # it comes back as it was


def check_monitor(name, tmp_path):
    x, y = CASES[name].data(16)
    model = compile_case(name, CASES[name].build())
    directed = [log for log in model.tracker_names if log not in model.undirected_logs]
    assert directed, name
    monitors = [keras.callbacks.EarlyStopping(monitor=monitor, patience=5)
                for log in directed for monitor in (log, f"val_{log}")]
    monitors.append(keras.callbacks.ModelCheckpoint(
        str(tmp_path / "best.weights.h5"), monitor=f"val_{directed[0]}", save_best_only=True,
        save_weights_only=True))
    monitors.append(keras.callbacks.ReduceLROnPlateau(monitor=directed[0]))
    model.fit(x, y, batch_size=8, epochs=1, verbose=0, validation_data=(x, y),
              callbacks=monitors)
    for monitor in monitors:
        assert monitor.monitor_op is keras.ops.less, (name, monitor.monitor)
    for log in model.undirected_logs:
        try:
            model.fit(x, y, batch_size=8, epochs=1, verbose=0,
                      callbacks=[keras.callbacks.EarlyStopping(monitor=log)])
        except ValueError as error:
            assert "mode" in str(error), error
        else:
            raise AssertionError(f"{name}: EarlyStopping(monitor={log!r}) chose a direction")


CELLS = {
    "xla": check_xla,
    "mixed_float16": check_mixed_precision("mixed_float16"),
    "mixed_bfloat16": check_mixed_precision("mixed_bfloat16"),
    "two_replicas": check_two_replicas,
    "keras_file": check_keras_file,
    "export": check_export,
    "uncompiled_file": check_uncompiled_file,
    "monitor": check_monitor,
}


def platform_test(*kinds):
    """A pytest test running every cell for each of `kinds` (names in `CASES`).

    In a test module: `test_platform = platform_test("RBM", "RBM-persistent")`.
    """
    import pytest

    @pytest.mark.parametrize("cell", sorted(CELLS))
    @pytest.mark.parametrize("kind", kinds)
    def test_platform(kind, cell, tmp_path):
        CELLS[cell](kind, tmp_path)

    return test_platform
