"""Training throughput of keras_dl's ResNet50 against keras.applications.ResNet50.

Both models are built in this process with the same input size, batch size,
optimizer and data; after a warm-up that traces and compiles, single training
steps (`train_on_batch`) alternate in ABBA order (ours, theirs, theirs, ours,
...) so that both see the same machine state, and each model's throughput is
the batch size over its median step time (timing whole `fit` runs here
varied by +-25% from one invocation to the next). It prints
images/second for each, their ratio (ours / keras), the measured float32
matmul GFLOP/s of this machine, and the fraction of it that a ResNet50 train
step reaches (train FLOPs estimated as 3x the forward FLOPs counted by
TensorFlow's profiler: forward, plus backward through activations and
weights).

It runs on the backend Keras is set to (`KERAS_BACKEND`, printed); the matrix
product rate and the FLOP count are measured with that backend (`MEASURES`): on
JAX a `jax.jit` product and XLA's cost analysis of the compiled forward pass.
`--jit-compile` defaults to both settings on TensorFlow and to XLA alone on JAX
(without it Keras' JAX trainer runs the step uncompiled).

Run: [KERAS_BACKEND=jax] python benchmarks/resnet_throughput.py [--image-size 96]
     [--batch-size 16] [--steps 30] [--jit-compile both|on|off]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2
from timing import median_seconds

from keras_dl import applications


def matmul_gflops(compile_function, size=2048, repeats=20):
    """Measured float32 matrix-multiplication throughput, in GFLOP/s, of the backend's
    compiled product (`compile_function`: `tf.function`, `jax.jit`)."""
    a = keras.random.normal((size, size), seed=0)
    b = keras.random.normal((size, size), seed=1)
    multiply = compile_function(lambda a, b: keras.ops.sum(keras.ops.matmul(a, b)))
    seconds = median_seconds(lambda: float(multiply(a, b)), repeats)
    return 2 * size**3 / seconds / 1e9


def tensorflow_forward_flops(model, image_shape):
    """Floating-point operations of one image's forward pass (TensorFlow profiler)."""
    function = tf.function(lambda x: model(x, training=False))
    concrete = function.get_concrete_function(tf.TensorSpec((1, *image_shape)))
    graph_def = convert_variables_to_constants_v2(concrete).graph.as_graph_def()
    with tf.Graph().as_default() as graph:
        tf.graph_util.import_graph_def(graph_def, name="")
        options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
        options["output"] = "none"
        return tf.compat.v1.profiler.profile(graph=graph, options=options).total_float_ops


def jax_forward_flops(model, image_shape):
    """Floating-point operations of one image's forward pass (XLA's cost analysis of the
    compiled `stateless_call`)."""
    import jax

    def forward(trainable, non_trainable, images):
        return model.stateless_call(trainable, non_trainable, images, training=False)[0]

    values = lambda variables: [variable.value for variable in variables]  # noqa: E731
    compiled = jax.jit(forward).lower(values(model.trainable_variables),
                                      values(model.non_trainable_variables),
                                      jax.numpy.zeros((1, *image_shape))).compile()
    analysis = compiled.cost_analysis()
    return (analysis[0] if isinstance(analysis, list) else analysis)["flops"]


def jax_jit(function):
    import jax

    return jax.jit(function)


# The backend's compiled function and FLOP count.
MEASURES = {"tensorflow": (tf.function, tensorflow_forward_flops),
            "jax": (jax_jit, jax_forward_flops)}


def timed_step(model, images, labels):
    started = time.perf_counter()
    model.train_on_batch(images, labels)
    return time.perf_counter() - started


def compare(image_size, batch_size, steps, jit_compile):
    """Images/second of each model: the median of `steps` single training steps,
    interleaved ABBA so that slow drifts of the machine hit both models alike."""
    shape = (image_size, image_size, 3)
    models = {
        "keras_dl": applications.ResNet50(input_shape=shape),
        "keras.applications": keras.applications.ResNet50(weights=None, input_shape=shape),
    }
    rng = np.random.default_rng(0)
    images = rng.uniform(size=(batch_size, *shape)).astype("float32")
    labels = rng.integers(0, 1000, size=(batch_size,))
    for model in models.values():
        model.compile(
            keras.optimizers.SGD(0.01, momentum=0.9),
            "sparse_categorical_crossentropy",
            jit_compile=jit_compile,
        )
        for _ in range(3):  # trace, compile, warm up
            timed_step(model, images, labels)
    seconds = {name: [] for name in models}
    order = list(models)
    for _ in range(steps):
        for name in order:
            seconds[name].append(timed_step(models[name], images, labels))
        order.reverse()
    return {name: batch_size / statistics.median(times) for name, times in seconds.items()}, models


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-size", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--steps", type=int, default=30, help="timed steps per model")
    parser.add_argument("--jit-compile", choices=("both", "on", "off"),
                        help="both on TensorFlow, on (XLA) on JAX by default")
    args = parser.parse_args()
    backend = keras.backend.backend()
    default = "on" if backend == "jax" else "both"
    modes = {"both": (False, True), "on": (True,), "off": (False,)}[args.jit_compile or default]
    compile_function, forward_flops = MEASURES[backend]

    peak = matmul_gflops(compile_function)
    print(
        f"machine: {os.cpu_count()} CPU cores, TensorFlow {tf.__version__}, Keras "
        f"{keras.__version__} on {backend}; "
        f"measured float32 matmul: {peak:.1f} GFLOP/s"
    )
    print(
        f"ResNet50 training, input {args.image_size}x{args.image_size}x3, batch {args.batch_size}, "
        f"{args.steps} single steps per model, interleaved ABBA (median step time)"
    )
    flops = None
    for jit_compile in modes:
        throughput, models = compare(args.image_size, args.batch_size, args.steps, jit_compile)
        if flops is None:
            shape = (args.image_size, args.image_size, 3)
            flops = {name: forward_flops(model, shape) for name, model in models.items()}
            print(
                "forward GFLOPs per image: "
                + ", ".join(f"{n} {f / 1e9:.3f}" for n, f in flops.items())
            )
        ours, theirs = throughput["keras_dl"], throughput["keras.applications"]
        fraction = ours * 3 * flops["keras_dl"] / 1e9 / peak
        print(
            f"jit_compile={jit_compile}: keras_dl {ours:.2f} img/s, keras.applications "
            f"{theirs:.2f} img/s, "
            f"ratio {ours / theirs:.3f}; keras_dl train step reaches {100 * fraction:.1f}% "
            "of matmul GFLOP/s"
        )


if __name__ == "__main__":
    main()
