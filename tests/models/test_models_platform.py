"""Platform checks beyond the matrix of tests/test_platform_matrix.py: PCA's evaluation, the
convolutional autoencoder with argmax unpooling under XLA, and the deep belief network's
unrolled autoencoder."""

import keras
import numpy as np
import pytest

from keras_dl import applications, models
from keras_dl.testing import (
    assert_export_matches,
    assert_keras_file_round_trip,
)


def data(samples=32, features=12):
    return (np.random.default_rng(0).uniform(size=(samples, features)) > 0.5).astype("float32")


def test_pca_saves_exports_and_evaluates(tmp_path):
    x = np.random.default_rng(1).normal(size=(40, 6)).astype("float32")
    pca = models.PCA(3)
    pca.fit(x)
    pca.compile()
    restored = assert_keras_file_round_trip(pca, x, str(tmp_path))
    np.testing.assert_allclose(
        restored.explained_variance_ratio, pca.explained_variance_ratio, rtol=1e-6
    )
    assert_export_matches(
        pca, x, str(tmp_path), endpoints={"serve": pca.reconstruct, "encode": pca.encode}
    )
    logs = pca.evaluate(x, verbose=0, return_dict=True)
    assert logs["reconstruction_error"] == pytest.approx(
        pca.fit(x).history["reconstruction_error"][0], rel=1e-4
    )


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
