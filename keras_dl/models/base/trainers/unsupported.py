"""The backends keras_dl's models do not train on (numpy, openvino): every step says so."""

import contextlib

from keras_dl.utils.backend_ops import not_on_this_backend

ALTERNATIVES = "tensorflow, KERAS_BACKEND=jax or KERAS_BACKEND=torch"


def _refusal(model):
    return not_on_this_backend(f"Training or evaluating {type(model).__name__}",
                               ALTERNATIVES)


class Steps:
    """`train_step`/`test_step` refuse, naming the backends that train keras_dl models."""

    def _refuse(self, *args, **kwargs):
        raise _refusal(self)

    train_step = test_step = _refuse


def gradient_step(optimizer, variables, loss_fn):
    raise not_on_this_backend("A keras_dl gradient step", ALTERNATIVES)


closed_form_gradient_step = gradient_step


def check_steps(model):
    """Refuses every model before training: no step runs on this backend."""
    raise _refusal(model)


def variable_scope(model):
    return contextlib.nullcontext()

