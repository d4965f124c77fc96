import numpy as np
import pytest
from sklearn.datasets import make_moons

from keras_dl.datasets import rotated_moons


def test_target_is_the_source_distribution_rotated_about_the_centre():
    (x_source, y_source), (x_target, y_target) = rotated_moons(200, angle=90.0, noise=0.0, seed=3)
    assert x_source.shape == x_target.shape == (200, 2) and x_source.dtype == np.float32
    assert y_source.dtype == np.int64 and set(y_target.tolist()) == {0, 1}
    reference_source, _ = make_moons(200, noise=0.0, random_state=3)
    reference_target, _ = make_moons(200, noise=0.0, random_state=4)
    np.testing.assert_allclose(x_source, reference_source, atol=1e-6)
    # A quarter turn about (0.5, 0.25): (x, y) -> (0.5 - (y - 0.25), 0.25 + (x - 0.5)).
    expected = np.stack(
        [0.5 - (reference_target[:, 1] - 0.25), 0.25 + (reference_target[:, 0] - 0.5)], axis=1
    )
    np.testing.assert_allclose(x_target, expected, atol=1e-5)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="num_samples"):
        rotated_moons(0)
    with pytest.raises(ValueError, match="noise"):
        rotated_moons(10, noise=-0.1)
