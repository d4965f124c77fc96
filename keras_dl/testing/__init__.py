"""Checks that every keras_dl model must pass, for the test suite and for users' own models.

They verify the platform promises of the library: training with XLA, training
under `tf.distribute.MirroredStrategy`, the `.keras` round trip in safe mode
and SavedModel export with the same answers as the Keras model; and that bad input
gets a clear, one-line error (`assert_clear_error`).
"""

from keras_dl.testing.errors import assert_clear_error
from keras_dl.testing.model_checks import (
    assert_export_matches,
    assert_keras_file_round_trip,
    fit_one_epoch_under_mirrored_strategy,
    two_replica_strategy,
)

__all__ = [
    "assert_clear_error",
    "assert_export_matches",
    "assert_keras_file_round_trip",
    "fit_one_epoch_under_mirrored_strategy",
    "two_replica_strategy",
]
