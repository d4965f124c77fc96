"""The deep belief network: greedy pretraining, the unrolled autoencoder, bad inputs."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl.models import DeepBeliefNetwork
from keras_dl.testing import assert_clear_error, assert_keras_file_round_trip
from keras_dl.testing.platform_cases import binary_data

FEATURES = 8


def test_rbm_arguments_reach_every_layer_and_visible_the_bottom_one():
    dbn = DeepBeliefNetwork([6, 3], visible="gaussian", cd_steps=2, seed=5)
    assert [rbm.visible for rbm in dbn.rbms] == ["gaussian", "bernoulli"]
    assert [rbm.cd_steps for rbm in dbn.rbms] == [2, 2]
    assert [rbm.seed for rbm in dbn.rbms] == [5, 6]
    assert [rbm.name for rbm in dbn.rbms] == ["rbm_1", "rbm_2"]


def test_each_layer_trains_on_the_probabilities_of_the_one_below():
    x = binary_data(16, FEATURES)
    dbn = DeepBeliefNetwork([6, 3], seed=0)
    histories = dbn.pretrain(x, epochs=2, batch_size=4, optimizer=keras.optimizers.SGD(0.1))
    assert sorted(histories) == ["rbm_1", "rbm_2"]
    assert all(len(history["reconstruction_error"]) == 2 for history in histories.values())
    assert dbn.rbms[1].n_visible == 6
    # Each RBM has its own optimizer.
    assert dbn.rbms[0].optimizer is not dbn.rbms[1].optimizer
    # The second RBM saw the first one's features: its recorded data mean is theirs.
    features = np.asarray(dbn.rbms[0].transform(x))
    np.testing.assert_allclose(dbn.rbms[1].seen_visible_sum.numpy() / len(x) / 2,
                               features.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(dbn(x), dbn.rbms[1].transform(features), rtol=1e-6)


@pytest.mark.parametrize("visible, bottom_activation", [("bernoulli", "sigmoid"),
                                                        ("gaussian", "linear")])
def test_the_unrolled_autoencoder_starts_from_the_rbms(visible, bottom_activation):
    x = binary_data(16, FEATURES)
    dbn = DeepBeliefNetwork([6, 3], visible=visible, seed=0)
    dbn.pretrain(x, epochs=1, batch_size=4)
    autoencoder = dbn.to_autoencoder()
    encoder, decoder = autoencoder.encoder, autoencoder.decoder
    for layer, rbm in zip(encoder.layers, dbn.rbms):
        np.testing.assert_array_equal(layer.kernel.numpy(), rbm.kernel.numpy())
        np.testing.assert_array_equal(layer.bias.numpy(), rbm.hidden_bias.numpy())
    for layer, rbm in zip(decoder.layers, reversed(dbn.rbms)):
        np.testing.assert_array_equal(layer.kernel.numpy(), rbm.kernel.numpy().T)
        np.testing.assert_array_equal(layer.bias.numpy(), rbm.visible_bias.numpy())
    assert [layer.activation.__name__ for layer in decoder.layers] == [
        "sigmoid", bottom_activation]
    np.testing.assert_allclose(autoencoder.encode(x), dbn(x), rtol=1e-5, atol=1e-6)
    # The bottom layer decodes as the bottom RBM reconstructs from the hidden layer above.
    np.testing.assert_allclose(decoder.layers[-1](dbn.rbms[0].transform(x)),
                               dbn.rbms[0].reconstruct(x), rtol=1e-5, atol=1e-6)


def test_a_built_uncompiled_network_saves_and_loads_uncompiled(tmp_path):
    x = binary_data(8, 6)
    dbn = DeepBeliefNetwork([4, 2], seed=0)
    dbn.build((None, 6))
    restored = assert_keras_file_round_trip(dbn, x, str(tmp_path))
    assert not restored.compiled


BAD_INPUTS = {
    "dbn empty": (lambda: DeepBeliefNetwork([]), ValueError, "hidden_units"),
    "dbn pretrain dataset": (
        lambda: DeepBeliefNetwork([4]).pretrain(
            tf.data.Dataset.from_tensor_slices(binary_data(16, FEATURES)).batch(4)),
        TypeError,
        "received a tf.data.Dataset",
    ),
    "dbn zero units": (lambda: DeepBeliefNetwork([4, 0]), ValueError, "hidden_units"),
    "dbn not a list": (lambda: DeepBeliefNetwork("4"), TypeError, "hidden_units"),
    "dbn rank 3": (
        lambda: DeepBeliefNetwork([3]).pretrain(np.zeros((4, 2, 4))),
        ValueError,
        "(samples, n_visible)",
    ),
    "dbn uint8": (
        lambda: DeepBeliefNetwork([3]).pretrain(np.full((4, FEATURES), 200, "uint8")),
        ValueError,
        "[0, 1]",
    ),
    "dbn no samples": (
        lambda: DeepBeliefNetwork([3]).pretrain(np.zeros((0, FEATURES))),
        ValueError,
        "no samples",
    ),
    "dbn unroll before pretrain": (
        lambda: DeepBeliefNetwork([3]).to_autoencoder(),
        ValueError,
        "pretrain",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
