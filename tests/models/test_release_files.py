"""`.keras` files written by an earlier release load with today's code and predict the same
(files in `tests/models/data/keras_dl_0_1_0`, written by `write_release_files.py`)."""

import os

import keras
import numpy as np
import pytest

import keras_dl  # noqa: F401  (registers the classes the files name)

RELEASE = os.path.join(os.path.dirname(__file__), "data", "keras_dl_0_1_0")
PREDICTIONS = np.load(os.path.join(RELEASE, "predictions.npz"))
KINDS = sorted(name[: -len(".keras")] for name in os.listdir(RELEASE) if name.endswith(".keras"))


def test_every_model_kind_has_a_release_file():
    assert len(KINDS) == 15


@pytest.mark.parametrize("kind", KINDS)
def test_release_file_loads_and_predicts_the_same(kind):
    model = keras.saving.load_model(os.path.join(RELEASE, f"{kind}.keras"), safe_mode=True)
    inputs = [PREDICTIONS[key] for key in sorted(PREDICTIONS.files)
              if key.startswith(f"{kind}/input_")]
    outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(outputs), PREDICTIONS[f"{kind}/output"],
                               rtol=1e-5, atol=1e-6)
