import numpy as np
import pytest
from keras.src import testing

from keras_dl.layers import InceptionBlock

INCEPTION_3A = dict(
    filters_1x1=64,
    filters_3x3_reduce=96,
    filters_3x3=128,
    filters_5x5_reduce=16,
    filters_5x5=32,
    filters_pool_proj=32,
)


class InceptionBlockTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            InceptionBlock,
            init_kwargs={
                "filters_1x1": 4,
                "filters_3x3_reduce": 2,
                "filters_3x3": 6,
                "filters_5x5_reduce": 2,
                "filters_5x5": 3,
                "filters_pool_proj": 5,
            },
            input_shape=(2, 7, 7, 3),
            expected_output_shape=(2, 7, 7, 18),
            expected_num_trainable_weights=12,
            expected_num_non_trainable_weights=0,
        )

    def test_layer_conformance_with_batchnorm(self):
        self.run_layer_test(
            InceptionBlock,
            init_kwargs={**{k: 2 for k in INCEPTION_3A}, "use_batchnorm": True},
            input_shape=(2, 6, 6, 3),
            expected_output_shape=(2, 6, 6, 8),
            expected_num_trainable_weights=18,  # 6 kernels, 6 gammas, 6 betas
            expected_num_non_trainable_weights=12,
        )

    def test_inception_3a_has_the_papers_weights(self):
        # Szegedy et al. 2015, Table 1, inception (3a) on the 28x28x192 input.
        block = InceptionBlock(**INCEPTION_3A)
        output = block(np.zeros((1, 28, 28, 192), "float32"))
        self.assertEqual(tuple(output.shape), (1, 28, 28, 256))
        self.assertEqual(block.count_params(), 163_696)

    def test_branches_are_concatenated_in_order(self):
        block = InceptionBlock(**{k: 3 for k in INCEPTION_3A})
        x = np.random.default_rng(0).normal(size=(1, 5, 5, 4)).astype("float32")
        output = np.asarray(block(x))
        for index, branch in enumerate(block._branches()):
            branch_output = x
            for layer in branch:
                branch_output = layer(branch_output)
            self.assertAllClose(output[..., 3 * index : 3 * index + 3], branch_output)


@pytest.mark.parametrize("argument", sorted(INCEPTION_3A))
@pytest.mark.parametrize("value, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError)])
def test_bad_filters_name_the_argument(argument, value, error, assert_clear_error):
    assert_clear_error(
        lambda t: InceptionBlock(**{**INCEPTION_3A, argument: value}), error, f"`{argument}`"
    )


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "inception_use_batchnorm": (
        lambda t: InceptionBlock(1, 1, 1, 1, 1, 1, use_batchnorm="yes"),
        TypeError,
        "`use_batchnorm`",
    ),
    "inception_int_input": (
        lambda t: InceptionBlock(1, 1, 1, 1, 1, 1)(np.ones((1, 8, 8, 3), "uint8")),
        TypeError,
        "floating-point inputs",
    ),
    "inception_3d_input": (
        lambda t: InceptionBlock(1, 1, 1, 1, 1, 1)(np.ones((2, 8, 8), "float32")),
        ValueError,
        "4D",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
