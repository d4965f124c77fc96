"""The autoencoder family and PCA against closed forms, NumPy and scikit-learn."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from sklearn.decomposition import PCA as SklearnPCA

from keras_dl import models
from keras_dl.datasets import load


def dense(inputs, units, activation=None):
    return keras.Sequential(
        [keras.Input((inputs,)), keras.layers.Dense(units, activation=activation)]
    )


@pytest.fixture(scope="module")
def digits():
    images = np.stack([x for x, _ in load("digits", "all").as_numpy_iterator()]).reshape(-1, 64)
    return images[:1500], images[1500:]


def test_autoencoder_learns_to_reconstruct_digits(digits):
    train, test = digits
    autoencoder = models.Autoencoder(dense(64, 16, "relu"), dense(16, 64, "sigmoid"))
    autoencoder.compile(
        optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy", metrics=["mse"]
    )
    before = autoencoder.evaluate(test, verbose=0, return_dict=True)
    history = autoencoder.fit(train, batch_size=64, epochs=20, verbose=0)
    after = autoencoder.evaluate(test, verbose=0, return_dict=True)
    assert set(history.history) == {"loss", "mse"}
    assert after["mse"] < 0.5 * before["mse"]
    np.testing.assert_allclose(
        autoencoder.reconstruct(test[:4]),
        autoencoder.decode(autoencoder.encode(test[:4])),
        atol=1e-6,
    )


def test_trackers_are_reset_every_epoch():
    autoencoder = models.Autoencoder(dense(4, 2), dense(2, 4))
    autoencoder.compile(optimizer="sgd")
    autoencoder.fit(np.ones((32, 4), "float32"), batch_size=8, epochs=3, verbose=0)
    (loss_tracker,) = autoencoder.metrics[0].metrics
    assert loss_tracker.name == "loss" and float(loss_tracker.count) == 32.0  # one epoch, not three


def test_non_finite_training_stops_with_a_clear_error():
    autoencoder = models.Autoencoder(dense(4, 2), dense(2, 4))
    autoencoder.compile(optimizer="sgd")
    x = np.ones((16, 4), "float32")
    x[5, 2] = np.nan
    with pytest.raises(models.NonFiniteLossError, match="non-finite loss .* epoch 1, batch 1"):
        autoencoder.fit(x, batch_size=8, epochs=2, verbose=0, shuffle=False)


def test_train_and_test_on_batch_before_fit_build_the_model():
    model = models.Autoencoder(dense(6, 3, "relu"), dense(3, 6))
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).uniform(size=(8, 6)).astype("float32")
    first = model.train_on_batch(x, return_dict=True)["loss"]
    for _ in range(20):
        model.train_on_batch(x)
    assert model.test_on_batch(x, return_dict=True)["loss"] < first


def test_encoder_and_decoder_must_be_keras_objects():
    with pytest.raises(TypeError, match="encoder"):
        models.Autoencoder(lambda x: x, dense(2, 4))


@pytest.mark.parametrize(
    "noise, level", [("gaussian", 0.5), ("masking", 0.3), ("salt_and_pepper", 0.2)]
)
def test_denoising_corruption_statistics_and_training_only(noise, level):
    model = models.DenoisingAutoencoder(
        dense(8, 4), dense(4, 8), noise=noise, noise_level=level, seed=0
    )
    x = np.full((20000, 8), 0.5, "float32")
    corrupted = np.asarray(model.corrupt(x, training=True))
    if noise == "gaussian":
        assert np.std(corrupted - x) == pytest.approx(level, rel=0.02)
    elif noise == "masking":
        assert np.mean(corrupted == 0.0) == pytest.approx(level, abs=0.01)
    else:
        assert np.mean(corrupted == 0.0) == pytest.approx(level / 2, abs=0.01)
        assert np.mean(corrupted == 1.0) == pytest.approx(level / 2, abs=0.01)
    np.testing.assert_array_equal(np.asarray(model.corrupt(x, training=False)), x)
    np.testing.assert_allclose(
        model.reconstruct(x[:3]), model.decode(model.encode(x[:3])), atol=1e-6
    )


def test_denoising_bad_arguments_are_named():
    with pytest.raises(ValueError, match="noise"):
        models.DenoisingAutoencoder(dense(4, 2), dense(2, 4), noise="pink")
    with pytest.raises(ValueError, match="noise_level"):
        models.DenoisingAutoencoder(dense(4, 2), dense(2, 4), noise="masking", noise_level=1.0)


def test_sparsity_penalty_is_the_kl_divergence():
    model = models.SparseAutoencoder(
        dense(5, 6, "sigmoid"), dense(6, 5), sparsity_target=0.1, sparsity_weight=0.5
    )
    x = np.random.default_rng(0).normal(size=(10, 5)).astype("float32")
    rho_hat = np.asarray(model.encode(x)).mean(axis=0).astype("float64")
    rho = 0.1
    expected = 0.5 * np.sum(
        rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
    )
    assert float(
        model.code_penalties(model.encode(x), x, training=False)["sparsity_loss"]
    ) == pytest.approx(expected, rel=1e-4)
    with pytest.raises(ValueError, match="sparsity_target"):
        models.SparseAutoencoder(dense(5, 6), dense(6, 5), sparsity_target=0.0)


def test_contractive_penalty_matches_the_closed_form_for_a_sigmoid_layer():
    # Rifai et al. 2011, eq. 4: ||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ij^2.
    encoder = dense(5, 3, "sigmoid")
    model = models.ContractiveAutoencoder(encoder, dense(3, 5), contractive_weight=2.0)
    x = np.random.default_rng(1).normal(size=(7, 5)).astype("float32")
    W = np.asarray(encoder.layers[-1].kernel, "float64")
    h = np.asarray(model.encode(x), "float64")
    closed_form = np.sum((h * (1 - h)) ** 2 * np.sum(W**2, axis=0), axis=1)
    np.testing.assert_allclose(model.jacobian_frobenius_norm_squared(x), closed_form, rtol=1e-4)
    penalty = float(model.code_penalties(model.encode(x), x, training=False)["contractive_loss"])
    assert penalty == pytest.approx(2.0 * closed_form.mean(), rel=1e-4)


def test_vae_terms_inference_and_generation():
    encoder = dense(6, 4)
    vae = models.VariationalAutoencoder(
        encoder, dense(2, 6, "sigmoid"), latent_dim=2, beta=0.5, seed=0
    )
    x = (np.random.default_rng(2).uniform(size=(9, 6)) > 0.5).astype("float32")
    statistics = np.asarray(encoder(x), "float64")
    mean, log_variance = statistics[:, :2], statistics[:, 2:]
    expected_kl = np.mean(-0.5 * np.sum(1 + log_variance - mean**2 - np.exp(log_variance), axis=1))
    probabilities = np.asarray(vae.decode(mean.astype("float32")), "float64")
    expected_reconstruction = np.mean(
        -np.sum(x * np.log(probabilities) + (1 - x) * np.log(1 - probabilities), axis=1)
    )
    loss, logs, _ = vae.compute_objective(x, training=False)
    assert float(logs["kl_loss"]) == pytest.approx(expected_kl, rel=1e-4)
    assert float(logs["reconstruction_loss"]) == pytest.approx(expected_reconstruction, rel=1e-4)
    assert float(loss) == pytest.approx(expected_reconstruction + 0.5 * expected_kl, rel=1e-4)
    np.testing.assert_array_equal(
        np.asarray(vae(x)), np.asarray(vae(x))
    )  # inference decodes the mean
    assert not np.allclose(vae(x, training=True), vae(x, training=True))
    np.testing.assert_array_equal(
        np.asarray(vae.generate(4, seed=7)), np.asarray(vae.generate(4, seed=7))
    )
    with pytest.raises(ValueError, match="2 \\* latent_dim"):
        models.VariationalAutoencoder(dense(6, 3), dense(2, 6), latent_dim=2)


def test_pca_matches_scikit_learn(digits):
    train, test = digits
    ours = models.PCA(10)
    history = ours.fit(train)
    reference = SklearnPCA(10).fit(train)
    np.testing.assert_allclose(
        ours.explained_variance_ratio, reference.explained_variance_ratio_, rtol=1e-3
    )
    np.testing.assert_allclose(np.asarray(ours.components).T, reference.components_, atol=2e-4)
    np.testing.assert_allclose(ours.encode(test), reference.transform(test), atol=2e-3)
    np.testing.assert_allclose(
        ours.reconstruct(test), reference.inverse_transform(reference.transform(test)), atol=2e-3
    )
    expected_error = np.mean(
        np.sum((train - reference.inverse_transform(reference.transform(train))) ** 2, axis=1)
    )
    assert history.history["reconstruction_error"][0] == pytest.approx(expected_error, rel=1e-3)


def test_pca_accepts_datasets_and_checks_its_arguments():
    x = np.random.default_rng(3).normal(size=(30, 4)).astype("float32")
    from_dataset = models.PCA(2)
    from_dataset.fit(tf.data.Dataset.from_tensor_slices(x).batch(7))
    from_array = models.PCA(2)
    from_array.fit(x)
    np.testing.assert_allclose(from_dataset.components, from_array.components, atol=1e-5)
    with pytest.raises(ValueError, match="n_components"):
        models.PCA(5).fit(x)
    with pytest.raises(ValueError, match="n_components"):
        models.PCA(0)


def test_dbn_pretrains_greedily_and_unrolls_with_tied_initial_weights(digits):
    train, _ = digits
    dbn = models.DeepBeliefNetwork([32, 8], seed=0)
    histories = dbn.pretrain(
        train, epochs=3, batch_size=50, optimizer=keras.optimizers.SGD(0.1, momentum=0.5)
    )
    assert (
        histories["rbm_1"]["reconstruction_error"][-1]
        < histories["rbm_1"]["reconstruction_error"][0]
    )
    first, second = dbn.rbms
    assert (first.n_visible, first.n_hidden, second.n_visible, second.n_hidden) == (64, 32, 32, 8)
    np.testing.assert_allclose(
        dbn(train[:5]), second.transform(first.transform(train[:5])), atol=1e-6
    )
    autoencoder = dbn.to_autoencoder()
    encoder_layers = autoencoder.encoder.layers
    decoder_layers = autoencoder.decoder.layers
    np.testing.assert_array_equal(encoder_layers[0].kernel.numpy(), first.kernel.numpy())
    np.testing.assert_array_equal(decoder_layers[-1].kernel.numpy(), first.kernel.numpy().T)
    np.testing.assert_array_equal(decoder_layers[-1].bias.numpy(), first.visible_bias.numpy())
    np.testing.assert_allclose(autoencoder.encode(train[:5]), dbn(train[:5]), atol=1e-6)
    with pytest.raises(ValueError, match="hidden_units"):
        models.DeepBeliefNetwork([])
