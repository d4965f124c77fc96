"""GradientReversalScheduler: bad uses get a clear error."""

import keras
import numpy as np
import pytest

from keras_dl import callbacks
from keras_dl.testing import assert_clear_error


def scheduler_without_reversal():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(
        np.ones((4, 2)),
        np.ones((4, 1)),
        verbose=0,
        callbacks=[callbacks.GradientReversalScheduler()],
    )


BAD_INPUTS = {
    "scheduler gamma": (
        lambda: callbacks.GradientReversalScheduler(gamma=-1.0),
        ValueError,
        "gamma",
    ),
    "scheduler layer": (
        lambda: callbacks.GradientReversalScheduler(layer="reversal"),
        TypeError,
        "`layer`",
    ),
    "scheduler finds no layer": (scheduler_without_reversal, ValueError, "GradientReversal"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_error(case):
    assert_clear_error(*BAD_INPUTS[case])
