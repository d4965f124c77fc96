"""DCGAN training throughput: keras_dl's `GAN.fit` against a hand-written loop.

The peer is the keras.io pattern ("DCGAN to generate face images"): a
compiled step that draws z, updates the discriminator on real and generated
images with binary cross-entropy, then the generator, with the same two
DCGAN networks (copied weights), optimizers, batch and data, in the same
process. It is written for the backend Keras runs on (`KERAS_BACKEND`,
printed; `HAND_WRITTEN_LOOPS` picks it): a `tf.function` with
`tf.GradientTape` on TensorFlow, a `jax.jit` of the networks' `stateless_call`,
`jax.value_and_grad` and the optimizers' `stateless_apply` on JAX (the keras.io
guide "Writing a training loop from scratch in JAX"), its state passed from
step to step. Runs alternate in ABBA order after a warm-up that traces and
compiles both; the script prints the median images/second of each and the
median and range of the per-round ratios (ours / hand-written). Our run is one
epoch of `fit`, timed from the epoch's start to its end (`EpochTimes`, as a
user's every epoch after the first), which leaves out `fit`'s once-per-call
set-up (about 30 ms here: callbacks, the data checks); the loop is timed whole.
Our `fit` runs `--steps-per-execution` steps per compiled call (a `compile`
option), the loop one step per call.

Run: [KERAS_BACKEND=jax] python benchmarks/gan_step.py [--batch-size 64] [--steps 100] [--rounds 16]
     [--steps-per-execution 1] [--jit-compile]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf
from timing import EpochTimes

from keras_dl import applications, models

LATENT_DIM = 100


def networks():
    return (
        applications.DCGANGenerator(LATENT_DIM, output_shape=(28, 28, 1), filters=32),
        applications.DCGANDiscriminator(input_shape=(28, 28, 1), filters=32),
    )


def tensorflow_loop(
    generator, discriminator, generator_optimizer, discriminator_optimizer, jit_compile
):
    """The keras.io DCGAN train_step as a plain tf.function; returns `run(batches)`, which
    runs it over a `tf.data.Dataset` and waits for the last step."""
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

    @tf.function(jit_compile=jit_compile)
    def step(real):
        batch = tf.shape(real)[0]
        z = tf.random.normal((batch, LATENT_DIM))
        with tf.GradientTape() as tape:
            fake = generator(z, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            loss = cross_entropy(tf.ones_like(real_logits), real_logits) + cross_entropy(
                tf.zeros_like(fake_logits), fake_logits
            )
        gradients = tape.gradient(loss, discriminator.trainable_variables)
        discriminator_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
        z = tf.random.normal((batch, LATENT_DIM))
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(z, training=True), training=True)
            generator_loss = cross_entropy(tf.ones_like(fake_logits), fake_logits)
        gradients = tape.gradient(generator_loss, generator.trainable_variables)
        generator_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
        return loss, generator_loss

    def run(batches):
        for batch in batches:
            losses = step(batch)
        float(losses[0])  # wait for the last step

    return run


def jax_loop(generator, discriminator, generator_optimizer, discriminator_optimizer,
             jit_compile):
    """The same step in JAX's stateless form (`jax.jit`-compiled with `jit_compile`);
    returns `run(batches)`, which runs it over the dataset's NumPy
    batches, keeps the state between runs and waits for the last step."""
    import jax

    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    generator_optimizer.build(generator.trainable_variables)
    discriminator_optimizer.build(discriminator.trainable_variables)

    def logits(networks, z, real=None):
        """Discriminator logits of generated images (and of `real`), and the networks'
        new non-trainable values."""
        (g_trainable, g_non_trainable), (d_trainable, d_non_trainable) = networks
        fake, g_non_trainable = generator.stateless_call(
            g_trainable, g_non_trainable, z, training=True)
        images = fake if real is None else keras.ops.concatenate([real, fake])
        outputs, d_non_trainable = discriminator.stateless_call(
            d_trainable, d_non_trainable, images, training=True)
        return outputs, ((g_trainable, g_non_trainable), (d_trainable, d_non_trainable))

    def discriminator_loss(d_trainable, networks, real, z):
        networks = (networks[0], (d_trainable, networks[1][1]))
        outputs, networks = logits(networks, z, real)
        real_logits, fake_logits = outputs[: len(real)], outputs[len(real):]
        loss = cross_entropy(keras.ops.ones_like(real_logits), real_logits) + cross_entropy(
            keras.ops.zeros_like(fake_logits), fake_logits)
        return loss, networks

    def generator_loss(g_trainable, networks, z):
        outputs, networks = logits(((g_trainable, networks[0][1]), networks[1]), z)
        return cross_entropy(keras.ops.ones_like(outputs), outputs), networks

    def step(state, real, step_number):
        networks, (g_optimizer, d_optimizer) = state
        key = jax.random.fold_in(jax.random.key(0), step_number)
        z = jax.random.normal(jax.random.fold_in(key, 0), (len(real), LATENT_DIM))
        (loss, networks), gradients = jax.value_and_grad(discriminator_loss, has_aux=True)(
            networks[1][0], networks, real, z)
        d_trainable, d_optimizer = discriminator_optimizer.stateless_apply(
            d_optimizer, gradients, networks[1][0])
        networks = (networks[0], (d_trainable, networks[1][1]))
        z = jax.random.normal(jax.random.fold_in(key, 1), (len(real), LATENT_DIM))
        (g_loss, networks), gradients = jax.value_and_grad(generator_loss, has_aux=True)(
            networks[0][0], networks, z)
        g_trainable, g_optimizer = generator_optimizer.stateless_apply(
            g_optimizer, gradients, networks[0][0])
        networks = ((g_trainable, networks[0][1]), networks[1])
        return (networks, (g_optimizer, d_optimizer)), (loss, g_loss)

    step = jax.jit(step, donate_argnums=0) if jit_compile else step
    values = lambda variables: [variable.value for variable in variables]  # noqa: E731
    state = [(
        ((values(generator.trainable_variables), values(generator.non_trainable_variables)),
         (values(discriminator.trainable_variables),
          values(discriminator.non_trainable_variables))),
        (values(generator_optimizer.variables), values(discriminator_optimizer.variables)),
    ), 0]

    def run(batches):
        for batch in batches.as_numpy_iterator():
            state[0], losses = step(state[0], batch, state[1])
            state[1] += 1
        float(losses[0])  # wait for the last step

    return run


HAND_WRITTEN_LOOPS = {"tensorflow": tensorflow_loop, "jax": jax_loop}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--steps-per-execution", type=int, default=1)
    parser.add_argument("--jit-compile", action="store_true")
    args = parser.parse_args()
    # JAX runs steps compiled (XLA); `--jit-compile` asks TensorFlow for XLA too.
    args.jit_compile = args.jit_compile or keras.backend.backend() == "jax"
    keras.utils.set_random_seed(0)

    images = (
        np.random.default_rng(0)
        .uniform(-1, 1, size=(args.batch_size * args.steps, 28, 28, 1))
        .astype("float32")
    )
    gan = models.GAN(*networks(), latent_dim=LATENT_DIM, loss="non_saturating", seed=0)
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        jit_compile=args.jit_compile,
        steps_per_execution=args.steps_per_execution,
    )
    generator, discriminator = networks()
    generator.set_weights(gan.generator.get_weights())
    discriminator.set_weights(gan.discriminator.get_weights())
    run_hand_written = HAND_WRITTEN_LOOPS[keras.backend.backend()](
        generator,
        discriminator,
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        args.jit_compile,
    )
    # Both read the same in-memory tf.data pipeline.
    batches = tf.data.Dataset.from_tensor_slices(images).batch(args.batch_size, drop_remainder=True)

    epoch_times = EpochTimes()

    def run_ours():
        gan.fit(batches, epochs=1, verbose=0, callbacks=[epoch_times])
        return epoch_times.seconds[0]

    def run_loop():
        started = time.perf_counter()
        run_hand_written(batches)
        return time.perf_counter() - started

    runs = {"keras_dl GAN.fit": run_ours, "hand-written loop": run_loop}
    for run in runs.values():
        run()  # trace, compile, warm up
    seconds = {name: [] for name in runs}
    order = list(runs)
    for _ in range(args.rounds):
        for name in order:
            seconds[name].append(runs[name]())
        order.reverse()
    throughput = {
        name: args.batch_size * args.steps / statistics.median(times)
        for name, times in seconds.items()
    }
    ours, theirs = throughput["keras_dl GAN.fit"], throughput["hand-written loop"]
    ratios = np.array(seconds["hand-written loop"]) / np.array(
        seconds["keras_dl GAN.fit"]
    )
    print(
        f"DCGAN 28x28 (filters 32), batch {args.batch_size}, {args.steps} steps per run, "
        f"{args.rounds} runs each "
        f"(median), jit_compile={args.jit_compile}, "
        f"steps_per_execution={args.steps_per_execution}, "
        f"{os.cpu_count()} CPU cores, Keras {keras.__version__} on {keras.backend.backend()}"
    )
    print(
        f"keras_dl GAN.fit: {ours:.1f} img/s; hand-written loop: {theirs:.1f} img/s (medians); "
        f"ratio (ours / loop) per pair: median {np.median(ratios):.3f}, range "
        f"{ratios.min():.3f}-{ratios.max():.3f}"
    )


if __name__ == "__main__":
    main()
