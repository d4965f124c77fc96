import keras
import numpy as np
import pytest

from keras_dl import applications
from keras_dl.layers import ResidualBlock


def test_resnet50_has_exactly_the_parameters_of_keras_resnet50():
    ours = applications.ResNet50()
    reference = keras.applications.ResNet50(weights=None)
    assert ours.count_params() == reference.count_params() == 25_636_712
    assert ours.output_shape == reference.output_shape == (None, 1000)


@pytest.mark.parametrize(
    "function, blocks_per_stage, expected_millions",
    # He et al. 2016, Table 6: ResNet-20 0.27M, 32 0.46M, 44 0.66M, 56 0.85M, 110 1.7M.
    [
        ("ResNet20", 3, 0.27),
        ("ResNet32", 5, 0.46),
        ("ResNet44", 7, 0.66),
        ("ResNet56", 9, 0.85),
        ("ResNet110", 18, 1.7),
    ],
)
def test_cifar_resnets_match_the_papers_sizes(function, blocks_per_stage, expected_millions):
    model = getattr(applications, function)()
    assert model.input_shape == (None, 32, 32, 3) and model.output_shape == (None, 10)
    # The paper counts convolution weights; biases and batch norm add about 1%.
    assert model.count_params() / 1e6 == pytest.approx(expected_millions, rel=0.03)
    blocks = [layer for layer in model.layers if isinstance(layer, ResidualBlock)]
    assert len(blocks) == 3 * blocks_per_stage  # 6n + 2 weighted layers
    assert all(block.shortcut == "zero_pad" for block in blocks)
    assert [block.output.shape[-1] for block in blocks[::blocks_per_stage]] == [16, 32, 64]


@pytest.mark.parametrize(
    "function, blocks, bottleneck",
    [
        ("ResNet18", 8, False),
        ("ResNet34", 16, False),
        ("ResNet101", 33, True),
        ("ResNet152", 50, True),
    ],
)
def test_imagenet_depths(function, blocks, bottleneck):
    model = getattr(applications, function)(input_shape=(64, 64, 3))
    residual_blocks = [layer for layer in model.layers if isinstance(layer, ResidualBlock)]
    assert len(residual_blocks) == blocks
    assert all(block.bottleneck == bottleneck for block in residual_blocks)
    assert model.output_shape == (None, 1000)


def test_preactivation_gives_v2_blocks_and_a_final_batch_norm():
    model = applications.ResNet18(input_shape=(64, 64, 3), preactivation=True)
    assert model.name == "resnet18v2"
    assert all(layer.preactivation for layer in model.layers if isinstance(layer, ResidualBlock))
    assert model.get_layer("post_bn") is not None


def test_include_top_false_and_pooling():
    features = applications.ResNet20(include_top=False)
    assert features.output_shape == (None, 8, 8, 64)
    assert applications.ResNet20(include_top=False, pooling="avg").output_shape == (None, 64)
    assert applications.ResNet18(
        include_top=False, pooling="max", input_shape=(64, 64, 3)
    ).output_shape == (None, 512)


def test_input_tensor_is_used():
    tensor = keras.Input((32, 32, 3))
    model = applications.ResNet20(input_tensor=tensor)
    assert model.inputs[0] is tensor


def test_weights_file_loads_and_a_mismatch_is_explained(tmp_path):
    source = applications.ResNet20(classes=10)
    path = str(tmp_path / "resnet20.weights.h5")
    source.save_weights(path)
    loaded = applications.ResNet20(classes=10, weights=path)
    x = np.random.default_rng(0).uniform(size=(2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(
        loaded.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-6
    )
    with pytest.raises(ValueError, match="weights.*classes=5"):
        applications.ResNet20(classes=5, weights=path)


def test_cifar_projection_shortcuts_add_weights():
    projection = applications.ResNet20(shortcut="projection")
    assert projection.count_params() > applications.ResNet20().count_params()


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "resnet_input_too_small": (
        lambda t: applications.ResNet20(input_shape=(4, 4, 3)),
        ValueError,
        "`input_shape`",
    ),
    "resnet_input_rank": (
        lambda t: applications.ResNet20(input_shape=(32, 32)),
        ValueError,
        "`input_shape`",
    ),
    "resnet_input_string": (
        lambda t: applications.ResNet20(input_shape="32x32x3"),
        ValueError,
        "`input_shape`",
    ),
    "resnet_unknown_channels": (
        lambda t: applications.ResNet20(input_shape=(32, 32, None)),
        ValueError,
        "channel",
    ),
    "resnet_classes_zero": (lambda t: applications.ResNet20(classes=0), ValueError, "`classes`"),
    "resnet_classes_float": (lambda t: applications.ResNet20(classes=2.5), TypeError, "`classes`"),
    "resnet_pooling": (
        lambda t: applications.ResNet20(include_top=False, pooling="mean"),
        ValueError,
        "`pooling`",
    ),
    "resnet_weights_missing_file": (
        lambda t: applications.ResNet20(weights=str(t / "missing.weights.h5")),
        ValueError,
        "`weights`",
    ),
    "resnet_weights_name": (
        lambda t: applications.ResNet18(weights="imagenet"),
        ValueError,
        "nothing is downloaded",
    ),
    "resnet_include_top": (
        lambda t: applications.ResNet20(include_top="yes"),
        TypeError,
        "`include_top`",
    ),
    "resnet_classifier_activation": (
        lambda t: applications.ResNet20(classifier_activation="nope"),
        ValueError,
        "`classifier_activation`",
    ),
    "resnet_preactivation": (
        lambda t: applications.ResNet50(preactivation=1),
        TypeError,
        "`preactivation`",
    ),
    "resnet_momentum_one": (
        lambda t: applications.ResNet20(batch_norm_momentum=1.0),
        ValueError,
        "`batch_norm_momentum`",
    ),
    "resnet_momentum_negative": (
        lambda t: applications.ResNet50(batch_norm_momentum=-0.1),
        ValueError,
        "`batch_norm_momentum`",
    ),
    "resnet_momentum_string": (
        lambda t: applications.ResNet20(batch_norm_momentum="0.9"),
        TypeError,
        "`batch_norm_momentum`",
    ),
    "resnet_epsilon_zero": (
        lambda t: applications.ResNet20(batch_norm_epsilon=0.0),
        ValueError,
        "`batch_norm_epsilon`",
    ),
    "resnet_input_tensor_rank": (
        lambda t: applications.ResNet20(input_tensor=keras.Input((32, 32))),
        ValueError,
        "`input_shape`",
    ),
    "resnet18_input_too_small": (
        lambda t: applications.ResNet18(input_shape=(16, 16, 3)),
        ValueError,
        "`input_shape`",
    ),
    "resnet18_input_rank": (
        lambda t: applications.ResNet18(input_shape=(224, 224)),
        ValueError,
        "`input_shape`",
    ),
    "resnet18_pooling": (
        lambda t: applications.ResNet18(pooling="mean", include_top=False),
        ValueError,
        "`pooling`",
    ),
    "resnet18_classes_zero": (lambda t: applications.ResNet18(classes=0), ValueError, "`classes`"),
    "resnet18_classifier_activation": (
        lambda t: applications.ResNet18(classifier_activation="no_such_activation"),
        ValueError,
        "`classifier_activation`",
    ),
    "resnet18_preactivation": (
        lambda t: applications.ResNet18(preactivation="yes"),
        TypeError,
        "`preactivation`",
    ),
    "resnet_shortcut": (
        lambda t: applications.ResNet20(shortcut="auto_magic"),
        ValueError,
        "`shortcut`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
