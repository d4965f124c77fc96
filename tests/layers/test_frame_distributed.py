import keras
import numpy as np
import pytest
import tensorflow as tf
from keras.src import testing

from keras_dl.layers import FrameDistributed


class FrameDistributedTest(testing.TestCase):
    def test_layer_conformance(self):
        self.run_layer_test(
            FrameDistributed,
            init_kwargs={"layer": keras.layers.Conv2D(4, 3)},
            input_shape=(2, 3, 6, 6, 2),
            expected_output_shape=(2, 3, 4, 4, 4),
            expected_num_trainable_weights=2,
            # The wrapped layer keeps its own dtype policy (as with TimeDistributed);
            # mixed precision is checked below with a mixed-precision inner layer.
            run_mixed_precision_check=False,
        )

    def test_mixed_precision(self):
        layer = FrameDistributed(
            keras.layers.Conv2D(2, 3, dtype="mixed_float16"), dtype="mixed_float16"
        )
        output = layer(np.ones((1, 2, 5, 5, 1), "float32"))
        self.assertEqual(output.dtype, "float16")
        self.assertEqual(layer.layer.kernel.dtype, "float32")

    def test_same_outputs_as_time_distributed_without_batch_statistics(self):
        conv = keras.layers.Conv2D(3, 3, padding="same")
        x = np.random.default_rng(0).normal(size=(2, 4, 5, 5, 1)).astype("float32")
        self.assertAllClose(
            FrameDistributed(conv)(x), keras.layers.TimeDistributed(conv)(x), atol=1e-6
        )

    def test_batch_norm_sees_the_statistics_of_all_frames(self):
        # Each time step has its own mean: 0, 10, 20. Batch norm inside the
        # wrapper must normalise with the mean over all frames (10), as it will
        # at inference, not with each step's own mean.
        x = np.zeros((4, 3, 2), "float32") + np.array([0.0, 10.0, 20.0], "float32")[None, :, None]
        x += np.random.default_rng(1).normal(size=x.shape).astype("float32")
        norm = keras.layers.BatchNormalization(momentum=0.0)
        training_output = np.asarray(FrameDistributed(norm)(x, training=True))
        np.testing.assert_allclose(
            np.asarray(norm.moving_mean), x.reshape(-1, 2).mean(axis=0), rtol=1e-5
        )
        inference_output = np.asarray(FrameDistributed(norm)(x, training=False))
        np.testing.assert_allclose(training_output, inference_output, atol=1e-2)
        self.assertGreater(training_output[:, 2].mean() - training_output[:, 0].mean(), 2.0)

    def test_unknown_frame_dimensions_are_refused(self):
        layer = FrameDistributed(keras.layers.ReLU())
        traced = tf.function(layer, input_signature=[tf.TensorSpec((None, 3, None))])
        with self.assertRaisesRegex(ValueError, "known"):
            traced.get_concrete_function()


# Each case: a call of a temporary directory, the error it raises and a phrase of its message.
BAD_INPUTS = {
    "frame_distributed_not_a_layer": (lambda t: FrameDistributed("conv"), ValueError, "layer"),
    "frame_distributed_no_time_axis": (
        lambda t: FrameDistributed(keras.layers.Conv2D(2, 3))(np.ones((2, 8, 8, 3), "float32")),
        ValueError,
        "is the time axis missing?",
    ),
    "frame_distributed_2d_input": (
        lambda t: FrameDistributed(keras.layers.Dense(2))(np.ones((2, 3), "float32")),
        ValueError,
        "rank 3 or more",
    ),
}


@pytest.mark.parametrize("call, error, phrase", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gives_a_clear_error(call, error, phrase, assert_clear_error):
    assert_clear_error(call, error, phrase)
