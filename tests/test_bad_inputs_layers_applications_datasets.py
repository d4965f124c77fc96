"""Bad arguments and inputs of the public layers, applications and datasets.

Each case is `(callable, exception type, phrase of the message)`: the callable
must raise that type with a one-line message containing the phrase, and never
a TensorFlow graph dump.
"""

import gzip

import keras
import numpy as np
import pytest

from keras_dl import applications, datasets, layers

ones = np.ones((2, 8, 8, 3), "float32")
pooled = np.ones((1, 2, 2, 1), "float32")
argmax = np.array([0, 2, 8, 10], "int32").reshape(1, 2, 2, 1)


def write(path, data):
    path.write_bytes(data)
    return str(path)


def idx_bytes(shape, type_code=0x08):
    header = bytes([0, 0, type_code, len(shape)]) + np.array(shape, ">u4").tobytes()
    return header + np.zeros(int(np.prod(shape)), "u1").tobytes()


CASES = {
    # keras_dl.layers
    "mlpconv_empty_filters": (lambda t: layers.Mlpconv([], 3), ValueError, "`filters`"),
    "mlpconv_kernel_size": (lambda t: layers.Mlpconv([4], 0), ValueError, "`kernel_size`"),
    "mlpconv_padding": (lambda t: layers.Mlpconv([4], 3, padding="full"), ValueError, "`padding`"),
    "mlpconv_momentum": (
        lambda t: layers.Mlpconv([4], 3, use_batchnorm=True, batch_norm_momentum=1.0),
        ValueError,
        "`batch_norm_momentum` must be a float in [0, 1)",
    ),
    "mlpconv_epsilon": (
        lambda t: layers.Mlpconv([4], 3, batch_norm_epsilon=0.0),
        ValueError,
        "`batch_norm_epsilon` must be a positive number",
    ),
    "mlpconv_3d_input": (
        lambda t: layers.Mlpconv([4], 3)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
    "mlpconv_unknown_channels": (
        lambda t: layers.Mlpconv([4], 3)(keras.Input((8, 8, None))),
        ValueError,
        "known channels",
    ),
    "mlpconv_int_input": (
        lambda t: layers.Mlpconv([4], 3)(np.ones((2, 8, 8, 3), "int32")),
        TypeError,
        "Mlpconv expects floating-point inputs",
    ),
    "inception_filters": (
        lambda t: layers.InceptionBlock(0, 1, 1, 1, 1, 1),
        ValueError,
        "`filters_1x1`",
    ),
    "inception_use_batchnorm": (
        lambda t: layers.InceptionBlock(1, 1, 1, 1, 1, 1, use_batchnorm="yes"),
        TypeError,
        "`use_batchnorm`",
    ),
    "inception_int_input": (
        lambda t: layers.InceptionBlock(1, 1, 1, 1, 1, 1)(np.ones((1, 8, 8, 3), "uint8")),
        TypeError,
        "floating-point inputs",
    ),
    "inception_3d_input": (
        lambda t: layers.InceptionBlock(1, 1, 1, 1, 1, 1)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
    "residual_filters": (lambda t: layers.ResidualBlock(0), ValueError, "`filters`"),
    "residual_shortcut": (
        lambda t: layers.ResidualBlock(4, shortcut="identity"),
        ValueError,
        "`shortcut`",
    ),
    "residual_strides": (
        lambda t: layers.ResidualBlock(4, strides=(1, 2, 3)),
        TypeError,
        "`strides`",
    ),
    "residual_zero_pad_fewer_channels": (
        lambda t: layers.ResidualBlock(2, shortcut="zero_pad")(ones),
        ValueError,
        "zero_pad",
    ),
    "residual_momentum": (
        lambda t: layers.ResidualBlock(4, batch_norm_momentum=-0.1),
        ValueError,
        "`batch_norm_momentum`",
    ),
    "residual_int_input": (
        lambda t: layers.ResidualBlock(3)(np.ones((2, 8, 8, 3), "int64")),
        TypeError,
        "received dtype int64",
    ),
    "residual_3d_input": (
        lambda t: layers.ResidualBlock(4)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
    "gradient_reversal_negative": (
        lambda t: layers.GradientReversal(lambda_=-1.0),
        ValueError,
        "`lambda_`",
    ),
    "gradient_reversal_string": (
        lambda t: layers.GradientReversal(lambda_="1"),
        TypeError,
        "`lambda_`",
    ),
    "argmax_pooling_padding": (
        lambda t: layers.MaxPoolingWithArgmax2D(padding="full"),
        ValueError,
        "`padding`",
    ),
    "argmax_pooling_3d_input": (
        lambda t: layers.MaxPoolingWithArgmax2D()(np.ones((2, 8, 8), "float32")),
        ValueError,
        "(batch, height, width, channels)",
    ),
    "argmax_pooling_window_too_large": (
        lambda t: layers.MaxPoolingWithArgmax2D(5)(np.ones((1, 4, 4, 1), "float32")),
        ValueError,
        "`pool_size`",
    ),
    "unpooling_pool_size": (
        lambda t: layers.MaxUnpooling2D(pool_size=0),
        ValueError,
        "`pool_size`",
    ),
    "unpooling_one_input": (
        lambda t: layers.MaxUnpooling2D()([pooled]),
        ValueError,
        "[pooled, argmax]",
    ),
    "unpooling_float_argmax": (
        lambda t: layers.MaxUnpooling2D()([pooled, pooled]),
        TypeError,
        "`argmax`",
    ),
    "unpooling_argmax_out_of_range": (
        lambda t: layers.MaxUnpooling2D()([pooled, argmax + 8]),
        ValueError,
        "`argmax` must hold flat positions in [0, height * width * channels)",
    ),
    "unpooling_shape_mismatch": (
        lambda t: layers.MaxUnpooling2D()([pooled, np.zeros((1, 2, 3, 1), "int32")]),
        ValueError,
        "same shape",
    ),
    "stochastic_depth_rate": (lambda t: layers.StochasticDepth(1.0), ValueError, "`rate`"),
    "stochastic_depth_single_input": (
        lambda t: layers.StochasticDepth(0.1)(ones),
        ValueError,
        "[shortcut, residual]",
    ),
    "stochastic_depth_shape_mismatch": (
        lambda t: layers.StochasticDepth(0.1)([ones, ones[:, :4]]),
        ValueError,
        "same shape",
    ),
    "drop_block_rate": (lambda t: layers.DropBlock2D(1.5, 3), ValueError, "`rate`"),
    "drop_block_block_size": (lambda t: layers.DropBlock2D(0.1, 2.0), TypeError, "`block_size`"),
    "drop_block_3d_input": (
        lambda t: layers.DropBlock2D(0.1, 3)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "(batch, height, width, channels)",
    ),
    "drop_block_block_larger_than_map": (
        lambda t: layers.DropBlock2D(0.1, 9)(ones, training=True),
        ValueError,
        "`block_size`",
    ),
    "frame_distributed_not_a_layer": (
        lambda t: layers.FrameDistributed("conv"),
        ValueError,
        "layer",
    ),
    "frame_distributed_no_time_axis": (
        lambda t: layers.FrameDistributed(keras.layers.Conv2D(2, 3))(ones),
        ValueError,
        "is the time axis missing?",
    ),
    "frame_distributed_2d_input": (
        lambda t: layers.FrameDistributed(keras.layers.Dense(2))(np.ones((2, 3), "float32")),
        ValueError,
        "rank 3 or more",
    ),
    # keras_dl.applications
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
    "nin_dropout": (lambda t: applications.NiN(dropout=1.0), ValueError, "`dropout`"),
    "nin_input_too_small": (
        lambda t: applications.NiN(input_shape=(8, 8, 3)),
        ValueError,
        "`input_shape`",
    ),
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
    "dcgan_generator_size": (
        lambda t: applications.DCGANGenerator(output_shape=(48, 48, 3)),
        ValueError,
        "`output_shape`",
    ),
    "dcgan_generator_latent_dim": (
        lambda t: applications.DCGANGenerator(latent_dim=0),
        ValueError,
        "`latent_dim`",
    ),
    "dcgan_discriminator_channels": (
        lambda t: applications.DCGANDiscriminator(input_shape=(32, 32, 0)),
        ValueError,
        "channels",
    ),
    "dcgan_discriminator_epsilon": (
        lambda t: applications.DCGANDiscriminator(batch_norm_epsilon=-1.0),
        ValueError,
        "`batch_norm_epsilon`",
    ),
    "autoencoder_not_divisible": (
        lambda t: applications.ConvolutionalAutoencoder((30, 30, 1)),
        ValueError,
        "divisible",
    ),
    "autoencoder_unpooling": (
        lambda t: applications.ConvolutionalAutoencoder((28, 28, 1), unpooling="bilinear"),
        ValueError,
        "`unpooling`",
    ),
    "autoencoder_filters": (
        lambda t: applications.ConvolutionalAutoencoder((28, 28, 1), filters=[]),
        ValueError,
        "`filters`",
    ),
    "autoencoder_latent_dim": (
        lambda t: applications.ConvolutionalAutoencoder((28, 28, 1), latent_dim=0),
        ValueError,
        "`latent_dim`",
    ),
    # keras_dl.datasets
    "load_name_type": (lambda t: datasets.load(3), TypeError, "`name`"),
    "load_unknown_name": (
        lambda t: datasets.load("no_such_dataset_anywhere"),
        ValueError,
        "`name` must be",
    ),
    "load_digits_split": (lambda t: datasets.load("digits", "validation"), ValueError, "`split`"),
    "load_digits_kwargs": (
        lambda t: datasets.load("digits", data_dir=str(t)),
        TypeError,
        "takes only `image_size`",
    ),
    "load_unprepared_without_download": (
        lambda t: datasets.load("mnist", data_dir=str(t / "none"), download=False),
        FileNotFoundError,
        "not prepared",
    ),
    "load_idx_missing_file": (
        lambda t: datasets.load_idx(str(t / "missing.idx")),
        FileNotFoundError,
        "missing.idx",
    ),
    "load_idx_not_idx": (
        lambda t: datasets.load_idx(write(t / "a.txt", b"hello world")),
        ValueError,
        "is not an IDX file",
    ),
    "load_idx_truncated": (
        lambda t: datasets.load_idx(write(t / "a.idx", idx_bytes((4, 2))[:-3])),
        ValueError,
        "header announces shape (4, 2)",
    ),
    "load_idx_gzip_not_idx": (
        lambda t: datasets.load_idx(write(t / "a.gz", gzip.compress(b"\x01\x02\x03\x04"))),
        ValueError,
        "is not an IDX file",
    ),
    "load_idx_label_count": (
        lambda t: datasets.load_idx(
            write(t / "x.idx", idx_bytes((4, 2, 2))), write(t / "y.idx", idx_bytes((3,)))
        ),
        ValueError,
        "holds 3 labels",
    ),
    "growth_sequences_count": (
        lambda t: datasets.growth_sequences(0),
        ValueError,
        "`num_sequences`",
    ),
    "growth_sequences_count_float": (
        lambda t: datasets.growth_sequences(4.0),
        TypeError,
        "`num_sequences`",
    ),
    "growth_sequences_timesteps": (
        lambda t: datasets.growth_sequences(4, timesteps=3),
        ValueError,
        "`timesteps`",
    ),
    "growth_sequences_image_size": (
        lambda t: datasets.growth_sequences(4, image_size=4),
        ValueError,
        "`image_size`",
    ),
    "growth_sequences_genotypes": (
        lambda t: datasets.growth_sequences(4, num_genotypes=10),
        ValueError,
        "`num_genotypes`",
    ),
    "rotated_moons_count": (lambda t: datasets.rotated_moons(0), ValueError, "`num_samples`"),
    "rotated_moons_noise": (
        lambda t: datasets.rotated_moons(10, noise=-1.0),
        ValueError,
        "`noise`",
    ),
    "rotated_moons_angle": (
        lambda t: datasets.rotated_moons(10, angle="35"),
        TypeError,
        "`angle`",
    ),
    "rotated_moons_seed": (lambda t: datasets.rotated_moons(10, seed=None), TypeError, "`seed`"),
    "rotated_moons_negative_seed": (
        lambda t: datasets.rotated_moons(10, seed=-1),
        ValueError,
        "`seed`",
    ),
}


@pytest.mark.parametrize("call, error, phrase", CASES.values(), ids=CASES.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, tmp_path):
    with pytest.raises(error) as info:
        call(tmp_path)
    message = str(info.value)
    if message.startswith("Exception encountered when calling"):
        # Keras' context around an error raised in `call`: keep the error's own line.
        message = message.split("\n\n")[1].replace("\x1b[1m", "").replace("\x1b[0m", "")
    assert phrase in message
    assert "\n" not in message.strip()
    for graph_dump in ("Graph execution error", "Detected at node", "node "):
        assert graph_dump not in message
