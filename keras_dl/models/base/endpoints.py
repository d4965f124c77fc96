"""SavedModel export with the `serve` endpoint and a model's extra endpoints, each with
named inputs and a named output."""

import collections
import inspect

import keras

from keras_dl.models.base.batch_utils import tensor_specs
from keras_dl.utils.backend_ops import not_on_this_backend

Endpoint = collections.namedtuple("Endpoint", "function output signatures")
Endpoint.__doc__ = """An extra SavedModel endpoint.

function: what it computes, from its positional inputs.
output: the name of its output (the key of the dict it returns when served).
signatures: lists of named `tf.TensorSpec`s, one list per form it takes; the
    first is the endpoint's SavedModel signature (`saved_model_cli`, TF
    Serving), the others are extra forms of the Python callable (e.g. without
    an optional `seed`).
"""


def scalar_spec(name):
    """A named int32 scalar input (`num_samples`, `seed`)."""
    import tensorflow as tf

    return tf.TensorSpec((), tf.int32, name=name)


class SavedModelEndpoints:
    """A `keras.Model` mixin: `export` writes `serve` (inference) and the endpoints a
    model lists in `export_endpoints()`.

    Inputs are named by their `tf.TensorSpec`s (`serve` takes
    `serving_input_name`, by default `"inputs"`), outputs by the endpoint
    (`serve` returns `{serving_output_name: ...}`), so that a client reads
    e.g. `reloaded.serve(x)["reconstructions"]`.

    On JAX, Keras' export converts each endpoint with `jax2tf` for one
    signature; an endpoint with several forms (an optional input, such as
    `generate`'s `seed`) is a `tf.function` with several concrete functions,
    which it cannot write: exporting such a model raises
    `NotImplementedError` (save it as `.keras` and export it on TensorFlow).
    On torch, Keras writes SavedModels only through `torch_xla` and cannot track a
    model's variables for several endpoints: `export` raises `NotImplementedError`
    there (save the model as `.keras` and export it on TensorFlow or JAX).
    """

    serving_input_name = "inputs"
    serving_output_name = "outputs"

    def serving_signature(self):
        """The named `tf.TensorSpec` of `call`'s input (a list of specs for several inputs);
        by default from `serving_input_shape`, which `build` records."""
        return tensor_specs(self.serving_input_shape, name=self.serving_input_name)

    def export_endpoints(self):
        """Extra SavedModel endpoints: `{name: Endpoint(...)}`."""
        return {}

    def export(self, filepath, format="tf_saved_model", verbose=True, input_signature=None,
               **kwargs):
        """Exports a SavedModel with the `serve` endpoint and the model's extra endpoints."""
        if format != "tf_saved_model":
            return super().export(filepath, format=format, verbose=verbose,
                                  input_signature=input_signature, **kwargs)
        if keras.backend.backend() == "torch":
            raise not_on_this_backend(
                f"Exporting {type(self).__name__} as a SavedModel (save it as .keras and "
                "export it there)", "tensorflow or KERAS_BACKEND=jax"
            )
        endpoints = self.export_endpoints()
        several_forms = [name for name, endpoint in endpoints.items()
                         if len(endpoint.signatures) > 1]
        if several_forms and keras.backend.backend() != "tensorflow":
            raise not_on_this_backend(
                f"Exporting {type(self).__name__} (its endpoints {several_forms} take an "
                "optional input, a tf.function of several signatures; save the model as "
                ".keras and export it there)"
            )
        archive = keras.export.ExportArchive()
        archive.track(self)
        # One argument: a tensor, or a list of tensors for multi-input models.
        signature = input_signature or [self.serving_signature()]
        archive.add_endpoint(
            "serve",
            _named(lambda inputs: self(inputs, training=False), self.serving_output_name,
                   signature),
            signature,
        )
        for name, endpoint in endpoints.items():
            function = _named(endpoint.function, endpoint.output, endpoint.signatures[0])
            if len(endpoint.signatures) == 1:
                archive.add_endpoint(name, function, endpoint.signatures[0])
                continue
            import tensorflow as tf

            traced = tf.function(function)
            for signature in endpoint.signatures:
                traced.get_concrete_function(*signature)
            archive.add_endpoint(name, traced)
        archive.write_out(filepath, verbose=verbose)


def _named(function, output, signature):
    """`function` returning `{output: result}` (`{output_0: ..., output_1: ...}` for a list
    of results), so that the SavedModel signature names its outputs, and taking its inputs
    under the names of their specs in `signature`, so that the loaded endpoint takes them
    as keyword arguments too (`generate(4, seed=7)`, `serve(z=z)`)."""
    parameters = _parameters(function, signature)

    def named(*args, **kwargs):
        inputs = parameters.bind(*args, **kwargs).args if parameters else args
        result = function(*inputs)
        if isinstance(result, (list, tuple)):
            return {f"{output}_{index}": value for index, value in enumerate(result)}
        return {output: result}

    if parameters:
        named.__signature__ = parameters
    return named


def _parameters(function, signature):
    """The signature of `function` with its parameters named after the specs of
    `signature` (an argument that is a list of specs keeps its name), or None for a
    function of variable arguments."""
    original = list(inspect.signature(function).parameters.values())
    if any(parameter.kind == parameter.VAR_POSITIONAL for parameter in original):
        return None
    named = [
        parameter.replace(name=getattr(spec, "name", None) or parameter.name)
        for parameter, spec in zip(original, list(signature) + [None] * len(original))
    ]
    return inspect.Signature(named)
