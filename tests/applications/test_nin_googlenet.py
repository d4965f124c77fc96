import pytest

from keras_dl import applications
from keras_dl.layers import InceptionBlock, Mlpconv


def test_nin_is_three_mlpconv_blocks_and_global_average_pooling():
    model = applications.NiN()
    blocks = [layer for layer in model.layers if isinstance(layer, Mlpconv)]
    assert [block.filters for block in blocks] == [(192, 160, 96), (192, 192, 192), (192, 192, 10)]
    assert [block.kernel_size for block in blocks] == [(5, 5), (5, 5), (3, 3)]
    assert not any(type(layer).__name__ == "Dense" for layer in model.layers)
    assert sum(type(layer).__name__ == "Dropout" for layer in model.layers) == 2
    assert round(model.count_params() / 1e6, 2) == 0.97  # 966,986 with 10 classes
    assert model.output_shape == (None, 10)


def test_nin_without_top():
    model = applications.NiN(include_top=False, pooling="avg")
    assert model.output_shape == (None, 192)


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


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"aux_classifiers": True, "include_top": False}, "aux_classifiers"),
        ({"aux_classifiers": True, "input_shape": (64, 64, 3)}, "input_shape"),
        ({"input_shape": (16, 16, 3)}, "input_shape"),
        ({"pooling": "sum", "include_top": False}, "pooling"),
    ],
)
def test_googlenet_bad_arguments_are_named(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        applications.GoogLeNet(**kwargs)


def test_nin_bad_dropout_is_named():
    with pytest.raises(ValueError, match="dropout"):
        applications.NiN(dropout=1.5)
