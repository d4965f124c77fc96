"""PCA against scikit-learn; saving, export and evaluation."""

import numpy as np
import pytest
import tensorflow as tf
from sklearn.decomposition import PCA as SklearnPCA

from keras_dl import models
from keras_dl.datasets import load
from keras_dl.testing import assert_clear_error, assert_export_matches, assert_keras_file_round_trip
from keras_dl.testing.platform_cases import binary_data
from keras_dl.testing.platform_checks import platform_test


@pytest.fixture(scope="module")
def digits():
    images = np.stack([x for x, _ in load("digits", "all").as_numpy_iterator()]).reshape(-1, 64)
    return images[:1500], images[1500:]


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


FEATURES = 8


def pca_fit(x, n_components=2):
    return models.PCA(n_components).fit(x, verbose=0)


def nan_data():
    x = binary_data(16, FEATURES)
    x[3, 2] = np.nan
    return x


BAD_INPUTS = {
    "pca components": (lambda: models.PCA(0), ValueError, "n_components"),
    "pca too many components": (
        lambda: pca_fit(binary_data(16, FEATURES), n_components=9),
        ValueError,
        "n_components",
    ),
    "pca more components than samples": (
        lambda: pca_fit(binary_data(2, FEATURES), n_components=3), ValueError,
        "number of samples 2",
    ),
    "pca not fitted": (
        lambda: models.PCA(2).encode(binary_data(16, FEATURES)), ValueError, "not fitted"
    ),
    "pca nan": (lambda: pca_fit(nan_data()), ValueError, "NaN"),
    "pca one sample": (lambda: pca_fit(binary_data(1, FEATURES)), ValueError, "samples >= 2"),
    "pca no samples": (lambda: pca_fit(np.zeros((0, FEATURES))), ValueError, "samples >= 2"),
    "pca strings": (lambda: pca_fit(np.array([["a", "b"], ["c", "d"]])), TypeError, "numbers"),
    "pca empty dataset": (
        lambda: pca_fit(
            tf.data.Dataset.from_tensor_slices(np.zeros((0, FEATURES), "float32")).batch(4)
        ),
        ValueError,
        "empty dataset",
    ),
    "pca compiled loss": (lambda: models.PCA(2).compile(loss="mse"), TypeError, "loss"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])


test_platform = platform_test("PCA")
