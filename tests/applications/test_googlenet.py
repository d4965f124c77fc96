import pytest

from keras_dl import applications
from keras_dl.layers import InceptionBlock


def test_googlenet_follows_table_1():
    model = applications.GoogLeNet()
    blocks = [layer for layer in model.layers if isinstance(layer, InceptionBlock)]
    assert len(blocks) == 9
    # Output channels and spatial sizes of modules 3a..5b for a 224x224 input.
    assert [block.output.shape[1:] for block in blocks] == [
        (28, 28, 256), (28, 28, 480), (14, 14, 512), (14, 14, 512), (14, 14, 512),
        (14, 14, 528), (14, 14, 832), (7, 7, 832), (7, 7, 1024),
    ]
    assert blocks[0].count_params() == 163_696
    assert model.output_shape == (None, 1000)


def test_googlenet_auxiliary_classifiers_are_extra_outputs():
    model = applications.GoogLeNet(classes=10, aux_classifiers=True)
    assert [tuple(output.shape) for output in model.outputs] == [(None, 10)] * 3
    assert model.get_layer("aux_1_pool").input.shape[1:] == (14, 14, 512)  # after 4a
    assert model.get_layer("aux_2_pool").input.shape[1:] == (14, 14, 528)  # after 4d
    assert model.get_layer("aux_1_fc").units == 1024


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "googlenet_aux_without_top": (
        lambda t: applications.GoogLeNet(aux_classifiers=True, include_top=False),
        ValueError,
        "`aux_classifiers=True` needs `include_top=True`",
    ),
    "googlenet_aux_input_too_small": (
        lambda t: applications.GoogLeNet(input_shape=(64, 64, 3), aux_classifiers=True),
        ValueError,
        "at least 80",
    ),
    "googlenet_input_too_small": (
        lambda t: applications.GoogLeNet(input_shape=(16, 16, 3)),
        ValueError,
        "`input_shape`",
    ),
    "googlenet_pooling": (
        lambda t: applications.GoogLeNet(pooling="sum", include_top=False),
        ValueError,
        "`pooling`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
