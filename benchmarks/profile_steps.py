"""Where a training step's time goes: TensorFlow's profiler over `fit`, by operation.

For each workload the script fits one warm-up epoch, then profiles a few
dozen steps of a second `fit` with `tf.profiler.experimental` and reads the
trace (the XSpace protobuf the profiler writes): the time of every traced
TensorFlow operation of the training function, grouped as

- products: matrix products and convolutions, forward and backward;
- random: random-number generation;
- updates: variable assignments (the optimizer's, the RBM's chains, trackers);
- element-wise: everything else the graph runs (activations, sampling,
  sums, concatenations, casts, metrics);

and the step's wall-clock time (`fit` with the profiler off, median of
three epochs). The profiler traces only operations it deems expensive and
adds its own cost to each, so the traced time can exceed the wall time: read
the groups as shares of the traced time, and the wall time apart from them.
The untraced work (the executor's per-operation cost, Keras' loop, the input
pipeline) shows in `rbm_step_breakdown.py` instead.

Workloads: `rbm` (784-256 PCD-1 on binarised MNIST, batch 10 and 100, our
default `steps_per_execution`), `rbm-cd` (CD-1, batch 100), `dann` (the
LeNet digits networks of `examples/domain_adaptation_digits.py`, batch 64,
Adam 1e-3, lambda 0.5) and `gan` (the DCGAN of `benchmarks/gan_step.py`,
batch 64).

Run: python benchmarks/profile_steps.py [--workloads rbm rbm-cd dann gan] [--steps 40]
"""

import argparse
import collections
import glob
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf
from tensorflow.tsl.profiler.protobuf import xplane_pb2
from timing import EpochTimes

from keras_dl import applications, callbacks, datasets, models

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import domain_adaptation_digits as digits_task  # noqa: E402
import example_data  # noqa: E402

PRODUCT_OPS = ("MatMul", "Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "BatchMatMul",
               "Conv2DTranspose")


def category(op_type):
    """The group of a TensorFlow operation type (oneDNN's `_Mkl...` variants included)."""
    base = op_type.replace("_MklNative", "").replace("_Mkl", "").replace("_Fused", "")
    if any(base.startswith(name) or base.endswith(name) for name in PRODUCT_OPS):
        return "products"
    if "Random" in base:
        return "random"
    if "Assign" in base or base.startswith("ResourceApply"):
        return "updates"
    return "element-wise"


def traced_op_seconds(log_dir):
    """`{op type: seconds}` of the TensorFlow operations in a profiler trace."""
    (path,) = glob.glob(os.path.join(log_dir, "plugins", "profile", "*", "*.xplane.pb"))
    space = xplane_pb2.XSpace()
    with open(path, "rb") as file:
        space.ParseFromString(file.read())
    seconds = collections.Counter()
    for plane in space.planes:
        if plane.name != "/host:CPU":
            continue
        for line in plane.lines:
            if line.name.startswith(("python", "tf_data")):
                continue
            for event in line.events:
                name = plane.event_metadata[event.metadata_id].name
                # Operation events are named "scope/op_name:OpType".
                if ":" in name and "::" not in name:
                    seconds[name.rsplit(":", 1)[1]] += event.duration_ps * 1e-12
    return seconds


def profile(name, fit_epoch, steps_per_epoch, profiled_fit, profiled_steps):
    """Prints the wall time per step and the traced time per step by group."""
    fit_epoch(None)
    timer = EpochTimes()
    for _ in range(3):
        fit_epoch(timer)
    wall = np.median(timer.seconds) / steps_per_epoch
    with tempfile.TemporaryDirectory() as log_dir:
        tf.profiler.experimental.start(log_dir)
        profiled_fit()
        tf.profiler.experimental.stop()
        seconds = traced_op_seconds(log_dir)
    groups = collections.Counter()
    for op_type, value in seconds.items():
        groups[category(op_type)] += value / profiled_steps
    traced = sum(groups.values())
    shares = ", ".join(f"{group} {100 * value / traced:.0f}%"
                       for group, value in groups.most_common())
    top = ", ".join(f"{op_type} {1e6 * value / profiled_steps:.0f}"
                    for op_type, value in seconds.most_common(6))
    print(f"{name}: wall {1e3 * wall:.3f} ms/step; traced ops {1e3 * traced:.3f} ms/step "
          f"(profiler-inflated): {shares}; top op types (us/step): {top}", flush=True)
    return wall


def matmul_rate():
    """GFLOP/s of a float32 784 x 784 x 784 product in TensorFlow, best of five."""
    a = tf.random.uniform((784, 784))
    product = tf.function(lambda: tf.reduce_sum(tf.matmul(a, a)))
    product()
    best = min(_seconds(product) for _ in range(5))
    return 2 * 784**3 / best / 1e9


def convolution_rates():
    """GFLOP/s of the LeNet digits networks' second convolution (a batch of 128 12x12x32
    maps, 48 5x5 filters) in float32 and in bfloat16, best of five each."""
    rates = {}
    for dtype in (tf.float32, tf.bfloat16):
        maps = tf.cast(tf.random.uniform((128, 12, 12, 32)), dtype)
        filters = tf.cast(tf.random.uniform((5, 5, 32, 48)), dtype)
        convolve = tf.function(lambda: tf.reduce_sum(tf.cast(
            tf.nn.conv2d(maps, filters, 1, "VALID"), tf.float32)))
        convolve()
        best = min(_seconds(convolve) for _ in range(5))
        rates[dtype.name] = 2 * 128 * 8 * 8 * 48 * 5 * 5 * 32 / best / 1e9
    return rates


