"""The training step as Keras' JAX trainer calls it: `train_step(state, data) ->
(logs, new_state)`, a pure function (jit-compiled unless `run_eagerly`) of the state
`(trainable, non_trainable, optimizer, metrics)` variable values.

The model's stateful step runs unchanged inside a `keras.StatelessScope` seeded with
the state: reads see the state's values, assignments (optimizer updates, trackers and
metrics, seed generators, moving statistics) are recorded in the scope, and the new
state is read back from it. Gradients come from `jax.grad` over the values of the
variables being trained (`gradient_step`); the optimizer's `apply` runs in the scope,
like Keras' own `optimizer.stateless_apply`. Only `model.optimizer`'s variables travel
in the state: a model with several optimizers exposes them all as one
`OptimizerGroup` (`BaseModel.share_optimizers`). Data parallelism is `keras.distribution`'s: the
step sees the global batch, so no loss is divided by replicas here.

With `steps_per_execution > 1` a compiled call runs its batches in one `lax.scan`
(`Steps.make_train_function`): Keras' JAX trainer calls the compiled step from Python
once per batch, which at small steps costs more than the step (an RBM at batch 10:
0.31 against 0.19 s/epoch on a 2-core CPU, benchmarks/RESULTS.md).
"""

import contextlib
import itertools

import keras
from keras import ops

from keras_dl.models.base.trainers import checks
from keras_dl.utils import backend_ops, keras_compat


class Steps:
    """`train_step`/`test_step` in the JAX trainer's stateless form."""

    def train_step(self, state, data):
        optimizer_variables = [] if self.optimizer is None else self.optimizer.variables
        variables = (self.trainable_variables, self.non_trainable_variables,
                     optimizer_variables, self.metrics_variables)
        return run_stateless(variables, state, lambda: self.training_step(data))

    def test_step(self, state, data):
        variables = (self.trainable_variables, self.non_trainable_variables,
                     self.metrics_variables)
        return run_stateless(variables, state, lambda: self.evaluation_step(data))

    def make_train_function(self, force=False):
        """Keras' train function, except that with `steps_per_execution > 1` (jit-compiled,
        no `keras.distribution`) a call runs its steps in one compiled `lax.scan` over
        the stacked batches (`scanned_steps`), where Keras' JAX trainer calls the compiled
        step once per batch from Python. The same steps run in the same order."""
        if self.train_function is not None and not force:
            return
        super().make_train_function(force=force)
        if (self.steps_per_execution > 1 and self.jit_compile and not self.run_eagerly
                and keras.distribution.distribution() is None):
            self.train_function = scanned_steps(self.train_step, self.steps_per_execution)


def scanned_steps(train_step, steps):
    """`iterator_step(state, iterator) -> (logs, state)` running up to `steps` batches of
    `iterator` through `train_step`: `steps` batches of one structure and shape in one
    compiled `lax.scan` (returning the last step's logs, as Keras does), fewer (the end
    of an epoch) or of different shapes one compiled step each."""
    import jax

    def scan(state, batches):
        # The batches are stacked inside the compiled function, not on the host.
        stacked = jax.tree_util.tree_map(lambda *leaves: ops.stack(leaves), *batches)
        state, logs = jax.lax.scan(lambda state, data: train_step(state, data)[::-1], state,
                                   stacked)
        return jax.tree_util.tree_map(lambda log: log[-1], logs), state

    scan, single = jax.jit(scan, donate_argnums=0), jax.jit(train_step, donate_argnums=0)

    def iterator_step(state, iterator):
        batches = tuple(itertools.islice(iterator, steps))
        if not batches:
            raise StopIteration
        signatures = {(jax.tree_util.tree_structure(data),
                       tuple(ops.shape(leaf) for leaf in jax.tree_util.tree_leaves(data)))
                      for data in batches}
        if len(batches) == steps and len(signatures) == 1:
            return scan(state, batches)
        for data in batches:
            logs, state = single(state, data)
        return logs, state

    return iterator_step


def gradient_step(optimizer, variables, loss_fn):
    """`BaseModel.gradient_step` with `jax.grad` over the values of `variables`, the loss
    computed in a stateless scope forked from the step's."""
    import jax

    variables = list(variables)

    def objective(values):
        loss, aux = loss_fn()
        loss = ops.cast(loss, "float32")
        return optimizer.scale_loss(loss), (loss, aux)

    gradients, (loss, aux) = backend_ops.jax_stateful_transform(
        jax.grad, objective, [variable.value for variable in variables],
        overrides=lambda values: zip(variables, values),
    )
    apply_gradients(optimizer, gradients, variables)
    return loss, aux


def closed_form_gradient_step(optimizer, variables, gradients_fn):
    """`BaseModel.closed_form_gradient_step`: nothing to differentiate, the update is
    assigned in the step's stateless scope."""
    gradients, aux = gradients_fn()
    apply_gradients(optimizer, [optimizer.scale_loss(gradient) for gradient in gradients],
                    list(variables))
    return aux


def apply_gradients(optimizer, gradients, variables):
    """`optimizer.apply(gradients, variables)` inside the step's stateless scope.

    A `LossScaleOptimizer` chooses between assignments with `ops.cond`, which a
    traced JAX function cannot do (the assignments would leak tracers out of the
    branches); its `stateless_apply` computes the new values instead, for all the
    variables it was built for, which are then assigned in the scope.
    """
    if not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        optimizer.apply(gradients, variables)
        return
    built = keras_compat.optimizer_trainable_variables(optimizer)
    gradient_of = {id(variable): gradient for variable, gradient in zip(variables, gradients)}
    if set(gradient_of) != {id(variable) for variable in built}:
        raise ValueError(
            "On JAX a LossScaleOptimizer updates all the variables it was built for at once: "
            f"received gradients for {len(gradient_of)} variables, it was built for {len(built)}"
        )
    new_values, new_optimizer_values = optimizer.stateless_apply(
        [variable.value for variable in optimizer.variables],
        [gradient_of[id(variable)] for variable in built],
        [variable.value for variable in built],
    )
    for variable, value in zip(list(built) + optimizer.variables,
                               list(new_values) + list(new_optimizer_values)):
        variable.assign(value)


def run_stateless(variable_lists, value_lists, function):
    """Runs the stateful `function()` in a `keras.StatelessScope` where each variable
    of `variable_lists` holds its value of `value_lists`.

    Returns:
        `(function(), new_value_lists)`: the values of the same variables after
        the assignments that `function` made.
    """
    mapping = []
    for variables, values in zip(variable_lists, value_lists):
        if len(variables) != len(values):
            raise ValueError(
                f"The JAX training state holds {len(values)} values for {len(variables)} "
                "variables: the model created or dropped variables after fit() began"
            )
        mapping.extend(zip(variables, values))
    with keras.StatelessScope(state_mapping=mapping) as scope:
        outputs = function()
    new_values = tuple(
        [scope.get_current_value(variable) for variable in variables]
        for variables in variable_lists
    )
    return outputs, new_values


def check_steps(model):
    """Refuses training under a `tf.distribute` strategy, and a model whose own
    `train_step`/`test_step` is written in the TensorFlow trainer's form,
    `(data) -> logs` (the JAX trainer calls `(state, data)`)."""
    checks.refuse_tf_distribute(model)
    checks.refuse_foreign_steps(model, Steps, "tensorflow", ("data",))


def variable_scope(model):
    """No scope: `keras.distribution` lays variables out where they are created."""
    return contextlib.nullcontext()

