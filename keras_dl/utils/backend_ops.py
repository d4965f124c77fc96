"""The few operations keras_dl needs that Keras has no op for, one branch per backend.

- `input_gradients(function, inputs)`: the gradient of `sum(function(inputs))`
  with respect to `inputs` (the WGAN-GP penalty);
- `batch_jacobian(function, inputs)`: each sample's Jacobian of `function`'s
  output with respect to its input (the contractive autoencoder);
- `is_traced(tensor)`: whether `tensor` is a placeholder of a traced function
  rather than a value (checks that need values skip it);
- `normal_from_seed(shape, seed, stream=0)` and `uniform_from_seed(...)`:
  standard normal and U[0, 1) draws from an int seed or an int tensor (a served
  SavedModel's `seed` input, a compiled loop's counter), the same numbers for
  the same seed and stream;
- `compiled(function, sizes=())`: `function` compiled for the backend (a
  `tf.function`, `jax.jit`; torch runs it eagerly), for loops that run outside a
  training step;
- `register_static(cls)`: on JAX, instances of `cls` are static parts of the
  arguments of compiled functions.

`function` may be stateful Keras code (layers that draw random numbers or
update moving statistics): on TensorFlow it runs under a `tf.GradientTape`, on
JAX inside the transformation (`jax.grad`, `jax.jacrev`) in a stateless scope
forked from the current one, and what it assigns is assigned afterwards, as
TensorFlow would have (`jax_stateful_transform`); on torch it runs eagerly with
autograd recording (`torch.autograd.grad`).
"""

import keras
from keras import ops

from keras_dl.utils import keras_compat


def backend():
    return keras.backend.backend()


def not_on_this_backend(what, alternative="tensorflow"):
    """The `NotImplementedError` for `what`, which the current backend cannot do."""
    return NotImplementedError(
        f"{what} is not available on the {backend()} backend of keras_dl; it runs with "
        f"KERAS_BACKEND={alternative}"
    )


def jax_stateful_transform(transform, function, argument, overrides=lambda argument: ()):
    """`transform(pure)(argument)` for stateful Keras code on JAX.

    `pure(argument)` runs `function(argument)` in a stateless scope forked
    from the current one (`keras_compat.ForkedStatelessScope`) in which the
    variables `overrides(argument)` gives (pairs `(variable, value)`) take
    those values, and returns `(output, aux)`, where `function` returns
    `(output, aux)`; `transform` must take `has_aux=True` (`jax.grad`,
    `jax.value_and_grad`, `jax.jacrev`). The variables that `function`
    assigned are assigned their new values after the transformation, in the
    current scope, so no traced value leaks out of it.

    Returns:
        `(result, aux)`: what `transform(pure, has_aux=True)(argument)` computes
        (gradients, a Jacobian) and `function`'s `aux`.
    """
    assigned = []

    def pure(value):
        with keras_compat.ForkedStatelessScope(overrides(value)) as scope:
            output, aux = function(value)
        assigned[:] = list(scope.assigned.values())
        return output, (aux, [scope.get_current_value(variable) for variable in assigned])

    result, (aux, new_values) = transform(pure, has_aux=True)(argument)
    for variable, value in zip(assigned, new_values):
        variable.assign(value)
    return result, aux


