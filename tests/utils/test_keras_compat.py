"""The Keras behaviours and attributes that `keras_dl.utils.keras_compat` relies on.

Each test fails loudly when an upgrade of Keras changes one of them."""

import inspect

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl.utils import keras_compat


def dense_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def test_compiled_metrics_is_the_compile_metrics_container():
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse")
    assert keras_compat.compiled_metrics(model) is None
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    metrics = keras_compat.compiled_metrics(model)
    assert metrics is not None and metrics in model.metrics


class WithoutTraining(keras.layers.Layer):
    def call(self, inputs):
        return inputs


def test_call_has_training_arg():
    assert keras_compat.call_has_training_arg(keras.layers.Dropout(0.5))
    assert not keras_compat.call_has_training_arg(WithoutTraining())


def test_keras_reduces_multi_worker_logs_along_axis_zero():
    from keras.src.backend.tensorflow import trainer

    source = inspect.getsource(trainer.reduce_per_replica)
    assert 'strategy.reduce("MEAN", v, axis=0)' in source
    logs = {"loss": tf.constant(1.0)}
    assert keras_compat.logs_reducible_across_workers(logs) is logs  # no multi-worker strategy


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_keras_wraps_only_its_own_optimizer_for_float16(policy):
    keras.mixed_precision.set_global_policy(policy)
    try:
        model = dense_model()
        model.compile(optimizer="sgd", loss="mse")
    finally:
        keras.mixed_precision.set_global_policy("float32")
    wrapped = isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert wrapped == (policy == "mixed_float16")


def test_layer_variables_hold_the_random_state_that_weights_leave_out():
    layer = keras.layers.Dropout(0.5, seed=1)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), layer])
    weight_ids = {id(w) for w in model.weights}
    extra = [v for v in model.variables if id(v) not in weight_ids]
    assert len(extra) == 1 and "seed" in extra[0].path


def test_sigmoid_outputs_carry_their_logits():
    head = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    x = tf.constant([[30.0, -2.0], [0.5, 1.0]])
    expected = head.layers[0].kernel.numpy()
    logits = x.numpy() @ expected + head.layers[0].bias.numpy()
    np.testing.assert_allclose(keras_compat.logits_of_sigmoid(head(x)), logits, rtol=1e-6)
    traced = tf.function(lambda inputs: keras_compat.logits_of_sigmoid(head(inputs)))
    np.testing.assert_allclose(traced(x), logits, rtol=1e-6)
    assert keras_compat.logits_of_sigmoid(tf.constant([0.5])) is None


def test_a_forked_stateless_scope_starts_from_the_enclosing_values_and_keeps_its_assignments():
    first, second = keras.Variable(1.0), keras.Variable(2.0)
    with keras.StatelessScope(state_mapping=[(first, 10.0), (second, 20.0)]) as enclosing:
        with keras_compat.ForkedStatelessScope([(second, 5.0)]) as fork:
            assert float(first.value) == 10.0 and float(second.value) == 5.0
            first.assign(11.0)
            assert float(first.value) == 11.0
        assert list(fork.assigned.values()) == [first]
        assert float(fork.get_current_value(first)) == 11.0
        assert float(first.value) == 10.0
        assert float(enclosing.get_current_value(first)) == 10.0
    with keras_compat.ForkedStatelessScope() as alone:  # no enclosing scope: the variables' own
        assert float(second.value) == 2.0
        second.assign(3.0)
    assert float(alone.get_current_value(second)) == 3.0 and float(second.numpy()) == 2.0


def test_the_compiled_loss_is_left_to_the_first_step_on_tensorflow_only():
    model = dense_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    x = np.ones((1, 3), "float32")
    keras_compat.build_compiled_metrics(model, lambda: (np.ones((1, 2), "float32"), model(x)))
    assert keras_compat.compiled_metrics(model).built
    assert model._compile_loss.built == (keras.backend.backend() != "tensorflow")


@pytest.mark.skipif(keras.backend.backend() != "jax",
                    reason="the JAX trainer's state (run with KERAS_BACKEND=jax)")
def test_a_callback_assignment_survives_the_jax_training_state():
    model = dense_model()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    bias = model.layers[0].bias

    class SetBias(keras.callbacks.Callback):
        def __init__(self, sync):
            super().__init__()
            self.sync = sync

        def on_train_batch_begin(self, batch, logs=None):
            if self.sync:
                keras_compat.sync_training_state(self.model)
            bias.assign(np.full(2, batch + 1.0))

    x, y = np.ones((4, 3), "float32"), np.ones((4, 2), "float32")
    model.fit(x, y, batch_size=2, verbose=0, callbacks=[SetBias(sync=False)])
    np.testing.assert_allclose(bias.numpy(), 1.0)  # the second batch's assignment was lost
    model.fit(x, y, batch_size=2, verbose=0, callbacks=[SetBias(sync=True)])
    np.testing.assert_allclose(bias.numpy(), 2.0)


def test_an_optimizer_lists_the_variables_it_was_built_for_in_order():
    optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1))
    variables = [keras.Variable(np.zeros(2)), keras.Variable(np.zeros(3))]
    optimizer.build(variables)
    assert [id(v) for v in keras_compat.optimizer_trainable_variables(optimizer)] == [
        id(v) for v in variables]


def test_portable_config_names_torch_optimizers_by_their_public_class():
    torch_adam = {"module": "keras.src.backend.torch.optimizers.torch_adam",
                  "class_name": "Adam", "config": {"learning_rate": 0.1},
                  "registered_name": "Adam"}
    config = {"optimizer": {"module": "keras.optimizers", "class_name": "LossScaleOptimizer",
                            "config": {"inner_optimizer": torch_adam},
                            "registered_name": None},
              "loss": [{"module": "keras.src.backend.x", "class_name": "NotAnOptimizer"}]}
    portable = keras_compat.portable_config(config)
    inner = portable["optimizer"]["config"]["inner_optimizer"]
    assert inner == {**torch_adam, "module": "keras.optimizers", "registered_name": None}
    assert portable["loss"] == config["loss"]
    optimizer = keras.saving.deserialize_keras_object(inner)
    assert type(optimizer).__name__ == "Adam"
    np.testing.assert_allclose(float(optimizer.learning_rate), 0.1)
