"""The training step as Keras' TensorFlow trainer calls it: `train_step(data) -> logs`,
traced into a `tf.function` (with XLA under `jit_compile=True`, per replica under a
`tf.distribute` strategy) that assigns variables in place."""

from keras import ops

from keras_dl.models.base import replicas
from keras_dl.utils import keras_compat


class Steps(keras_compat.MultiWorkerSymbolicBuild):
    """`train_step`/`test_step` run the model's stateful steps as they are."""

    def train_step(self, data):
        return self.training_step(data)

    def test_step(self, data):
        return self.evaluation_step(data)


def gradient_step(optimizer, variables, loss_fn):
    """`BaseModel.gradient_step` with a `tf.GradientTape`; the loss is this replica's
    share (divided by the replicas in sync)."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss, aux = loss_fn()
        loss = ops.cast(loss, "float32")
        scaled = optimizer.scale_loss(replicas.replica_share(loss))
    gradients = tape.gradient(scaled, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss, aux


def closed_form_gradient_step(optimizer, variables, gradients_fn):
    """`BaseModel.closed_form_gradient_step`; the gradients are this replica's share."""
    gradients, aux = gradients_fn()
    gradients = [optimizer.scale_loss(replicas.replica_share(gradient))
                 for gradient in gradients]
    optimizer.apply_gradients(zip(gradients, variables))
    return aux


def check_steps(model):
    """Every step form runs on TensorFlow: nothing to refuse."""


def variable_scope(model):
    """The model's `tf.distribute` strategy scope, where Keras creates its variables."""
    return model.distribute_strategy.scope()

