"""The deep belief network: a stack of RBMs trained greedily, layer by layer."""

import keras
import numpy as np
from keras.ops import convert_to_numpy

from keras_dl.models.autoencoders.autoencoder import Autoencoder
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import comes_in_batches, is_tf_dataset
from keras_dl.models.energy.rbm import RBM
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.DeepBeliefNetwork")
class DeepBeliefNetwork(BaseModel):
    """A stack of RBMs pretrained greedily, unrollable into a deep autoencoder.

    `pretrain(x)` trains the first RBM on `x`, then each next RBM on the
    hidden probabilities of the one below (Hinton, Osindero & Teh 2006).
    `to_autoencoder()` unrolls the stack into an `Autoencoder` whose encoder
    layers start from the RBMs' weights and hidden biases and whose decoder
    layers start from the transposed weights and visible biases, ready to be
    fine-tuned with `fit` (Hinton & Salakhutdinov 2006). Calling the network
    propagates probabilities up the stack.

    References: Hinton, Osindero & Teh, "A Fast Learning Algorithm for Deep
    Belief Nets", Neural Computation 18, 2006; Hinton & Salakhutdinov,
    "Reducing the Dimensionality of Data with Neural Networks", Science 313,
    2006.

    Args:
        hidden_units: non-empty list of positive ints, the sizes of the layers
            above the data.
        **rbm_kwargs: `RBM` arguments for every layer (`cd_steps`,
            `persistent`, `weight_decay`, `seed`, ...); `visible` applies to
            the bottom RBM only (the layers above see probabilities).

    Example:

    >>> dbn = DeepBeliefNetwork([6, 3], seed=0)
    >>> histories = dbn.pretrain(np.eye(8, dtype="float32"), epochs=2, batch_size=4)
    >>> sorted(histories)
    ['rbm_1', 'rbm_2']
    >>> tuple(dbn.to_autoencoder().reconstruct(np.eye(8, dtype="float32")).shape)
    (8, 8)
    """

    serving_input_name = "visible"
    serving_output_name = "hidden_probabilities"

    def __init__(self, hidden_units, name="deep_belief_network", **rbm_kwargs):
        super().__init__(name=name)
        self.hidden_units = validation.positive_int_sequence("hidden_units", hidden_units)
        self.rbm_kwargs = dict(rbm_kwargs)
        seed = rbm_kwargs.pop("seed", None)
        visible = rbm_kwargs.pop("visible", "bernoulli")
        self.rbms = [
            RBM(
                units,
                visible=visible if index == 0 else "bernoulli",
                seed=None if seed is None else seed + index,
                name=f"rbm_{index + 1}",
                **rbm_kwargs,
            )
            for index, units in enumerate(self.hidden_units)
        ]

    def build(self, input_shape):
        shape = tuple(input_shape)
        for rbm in self.rbms:
            rbm.build(shape)
            shape = (shape[0], rbm.n_hidden)
        super().build(input_shape)

    def call(self, inputs, training=False):
        for rbm in self.rbms:
            inputs = rbm(inputs)
        return inputs

    def pretrain(self, x, epochs=10, batch_size=100, optimizer="sgd", verbose=0, **fit_kwargs):
        """Trains the RBMs greedily, each on the hidden probabilities of the one below.

        Args:
            x: training data `(samples, n_visible)`.
            epochs, batch_size, verbose, **fit_kwargs: passed to each `RBM.fit`.
            optimizer: an optimizer name, instance or config; each RBM gets a
                fresh copy.

        Returns:
            `{rbm name: history dict}` for every layer.
        """
        if comes_in_batches(x):
            raise TypeError(
                "DeepBeliefNetwork.pretrain() needs `x` as an array of shape (samples, "
                "n_visible): each layer trains on the hidden probabilities of all of it; "
                f"received a {'tf.data.Dataset' if is_tf_dataset(x) else type(x).__name__}"
            )
        data = np.asarray(x, dtype="float32")
        if data.ndim != 2:
            raise ValueError(
                f"DeepBeliefNetwork.pretrain() needs `x` of shape (samples, n_visible), "
                f"received {data.shape}"
            )
        if not self.built:
            self.build((None, data.shape[-1]))
        optimizer = keras.optimizers.get(optimizer)
        histories = {}
        for rbm in self.rbms:
            rbm.compile(optimizer=optimizer.__class__.from_config(optimizer.get_config()))
            history = rbm.fit(
                data, epochs=epochs, batch_size=batch_size, verbose=verbose, **fit_kwargs
            )
            histories[rbm.name] = history.history
            data = convert_to_numpy(rbm.transform(data))
        return histories

    def to_autoencoder(self, name="dbn_autoencoder"):
        """The unrolled deep autoencoder initialised from the RBMs (Hinton & Salakhutdinov 2006).

        Encoder: one sigmoid dense layer per RBM with `W` and hidden biases.
        Decoder: the mirror image with `W'` and visible biases; its last
        layer is sigmoid for Bernoulli data and linear for Gaussian data.
        """
        if not self.built:
            raise ValueError("to_autoencoder() needs a built network: call pretrain(x) first")
        n_visible = self.rbms[0].n_visible
        encoder = keras.Sequential([keras.Input((n_visible,))], name=f"{name}_encoder")
        for rbm in self.rbms:
            encoder.add(
                keras.layers.Dense(rbm.n_hidden, activation="sigmoid", name=f"encode_{rbm.name}")
            )
            encoder.layers[-1].set_weights(
                [convert_to_numpy(rbm.kernel), convert_to_numpy(rbm.hidden_bias)])
        decoder = keras.Sequential([keras.Input((self.rbms[-1].n_hidden,))], name=f"{name}_decoder")
        for rbm in reversed(self.rbms):
            # Each layer computes its RBM's E[v | h] from b + Wh (the layers above the
            # bottom one have Bernoulli units).
            decoder.add(keras.layers.Dense(rbm.n_visible, activation=rbm.visible_units.activation,
                                           name=f"decode_{rbm.name}"))
            decoder.layers[-1].set_weights(
                [convert_to_numpy(rbm.kernel).T, convert_to_numpy(rbm.visible_bias)])
        return Autoencoder(encoder, decoder, name=name)

    def get_config(self):
        config = super().get_config()
        config.update({"hidden_units": list(self.hidden_units), **self.rbm_kwargs})
        return config
