import keras
import numpy as np
import pytest

from keras_dl.optimizers import InverseDecay


def test_follows_the_formula_of_ganin_et_al():
    schedule = InverseDecay(total_steps=200, initial_learning_rate=0.01, alpha=10.0, power=0.75)
    steps = np.array([0, 1, 50, 200, 400])
    expected = 0.01 / (1 + 10 * steps / 200) ** 0.75
    actual = [float(keras.ops.convert_to_numpy(schedule(step))) for step in steps]
    np.testing.assert_allclose(actual, expected, rtol=1e-6)


def test_round_trips_through_an_optimizer_config():
    schedule = InverseDecay(total_steps=30, initial_learning_rate=0.02, alpha=5.0, power=0.5)
    optimizer = keras.optimizers.SGD(schedule, momentum=0.9)
    config = keras.optimizers.SGD.from_config(optimizer.get_config()).get_config()["learning_rate"]
    again = keras.saving.deserialize_keras_object(config, safe_mode=True)
    assert isinstance(again, InverseDecay)
    assert again.get_config() == schedule.get_config()
    assert float(again(7)) == pytest.approx(float(schedule(7)))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="total_steps"):
        InverseDecay(total_steps=0)
    with pytest.raises(ValueError, match="initial_learning_rate"):
        InverseDecay(total_steps=10, initial_learning_rate=0.0)
    with pytest.raises(TypeError, match="alpha"):
        InverseDecay(total_steps=10, alpha="fast")
