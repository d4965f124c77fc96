"""What each part of keras_dl's RBM training step costs, by taking the parts away.

The RBM (PCD-1, SGD, binarised MNIST) is fitted beside variants that each
drop one more part of the step, all in one process, epochs alternating
(`--rounds`, 3 by default, after a warm-up; medians):

1. `RBM`: the step as shipped;
2. without recording the data sums for AIS (`seen_visible_sum`);
3. without the data's reconstruction (the one product PCD spends on a log);
4. without computing the logs at all;
5. without updating the loss trackers;
6. an empty step: Keras' own loop (the input pipeline from NumPy arrays,
   the multi-step loop, the callbacks), nothing of the RBM;
7. on JAX only, the RBM as shipped with Keras' own JAX loop, which calls the
   compiled step once per batch from Python (keras_dl runs the steps of a call
   in one compiled `lax.scan`).

Each line is an epoch's median seconds; the differences between neighbours
are what the dropped part costs. The same empty step and the full step are
then fitted from a `tf.data.Dataset` of the same arrays (`from_tensor_slices(x)
.batch(batch)`), which shows what Keras' NumPy input pipeline costs at small
batches.

Run: [KERAS_BACKEND=jax] python benchmarks/rbm_step_breakdown.py [--hidden 64] [--batch-size 10]
     [--rounds 3]
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf
from keras import ops
from timing import EpochTimes

from keras_dl.models import RBM

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import example_data  # noqa: E402


class WithoutDataSums(RBM):
    """PCD without recording the data seen."""

    def _chain_statistics(self, v_data, training):
        return self._persistent_chain_statistics(v_data)


class WithoutReconstruction(WithoutDataSums):
    """... and without the reconstruction's product (unused, TensorFlow prunes it)."""

    def _persistent_chain_statistics(self, v_data):
        statistics = super()._persistent_chain_statistics(v_data)
        return statistics._replace(reconstruction=statistics.v_data)


class WithoutLogs(WithoutReconstruction):
    def _logs(self, statistics):
        return {"reconstruction_error": 0.0, "free_energy_gap": 0.0}, None


class WithoutTrackers(WithoutLogs):
    def finish_step(self, data, logs, predictions=None):
        return {"nothing": ops.zeros(())}


class EmptyStep(RBM):
    """Nothing of the RBM: Keras' loop and input pipeline only (on every backend)."""

    def training_step(self, data):
        return {"nothing": ops.zeros(())}


class OneCallPerBatch(RBM):
    """Keras' JAX loop: the compiled step called once per batch."""

    def make_train_function(self, force=False):
        return keras.Model.make_train_function(self, force)


def epoch_seconds(model, data, batch_size, rounds):
    """The seconds of each of `rounds` one-epoch fits."""
    timer, seconds = EpochTimes(), []
    for _ in range(rounds):
        model.fit(data, batch_size=batch_size, epochs=1, verbose=0, callbacks=[timer])
        seconds += timer.seconds
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    _, (x_train, _), _ = example_data.load_digit_images()
    x = (x_train.reshape(len(x_train), -1) >= 0.5).astype("float32")
    variants = [RBM, WithoutDataSums, WithoutReconstruction, WithoutLogs, WithoutTrackers,
                EmptyStep] + ([OneCallPerBatch] if keras.backend.backend() == "jax" else [])
    models = {}
    for variant in variants:
        model = variant(args.hidden, persistent=True, num_persistent_chains=args.batch_size,
                        seed=0)
        model.compile(optimizer=keras.optimizers.SGD(0.05))
        model.fit(x, batch_size=args.batch_size, epochs=1, verbose=0)
        models[variant.__name__] = model
    seconds = {name: [] for name in models}
    for _ in range(args.rounds):
        for name, model in models.items():
            seconds[name] += epoch_seconds(model, x, args.batch_size, 1)
    print(f"RBM 784-{args.hidden} PCD-1, batch {args.batch_size}, {len(x)} digits, Keras "
          f"{keras.__version__} on {keras.backend.backend()}, "
          f"steps_per_execution {models['RBM'].steps_per_execution}; median s/epoch of "
          f"{args.rounds} alternating rounds")
    for name, values in seconds.items():
        print(f"  {name:<22} NumPy arrays {np.median(values):.3f}")
    batches = tf.data.Dataset.from_tensor_slices(x).batch(args.batch_size)
    for name in ("RBM", "EmptyStep"):
        models[name].fit(batches, epochs=1, verbose=0)
        values = epoch_seconds(models[name], batches, None, args.rounds)
        print(f"  {name:<22} tf.data      {np.median(values):.3f}")


if __name__ == "__main__":
    main()
