"""Every model here trains with XLA and on two replicas, round-trips through
`.keras` (and keeps training with its restored optimizer) and exports SavedModel
endpoints that answer like the Keras model."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import applications, models
from keras_dl.testing import (
    assert_export_matches,
    assert_keras_file_round_trip,
    two_replica_strategy,
)

FEATURES = 12


def dense_pair(code=4, output_activation="sigmoid", code_activation="sigmoid", code_units=None):
    encoder = keras.Sequential(
        [keras.Input((FEATURES,)), keras.layers.Dense(code_units or code, activation=code_activation)],
        name="encoder",
    )
    decoder = keras.Sequential(
        [keras.Input((code,)), keras.layers.Dense(FEATURES, activation=output_activation)], name="decoder"
    )
    return encoder, decoder


FACTORIES = {
    "Autoencoder": lambda: models.Autoencoder(*dense_pair()),
    "SparseAutoencoder": lambda: models.SparseAutoencoder(*dense_pair(), sparsity_weight=0.1),
    "ContractiveAutoencoder": lambda: models.ContractiveAutoencoder(*dense_pair(), contractive_weight=0.1),
    "DenoisingAutoencoder": lambda: models.DenoisingAutoencoder(*dense_pair(), noise="masking", seed=1),
    "VariationalAutoencoder": lambda: models.VariationalAutoencoder(
        *dense_pair(code=2, code_units=4, code_activation=None), latent_dim=2, seed=1
    ),
    "RBM": lambda: models.RBM(6, seed=1),
    "RBM-persistent": lambda: models.RBM(6, persistent=True, num_persistent_chains=8, seed=1),
}
DETERMINISTIC = ("Autoencoder", "SparseAutoencoder", "ContractiveAutoencoder")


def data(samples=32):
    return (np.random.default_rng(0).uniform(size=(samples, FEATURES)) > 0.5).astype("float32")


def compiled(name, jit_compile=False):
    model = FACTORIES[name]()
    model.compile(optimizer=keras.optimizers.Adam(0.01), jit_compile=jit_compile)
    return model


def weights_of(model):
    return [np.asarray(w) for w in model.trainable_weights]


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_trains_with_xla_and_round_trips_through_keras_files(name, tmp_path):
    x = data()
    model = compiled(name, jit_compile=True)
    history = model.fit(x, batch_size=8, epochs=2, verbose=0, shuffle=False)
    assert set(history.history) == {t.name for t in model.metrics}
    assert all(np.isfinite(v).all() for v in history.history.values())
    restored = assert_keras_file_round_trip(model, x, str(tmp_path))
    assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 8
    for ours, theirs in zip(model.optimizer.variables, restored.optimizer.variables):
        np.testing.assert_allclose(np.asarray(theirs), np.asarray(ours), atol=1e-6)
    if name in DETERMINISTIC:
        model.fit(x, batch_size=8, epochs=1, verbose=0, shuffle=False)
        restored.fit(x, batch_size=8, epochs=1, verbose=0, shuffle=False)
        for ours, theirs in zip(weights_of(model), weights_of(restored)):
            np.testing.assert_allclose(theirs, ours, atol=1e-5)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_export_endpoints_answer_like_the_keras_model(name, tmp_path):
    x = data(8)
    model = compiled(name)
    model.fit(x, batch_size=8, epochs=1, verbose=0)
    endpoints = {"serve": lambda inputs: model(inputs, training=False)}
    if isinstance(model, models.Autoencoder):
        endpoints["encode"] = model.encode
    if isinstance(model, models.RBM):
        endpoints["reconstruct"] = model.reconstruct
    assert_export_matches(model, x, str(tmp_path), endpoints=endpoints)
    reloaded = tf.saved_model.load(str(tmp_path / f"{model.name}_savedmodel"))
    if isinstance(model, models.Autoencoder):
        codes = model.encode(x)
        np.testing.assert_allclose(reloaded.decode(codes), model.decode(codes), atol=1e-5)
    if isinstance(model, models.VariationalAutoencoder):
        np.testing.assert_allclose(reloaded.generate(tf.constant(5), tf.constant(3)),
                                   model.generate(5, seed=3), atol=1e-5)


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_two_replicas_match_one_replica(name):
    x = data(32)
    single = compiled(name)
    single.build_from_data(x)
    initial = [np.asarray(w) for w in single.weights]
    strategy = two_replica_strategy()
    with strategy.scope():
        mirrored = compiled(name)
    mirrored.build_from_data(x)
    mirrored.set_weights(initial)
    single_logs = single.fit(x, batch_size=16, epochs=2, verbose=0, shuffle=False).history
    mirrored_logs = mirrored.fit(x, batch_size=16, epochs=2, verbose=0, shuffle=False).history
    if name in DETERMINISTIC:
        # Same global batch: the same update, replica losses summed correctly.
        for ours, theirs in zip(weights_of(single), weights_of(mirrored)):
            np.testing.assert_allclose(theirs, ours, atol=2e-5)
        for key in single_logs:
            np.testing.assert_allclose(mirrored_logs[key], single_logs[key], rtol=1e-4)
    else:
        # Sampling models draw other random numbers on each replica: the logged
        # figures agree within the sampling noise.
        for key in single_logs:
            np.testing.assert_allclose(mirrored_logs[key], single_logs[key], rtol=0.25, atol=0.5)


def test_pca_saves_exports_and_evaluates(tmp_path):
    x = np.random.default_rng(1).normal(size=(40, 6)).astype("float32")
    pca = models.PCA(3)
    pca.fit(x)
    pca.compile()
    restored = assert_keras_file_round_trip(pca, x, str(tmp_path))
    np.testing.assert_allclose(restored.explained_variance_ratio, pca.explained_variance_ratio, rtol=1e-6)
    assert_export_matches(pca, x, str(tmp_path), endpoints={"serve": pca.reconstruct, "encode": pca.encode})
    logs = pca.evaluate(x, verbose=0, return_dict=True)
    assert logs["reconstruction_error"] == pytest.approx(pca.fit(x).history["reconstruction_error"][0], rel=1e-4)


def test_convolutional_autoencoder_with_argmax_unpooling(tmp_path):
    x = np.random.default_rng(2).uniform(size=(8, 16, 16, 1)).astype("float32")
    autoencoder = applications.ConvolutionalAutoencoder((16, 16, 1), filters=(4, 8), latent_dim=6)
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy", jit_compile=True)
    history = autoencoder.fit(x, batch_size=4, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert_keras_file_round_trip(autoencoder, x, str(tmp_path))
    assert_export_matches(autoencoder, x, str(tmp_path))


def test_dbn_unrolls_into_an_autoencoder_that_saves(tmp_path):
    x = data(32)
    dbn = models.DeepBeliefNetwork([8, 3], seed=0)
    histories = dbn.pretrain(x, epochs=2, batch_size=8, optimizer=keras.optimizers.SGD(0.1))
    assert sorted(histories) == ["rbm_1", "rbm_2"]
    autoencoder = dbn.to_autoencoder()
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    autoencoder.fit(x, batch_size=8, epochs=1, verbose=0)
    assert_keras_file_round_trip(autoencoder, x, str(tmp_path))
    dbn.compile()
    assert_keras_file_round_trip(dbn, x, str(tmp_path))
