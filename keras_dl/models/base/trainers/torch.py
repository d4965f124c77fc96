"""The training step as Keras' torch trainer calls it: `train_step(data) -> logs`, run
eagerly (or under `torch.compile` with `jit_compile=True`), assigning variables in place.

The model's stateful step runs as it is. Gradients come from `torch.autograd.grad` of
the loss with respect to the values of the variables being trained only (where Keras'
own step calls `loss.backward()` and reads `variable.value.grad`): a GAN's two
gradient steps in one training step then take their gradients from their own loss
alone, and no `.grad` is left behind for the next step. The optimizer applies them
under `torch.no_grad()`, as Keras' step does. There is no data parallelism here: the
loss is the batch's.
"""

import contextlib

from keras import ops

from keras_dl.models.base.trainers import checks


class Steps:
    """`train_step`/`test_step` run the model's stateful steps as they are (Keras runs
    `test_step` under `torch.no_grad()`)."""

    def train_step(self, data):
        return self.training_step(data)

    def test_step(self, data):
        return self.evaluation_step(data)


def gradient_step(optimizer, variables, loss_fn):
    """`BaseModel.gradient_step` with `torch.autograd.grad` over the values of
    `variables` (None for a variable the loss does not depend on, as
    `tf.GradientTape` gives)."""
    import torch

    variables = list(variables)
    with torch.enable_grad():
        loss, aux = loss_fn()
        loss = ops.cast(loss, "float32")
        gradients = torch.autograd.grad(optimizer.scale_loss(loss),
                                        [variable.value for variable in variables],
                                        allow_unused=True)
    with torch.no_grad():
        optimizer.apply(list(gradients), variables)
    return loss, aux


def closed_form_gradient_step(optimizer, variables, gradients_fn):
    """`BaseModel.closed_form_gradient_step`: nothing to differentiate, so the gradients
    are computed and applied without recording a graph."""
    import torch

    with torch.no_grad():
        gradients, aux = gradients_fn()
        optimizer.apply([optimizer.scale_loss(gradient) for gradient in gradients],
                        list(variables))
    return aux


def check_steps(model):
    """Refuses training under a `tf.distribute` strategy, and a model whose own
    `train_step`/`test_step` is written in the JAX trainer's form, `(state, data)`
    (the torch trainer calls `(data)`)."""
    checks.refuse_tf_distribute(model)
    checks.refuse_foreign_steps(model, Steps, "jax", ("state", "data"))


def variable_scope(model):
    """No scope: variables live on Keras' torch device where they are created."""
    return contextlib.nullcontext()
