"""The checks before training shared by the backends other than TensorFlow: a model's own
`train_step`/`test_step` has the form the backend's Keras trainer calls (TensorFlow and
torch: `(data)`; JAX: `(state, data)`), and no `tf.distribute` strategy is in use."""

import inspect
import sys

from keras_dl.utils import backend_ops

# Keras' trainers by backend name, for the messages.
TRAINERS = {"tensorflow": "TensorFlow", "jax": "JAX"}


def refuse_foreign_steps(model, steps, foreign_backend, foreign_parameters):
    """Refuses a model whose own `train_step`/`test_step` (one other than `steps`'s)
    takes `foreign_parameters` (a tuple of names), the form the trainer of
    `foreign_backend` calls: such a model overrides `training_step`/`evaluation_step`
    instead, which run on every backend."""
    for name, hook in (("train_step", "training_step"), ("test_step", "evaluation_step")):
        step = getattr(type(model), name)
        if (step is not getattr(steps, name)
                and len(inspect.signature(step).parameters) == 1 + len(foreign_parameters)):
            raise backend_ops.not_on_this_backend(
                f"{type(model).__name__}.{name}({', '.join(foreign_parameters)}), written for "
                f"Keras' {TRAINERS[foreign_backend]} trainer (a model of its own step "
                f"overrides {hook}(data) instead),",
                foreign_backend,
            )


def refuse_tf_distribute(model):
    """Refuses to train under a `tf.distribute` strategy, which only Keras' TensorFlow
    trainer distributes (elsewhere the model would train on one device, unaware)."""
    tensorflow = sys.modules.get("tensorflow")
    if tensorflow is not None and tensorflow.distribute.has_strategy():
        raise backend_ops.not_on_this_backend(
            f"Training {type(model).__name__} under a tf.distribute strategy (on JAX, "
            "keras.distribution distributes a model)"
        )


def refuse_torch_compile_of_gradients(model):
    """On torch, refuses `jit_compile=True` for a model whose step differentiates
    gradients: `torch.compile` fails there (torch 2.14: "torch.compile with aot_autograd
    does not currently support double backward"; a batch Jacobian: "Cannot access data
    pointer of Tensor that doesn't have storage")."""
    if backend_ops.backend() == "torch":
        raise backend_ops.not_on_this_backend(
            f"{type(model).__name__} with jit_compile=True (torch.compile cannot "
            "differentiate the gradients its step takes; compile with jit_compile=False "
            "or 'auto' on torch)",
            "tensorflow or KERAS_BACKEND=jax",
        )
