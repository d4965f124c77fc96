import keras
import numpy as np
import pytest

from keras_dl.models.base.optimizer_group import OptimizerGroup


def test_a_group_lists_the_variables_of_its_optimizers_in_order():
    first, second = keras.optimizers.Adam(0.1), keras.optimizers.SGD(0.2)
    group = OptimizerGroup([first, second])
    assert not group.built
    with pytest.raises(ValueError, match="build each"):
        group.build([keras.Variable(np.zeros(2))])
    first.build([keras.Variable(np.zeros(2))])
    second.build([keras.Variable(np.zeros(3))])
    assert group.built
    assert [id(v) for v in group.variables] == [id(v) for v in first.variables + second.variables]
    group.build([])  # built: nothing to do
    assert group.optimizers == [first, second]
