import pytest

from keras_dl import applications

# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
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
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