def _taped(function, inputs):
    """`(tape, function(inputs))`, `inputs` watched by the TensorFlow `tape`."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = function(inputs)
    return tape, outputs


def _torch_input_gradients(function, inputs, target_fn):
    """`(gradients, outputs)` on torch, where `outputs = function(inputs)`, `target_fn(outputs)`
    gives `(target, grad_outputs)` and `gradients` is d target / d inputs (for each row
    of `grad_outputs` when it is not None, as a leading axis).

    The graph is recorded even under `torch.no_grad()` (Keras' torch test step), and
    the gradients can be differentiated in turn (`create_graph`), as a penalty needs.
    """
    import torch

    with torch.enable_grad():
        if not inputs.requires_grad:
            inputs = inputs.detach().requires_grad_()
        outputs = function(inputs)
        target, grad_outputs = target_fn(outputs)
        gradients = torch.autograd.grad(target, inputs, grad_outputs=grad_outputs,
                                        is_grads_batched=grad_outputs is not None,
                                        create_graph=True)[0]
    return gradients, outputs


def input_gradients(function, inputs):
    """d sum(function(inputs)) / d inputs, of float32 `inputs`."""
    if backend() == "tensorflow":
        tape, outputs = _taped(function, inputs)
        return tape.gradient(outputs, inputs)
    if backend() == "jax":
        import jax

        gradients, _ = jax_stateful_transform(
            jax.grad, lambda x: (ops.sum(ops.cast(function(x), "float32")), None), inputs
        )
        return gradients
    if backend() == "torch":
        return _torch_input_gradients(
            function, inputs, lambda outputs: (ops.sum(ops.cast(outputs, "float32")), None))[0]
    raise not_on_this_backend("Differentiating with respect to inputs (WGAN-GP)")


def batch_jacobian(function, inputs):
    """`J[i] = d function(inputs)[i] / d inputs[i]` for every sample `i`, shape
    `(batch, *output_shape[1:], *input_shape[1:])`, for a `function` whose
    samples do not depend on each other (as `tf.GradientTape.batch_jacobian`
    assumes)."""
    if backend() == "tensorflow":
        tape, outputs = _taped(function, inputs)
        return tape.batch_jacobian(outputs, inputs)
    if backend() == "jax":
        import jax

        # Samples are independent: the Jacobian of the outputs summed over the batch
        # holds each sample's Jacobian, (*output_shape[1:], batch, *input_shape[1:]).
        jacobian, _ = jax_stateful_transform(
            jax.jacrev, lambda x: (ops.sum(function(x), axis=0), None), inputs
        )
    elif backend() == "torch":

        def summed(outputs):
            flat = ops.reshape(ops.sum(outputs, axis=0), (-1,))
            # One backward pass per output unit, batched over the rows of the identity.
            return flat, ops.eye(flat.shape[0], dtype=flat.dtype)

        jacobian, outputs = _torch_input_gradients(function, inputs, summed)
        jacobian = ops.reshape(jacobian, (*outputs.shape[1:], *inputs.shape))
    else:
        raise not_on_this_backend("The contractive autoencoder's Jacobian")
    output_rank = len(jacobian.shape) - len(inputs.shape)
    return ops.moveaxis(jacobian, output_rank, 0)


def is_traced(tensor):
    """Whether `tensor` is a placeholder of a function being traced (a TensorFlow
    graph tensor, a JAX tracer, a tensor under `torch.compile`), not a value that
    Python can inspect."""
    if backend() == "tensorflow":
        import tensorflow as tf

        return not tf.executing_eagerly()
    if backend() == "jax":
        import jax

        return isinstance(tensor, jax.core.Tracer)
    if backend() == "torch":
        import torch

        return torch.compiler.is_compiling()
    return False


def normal_from_seed(shape, seed, stream=0):
    """Standard normal draws for an int `seed` or an int scalar tensor `seed`.

    An int (stream 0) draws with `keras.random.normal(shape, seed=seed)`; a
    tensor seed (traced, e.g. the `seed` input of an exported endpoint) or a
    `stream` (an int or int tensor, e.g. a loop counter) draws the numbers of
    the seed `[seed, stream]`: TensorFlow's stateless normal, JAX's normal
    with that key (the same numbers as the int for stream 0), or on torch
    Keras' normal with the 32-bit seed `seed + stream * STREAM_MULTIPLIER`
    (tensors read eagerly).
    """
    return _draw_from_seed("normal", shape, seed, stream)


def uniform_from_seed(shape, seed, stream=0):
    """U[0, 1) draws for an int or int tensor `seed` and `stream`, as `normal_from_seed`
    draws normal ones."""
    return _draw_from_seed("uniform", shape, seed, stream)


# An odd 32-bit constant (2**32 / golden ratio) that spreads the streams of a seed apart.
STREAM_MULTIPLIER = 0x9E3779B9


def _draw_from_seed(distribution, shape, seed, stream):
    keras_draw = getattr(keras.random, distribution)
    if not ops.is_tensor(seed) and not ops.is_tensor(stream) and stream == 0:
        return keras_draw(shape, seed=int(seed))
    if backend() == "tensorflow":
        import tensorflow as tf

        seed = tf.stack([tf.cast(seed, tf.int32), tf.cast(stream, tf.int32)])
        return getattr(tf.random, f"stateless_{distribution}")(shape, seed=seed)
    if backend() == "jax":
        # int32 first: a negative stream wraps around (-1: 2**32 - 1), as TensorFlow's does.
        key = ops.stack([ops.cast(ops.cast(part, "int32"), "uint32") for part in (seed, stream)])
        return keras_draw(shape, seed=key)
    if backend() == "torch":
        # Keras seeds torch's generator with 32 bits: the pair is mixed into them (an
        # eager value), the seed itself for stream 0.
        mixed = (int(seed) + int(stream) * STREAM_MULTIPLIER) & 0xFFFFFFFF
        return keras_draw(shape, seed=mixed)
    raise not_on_this_backend(f"{distribution.capitalize()} draws from a tensor seed")


def compiled(function, sizes=()):
    """`function` compiled for the backend: a `tf.function` (`reduce_retracing`) on
    TensorFlow, `jax.jit` on JAX, `function` itself elsewhere.

    The arguments named in `sizes` are Python ints that give shapes: static on
    JAX (a compilation per value), int32 tensors on TensorFlow (one graph for
    every value). Pass them by name; other int arguments that vary (a seed, a
    number of steps) go in as tensors. `function` assigns no variable.
    """
    if backend() == "tensorflow":
        import tensorflow as tf

        traced = tf.function(function, reduce_retracing=True)

        def call(*args, **kwargs):
            kwargs.update({name: tf.constant(kwargs[name], tf.int32) for name in sizes})
            return traced(*args, **kwargs)

        return call
    if backend() == "jax":
        import jax

        return jax.jit(function, static_argnames=tuple(sizes))
    return function


def register_static(cls):
    """A class decorator: on JAX, instances of `cls` are static in the arguments of
    compiled functions (pytree nodes without leaves, compared by `==`), so that
    structures holding arrays and such an object (`RBMWeights` and its visible
    units) pass through `compiled` functions. Does nothing on the other backends."""
    if backend() == "jax":
        import jax

        jax.tree_util.register_static(cls)
    return cls
