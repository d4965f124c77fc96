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


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "rotated_moons_count": (lambda t: rotated_moons(0), ValueError, "`num_samples`"),
    "rotated_moons_noise": (lambda t: rotated_moons(10, noise=-1.0), ValueError, "`noise`"),
    "rotated_moons_angle": (lambda t: rotated_moons(10, angle="35"), TypeError, "`angle`"),
    "rotated_moons_seed": (lambda t: rotated_moons(10, seed=None), TypeError, "`seed`"),
    "rotated_moons_negative_seed": (lambda t: rotated_moons(10, seed=-1), ValueError, "`seed`"),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
