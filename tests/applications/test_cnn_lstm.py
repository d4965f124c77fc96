import numpy as np
import pytest

from keras_dl import applications


def test_cnn_lstm_applies_the_backbone_to_every_frame():
    backbone = applications.ResNet20(include_top=False, pooling="avg", input_shape=(16, 16, 1))
    model = applications.CNNLSTM(
        input_shape=(5, 16, 16, 1), backbone=backbone, lstm_units=12, classes=3
    )
    assert model.output_shape == (None, 3)
    assert model.get_layer("lstm").units == 12
    assert model.get_layer("frame_features").layer is backbone
    # Permuting the frames changes the prediction: the model reads the order.
    x = np.random.default_rng(0).uniform(size=(2, 5, 16, 16, 1)).astype("float32")
    assert not np.allclose(model.predict(x, verbose=0), model.predict(x[:, ::-1], verbose=0))


def test_cnn_lstm_pools_a_feature_map_backbone_and_drops_the_top():
    backbone = applications.ResNet20(include_top=False, input_shape=(16, 16, 1))
    model = applications.CNNLSTM(
        input_shape=(4, 16, 16, 1), backbone=backbone, include_top=False, lstm_units=7
    )
    assert model.output_shape == (None, 7)


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "cnn_lstm_input_rank": (
        lambda t: applications.CNNLSTM(input_shape=(32, 32, 3)),
        ValueError,
        "`input_shape`",
    ),
    "cnn_lstm_no_input_shape": (lambda t: applications.CNNLSTM(), ValueError, "`input_shape`"),
    "cnn_lstm_backbone_type": (
        lambda t: applications.CNNLSTM(input_shape=(4, 16, 16, 1), backbone="resnet"),
        TypeError,
        "`backbone`",
    ),
    "cnn_lstm_units": (
        lambda t: applications.CNNLSTM(input_shape=(4, 16, 16, 1), lstm_units=0),
        ValueError,
        "`lstm_units`",
    ),
    "cnn_lstm_negative_classes": (
        lambda t: applications.CNNLSTM(input_shape=(4, 16, 16, 1), classes=-2),
        ValueError,
        "`classes`",
    ),
    "cnn_lstm_backbone_frame_shape": (
        lambda t: applications.CNNLSTM(
            input_shape=(4, 16, 16, 1),
            backbone=applications.ResNet20(
                include_top=False, pooling="avg", input_shape=(32, 32, 3)
            ),
        ),
        ValueError,
        "`backbone`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
