"""The genotype of a growth sequence shows over time, never in a single frame."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from keras_dl.datasets import growth_sequences

NUM_GENOTYPES = 3
TIMESTEPS = 8


@pytest.fixture(scope="module")
def sequences():
    train = growth_sequences(
        1500, timesteps=TIMESTEPS, image_size=24, num_genotypes=NUM_GENOTYPES, seed=0
    )
    test = growth_sequences(
        600, timesteps=TIMESTEPS, image_size=24, num_genotypes=NUM_GENOTYPES, seed=1
    )
    return train, test


def frame_features(x):
    """Per-frame statistics: object area, brightness spread and frame index."""
    frames = x[..., 0]
    area = frames.mean(axis=(2, 3))
    spread = frames.std(axis=(2, 3))
    index = np.broadcast_to(np.arange(x.shape[1]), area.shape)
    return np.stack([area, spread, index], axis=-1).reshape(-1, 3)


def sequence_features(x):
    """Magnitudes of the Fourier transform of the object's area over time."""
    area = x[..., 0].mean(axis=(2, 3))
    return np.abs(np.fft.rfft(area - area.mean(axis=1, keepdims=True), axis=1))


def test_shapes_range_and_reproducibility():
    x, y = growth_sequences(5, timesteps=6, image_size=16, num_genotypes=2, seed=3)
    assert x.shape == (5, 6, 16, 16, 1) and x.dtype == np.float32
    assert y.shape == (5,) and y.dtype == np.int64
    assert 0.0 <= x.min() and x.max() <= 1.0
    x_again, y_again = growth_sequences(5, timesteps=6, image_size=16, num_genotypes=2, seed=3)
    np.testing.assert_array_equal(x, x_again)
    np.testing.assert_array_equal(y, y_again)


def test_single_frames_do_not_reveal_the_genotype_but_sequences_do(sequences):
    (x_train, y_train), (x_test, y_test) = sequences
    chance = 1.0 / NUM_GENOTYPES

    frame_model = HistGradientBoostingClassifier(max_iter=100, random_state=0)
    frame_model.fit(frame_features(x_train), np.repeat(y_train, TIMESTEPS))
    frame_accuracy = frame_model.score(frame_features(x_test), np.repeat(y_test, TIMESTEPS))

    sequence_model = LogisticRegression(max_iter=2000)
    sequence_model.fit(sequence_features(x_train), y_train)
    sequence_accuracy = sequence_model.score(sequence_features(x_test), y_test)

    # 4,800 test frames: the standard error of an accuracy near 1/3 is about 0.007,
    # but frames of one sequence are correlated, so allow a wider margin.
    assert frame_accuracy < chance + 0.05, frame_accuracy
    assert sequence_accuracy > 0.9, sequence_accuracy


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "growth_sequences_count": (lambda t: growth_sequences(0), ValueError, "`num_sequences`"),
    "growth_sequences_count_float": (lambda t: growth_sequences(4.0), TypeError, "`num_sequences`"),
    "growth_sequences_timesteps": (
        lambda t: growth_sequences(4, timesteps=3),
        ValueError,
        "`timesteps`",
    ),
    "growth_sequences_image_size": (
        lambda t: growth_sequences(4, image_size=4),
        ValueError,
        "`image_size`",
    ),
    "growth_sequences_genotypes": (
        lambda t: growth_sequences(4, num_genotypes=10),
        ValueError,
        "`num_genotypes`",
    ),
    "growth_sequences_one_genotype": (
        lambda t: growth_sequences(2, num_genotypes=1),
        ValueError,
        "`num_genotypes`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
