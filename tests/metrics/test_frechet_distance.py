
import keras
import numpy as np
import pytest
from scipy import linalg

from keras_dl import metrics
from keras_dl.metrics import FrechetDistance
from keras_dl.testing import assert_clear_error


def reference_distance(a, b):
    mean_a, mean_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = linalg.sqrtm(cov_a @ cov_b).real
    return np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a + cov_b - 2 * root)


def test_streaming_distance_matches_the_formula():
    rng = np.random.default_rng(0)
    extractor = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])
    real = rng.normal(size=(600, 3)).astype("float32")
    generated = (rng.normal(size=(600, 3)) * [1.0, 2.0, 0.5] + [1.0, 0.0, -1.0]).astype("float32")
    metric = FrechetDistance(extractor)
    for start in range(0, 600, 150):  # streamed in batches
        metric.update_state(real[start : start + 150], generated[start : start + 150])
    expected = reference_distance(
        keras.ops.convert_to_numpy(extractor(real)).astype("float64"),
        keras.ops.convert_to_numpy(extractor(generated)).astype("float64"),
    )
    assert float(metric.result()) == pytest.approx(expected, rel=1e-4)
    metric.reset_state()
    metric.update_state(real, real)
    assert float(metric.result()) == pytest.approx(0.0, abs=1e-3)


def test_feature_extractor_must_be_a_model():
    with pytest.raises(TypeError, match="feature_extractor"):
        FrechetDistance(lambda x: x)


def test_metric_round_trips_through_its_config():
    extractor = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)])
    metric = FrechetDistance(extractor)
    restored = FrechetDistance.from_config(metric.get_config())
    assert restored.feature_dim == 2


BAD_INPUTS = {
    "frechet extractor": (
        lambda: metrics.FrechetDistance("inception"),
        TypeError,
        "feature_extractor",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
