"""SavedModel export with the `serve` endpoint and a model's extra endpoints."""

import keras
import tensorflow as tf

from keras_dl.models.base.batch_utils import tensor_specs


class SavedModelEndpoints:
    """A `keras.Model` mixin: `export` writes `serve` (inference) and the endpoints a
    model lists in `export_endpoints()`, with input signatures from
    `serving_signature()`."""

    def serving_signature(self):
        """The `tf.TensorSpec` of `call`'s input (a list of specs for several inputs);
        by default from `serving_input_shape`, which `build` records."""
        return tensor_specs(self.serving_input_shape)

    def export_endpoints(self):
        """Extra SavedModel endpoints: `{name: (function, input_signature, ...)}`; with
        several signatures (e.g. with and without an optional argument) the endpoint
        takes each of them."""
        return {}

    def export(self, filepath, format="tf_saved_model", verbose=True, input_signature=None,
               **kwargs):
        """Exports a SavedModel with the `serve` endpoint and the model's extra endpoints."""
        if format != "tf_saved_model":
            return super().export(filepath, format=format, verbose=verbose,
                                  input_signature=input_signature, **kwargs)
        archive = keras.export.ExportArchive()
        archive.track(self)
        # One argument: a tensor, or a list of tensors for multi-input models.
        signature = input_signature or [self.serving_signature()]
        archive.add_endpoint("serve", lambda inputs: self(inputs, training=False), signature)
        for name, (function, *signatures) in self.export_endpoints().items():
            if len(signatures) == 1:
                archive.add_endpoint(name, function, signatures[0])
                continue
            traced = tf.function(function)
            for endpoint_signature in signatures:
                traced.get_concrete_function(*endpoint_signature)
            archive.add_endpoint(name, traced)
        archive.write_out(filepath, verbose=verbose)