def _seconds(function):
    started = time.perf_counter()
    function().numpy()
    return time.perf_counter() - started


def product_flops(network, samples):
    """Multiply-adds x 2 of the `Conv2D` and `Dense` layers of a `Sequential` network for
    `samples` inputs: forward, and backward (the weights' gradients everywhere, the
    inputs' gradients except for the first layer): about 3x forward."""
    forward, first = 0, None
    for layer in network.layers:
        if isinstance(layer, keras.layers.Conv2D):
            height, width, channels = layer.output.shape[1:]
            flops = 2 * height * width * channels * np.prod(layer.kernel.shape[:3])
        elif isinstance(layer, keras.layers.Dense):
            flops = 2 * np.prod(layer.kernel.shape)
        else:
            continue
        first = flops if first is None else first
        forward += flops
    return samples * (3 * forward - first)


def binary_digits():
    _, (x_train, _), _ = example_data.load_digit_images()
    return (x_train.reshape(len(x_train), -1) >= 0.5).astype("float32")


def rbm_workloads(args, persistent, batch_sizes):
    x = binary_digits()
    for batch in batch_sizes:
        rbm = models.RBM(256, persistent=persistent, num_persistent_chains=batch, seed=0)
        rbm.compile(optimizer=keras.optimizers.SGD(0.05))
        steps = -(-len(x) // batch)
        profile(f"RBM 784-256 {'PCD' if persistent else 'CD'}-1, batch {batch}, "
                f"steps_per_execution {rbm.steps_per_execution}",
                lambda timer: rbm.fit(x, batch_size=batch, epochs=1, verbose=0,
                                      callbacks=[timer] if timer else None),
                steps,
                lambda: rbm.fit(x[: args.steps * batch], batch_size=batch, epochs=1, verbose=0),
                args.steps)


def dann_workload(args):
    (x_source, y_source), x_target, _ = digits_task.digits_shift()
    model = models.DomainAdversarialModel(*digits_task.networks(None), lambda_=0.5)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), metrics=["accuracy"])
    batches = datasets.domain_adaptation((x_source, y_source), x_target, 64)
    size = args.steps * 64
    profiled = datasets.domain_adaptation((x_source[:size], y_source[:size]), x_target, 64)
    wall = profile("DomainAdversarialModel, LeNet digits, batch 64",
                   lambda timer: model.fit(batches, epochs=1, verbose=0,
                                           callbacks=[timer] if timer else None),
                   -(-len(x_source) // 64), lambda: model.fit(profiled, epochs=1, verbose=0),
                   args.steps)
    features, labels, domains = digits_task.networks(None)
    flops = (product_flops(features, 128) + product_flops(labels, 64)
             + product_flops(domains, 128))
    rate = matmul_rate()
    print(f"  the networks' products: {flops / 1e9:.2f} GFLOP per step (64 source + 64 target "
          f"digits); at this machine's float32 784^3 product rate ({rate:.0f} GFLOP/s) "
          f"{1e3 * flops / rate / 1e9:.1f} ms, {100 * flops / rate / 1e9 / wall:.0f}% of the "
          "step's wall time")
    rates = convolution_rates()
    print(f"  its second convolution alone: float32 {rates['float32']:.0f} GFLOP/s, bfloat16 "
          f"{rates['bfloat16']:.0f} GFLOP/s (bfloat16 matrix units, where the CPU has them)")
    scheduler = callbacks.GradientReversalScheduler()
    scheduler.set_model(model)
    scheduler.set_params({"steps": 1000, "epochs": 1})
    scheduler.on_train_begin()
    started = time.perf_counter()
    for batch in range(1000):
        scheduler.on_train_batch_begin(batch)
    per_batch = (time.perf_counter() - started) / 1000
    print(f"  GradientReversalScheduler's per-batch work (a variable assignment from Python): "
          f"{1e6 * per_batch:.0f} us, {100 * per_batch / wall:.2f}% of a step")


def gan_workload(args):
    generator = applications.DCGANGenerator(100, output_shape=(28, 28, 1), filters=32)
    discriminator = applications.DCGANDiscriminator(input_shape=(28, 28, 1), filters=32)
    gan = models.GAN(generator, discriminator, latent_dim=100, seed=0)
    gan.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    _, (images, _), _ = example_data.load_digit_images()
    images = (2.0 * images.reshape(-1, 28, 28, 1) - 1.0).astype("float32")
    profile("GAN (DCGAN 28x28, 32 filters), batch 64",
            lambda timer: gan.fit(images[:64 * 40], batch_size=64, epochs=1, verbose=0,
                                  callbacks=[timer] if timer else None),
            40, lambda: gan.fit(images[: args.steps * 64], batch_size=64, epochs=1, verbose=0),
            args.steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", nargs="+", default=["rbm", "rbm-cd", "dann", "gan"],
                        choices=["rbm", "rbm-cd", "dann", "gan"])
    parser.add_argument("--steps", type=int, default=40, help="profiled steps per workload")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPU cores, TensorFlow {tf.__version__}, Keras {keras.__version__}")
    for workload in args.workloads:
        if workload == "rbm":
            rbm_workloads(args, persistent=True, batch_sizes=(10, 100))
        elif workload == "rbm-cd":
            rbm_workloads(args, persistent=False, batch_sizes=(100,))
        elif workload == "dann":
            dann_workload(args)
        else:
            gan_workload(args)


if __name__ == "__main__":
    main()
