"""ResNet50 training speed on the backend Keras runs on, without TensorFlow: keras_dl's
`ResNet50` against `keras.applications.ResNet50`, in float32 and `mixed_bfloat16`.

Made for a GPU machine that has JAX or torch but no TensorFlow (`import keras_dl` needs
none on those backends). Both models are built in this process and timed in alternating
rounds (ours, Keras', ours, ...) of `--steps` `train_on_batch` calls after two warm-up
calls; the script prints each side's median images per second, both sides' rounds, the
ratio, and the fraction of the device's measured matrix-product rate that the step
reaches (a training step counted as three times the forward FLOPs, 4.09 GFLOP per
224x224 image for ResNet50, He et al. 2016, table 1, scaled by the image area).

Run: KERAS_BACKEND=jax|torch python benchmarks/resnet_backends.py [--batch-size 64]
     [--image-size 224] [--rounds 4] [--steps 10] [--policies float32 mixed_bfloat16]
     [--matmul-size 8192]
"""

import argparse
import statistics
import time

import keras
import numpy as np

import keras_dl

FORWARD_GFLOP_224 = 4.09


def matmul_tflops(dtype, size=8192, repeats=10):
    """The device's rate for one `size`^3 matrix product in `dtype`, TFLOP/s."""
    a = keras.random.normal((size, size), dtype=dtype, seed=0)
    b = keras.random.normal((size, size), dtype=dtype, seed=1)
    keras.ops.convert_to_numpy(keras.ops.sum(keras.ops.matmul(a, b)))  # compile, warm up
    start = time.perf_counter()
    for _ in range(repeats):
        c = keras.ops.matmul(a, b)
    keras.ops.convert_to_numpy(keras.ops.sum(c))
    return 2 * size**3 * repeats / (time.perf_counter() - start) / 1e12


def compiled(model):
    model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9),
                  loss="sparse_categorical_crossentropy")
    return model


def images_per_second(model, x, y, steps):
    start = time.perf_counter()
    for _ in range(steps):
        loss = model.train_on_batch(x, y)
    float(np.asarray(loss))  # waits for the device
    return steps * len(x) / (time.perf_counter() - start)


def run(policy, args):
    keras.mixed_precision.set_global_policy(policy)
    shape = (args.image_size, args.image_size, 3)
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(args.batch_size, *shape)).astype("float32")
    y = rng.integers(0, 1000, size=(args.batch_size,))
    sides = {
        "keras_dl": compiled(keras_dl.applications.ResNet50(input_shape=shape)),
        "keras.applications": compiled(keras.applications.ResNet50(weights=None,
                                                                    input_shape=shape)),
    }
    for model in sides.values():
        for _ in range(2):
            model.train_on_batch(x, y)
    rounds = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, model in sides.items():
            rounds[name].append(images_per_second(model, x, y, args.steps))
    peak = matmul_tflops("bfloat16" if policy == "mixed_bfloat16" else "float32",
                         args.matmul_size)
    train_gflop = 3 * FORWARD_GFLOP_224 * (args.image_size / 224) ** 2
    ours, theirs = (statistics.median(rounds[name]) for name in sides)
    print(f"{keras.backend.backend()} {policy}: keras_dl {ours:.0f} img/s, keras.applications "
          f"{theirs:.0f} img/s, ratio {ours / theirs:.3f}; ours {ours * train_gflop / 1e3:.1f} "
          f"TFLOP/s = {100 * ours * train_gflop / 1e3 / peak:.1f}% of the {peak:.1f} TFLOP/s "
          f"measured for one product")
    for name, values in rounds.items():
        print(f"    {name} rounds: {' '.join(f'{v:.0f}' for v in values)}")
    keras.mixed_precision.set_global_policy("float32")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--policies", nargs="+", default=["float32", "mixed_bfloat16"])
    parser.add_argument("--matmul-size", type=int, default=8192)
    args = parser.parse_args()
    print(f"backend {keras.backend.backend()}, keras {keras.__version__}", flush=True)
    for policy in args.policies:
        run(policy, args)


if __name__ == "__main__":
    main()
