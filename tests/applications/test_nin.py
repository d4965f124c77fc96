import pytest

from keras_dl import applications
from keras_dl.layers import Mlpconv


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


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "nin_dropout": (lambda t: applications.NiN(dropout=1.0), ValueError, "`dropout`"),
    "nin_input_too_small": (
        lambda t: applications.NiN(input_shape=(8, 8, 3)),
        ValueError,
        "`input_shape`",
    ),
    "nin_dropout_above_one": (lambda t: applications.NiN(dropout=1.5), ValueError, "`dropout`"),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
