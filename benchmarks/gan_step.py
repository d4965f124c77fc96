"""DCGAN training throughput: keras_dl's `GAN.fit` against a hand-written loop.

The peer is the keras.io pattern ("DCGAN to generate face images"): a
`tf.function` that draws z, updates the discriminator on real and generated
images with binary cross-entropy, then the generator, with the same two
DCGAN networks (copied weights), optimizers, batch and data, in the same
process. Runs alternate in ABBA order after a warm-up that traces and
compiles both; the script prints the median images/second of each and the
median and range of the per-round ratios (ours / hand-written). Our run is one
epoch of `fit`, timed from the epoch's start to its end (`EpochTimes`, as a
user's every epoch after the first), which leaves out `fit`'s once-per-call
set-up (about 30 ms here: callbacks, the data checks); the loop is timed whole.
Our `fit` runs `--steps-per-execution` steps per compiled call (a `compile`
option), the loop one step per call.

Run: python benchmarks/gan_step.py [--batch-size 64] [--steps 100] [--rounds 16]
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


def hand_written_step(
    generator, discriminator, generator_optimizer, discriminator_optimizer, jit_compile
):
    """The keras.io DCGAN train_step, as a plain tf.function."""
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

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--steps-per-execution", type=int, default=1)
    parser.add_argument("--jit-compile", action="store_true")
    args = parser.parse_args()
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
    step = hand_written_step(
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
        for batch in batches:
            losses = step(batch)
        float(losses[0])  # wait for the last step
        return time.perf_counter() - started

    runs = {"keras_dl GAN.fit": run_ours, "hand-written tf.function loop": run_loop}
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
    ours, theirs = throughput["keras_dl GAN.fit"], throughput["hand-written tf.function loop"]
    ratios = np.array(seconds["hand-written tf.function loop"]) / np.array(
        seconds["keras_dl GAN.fit"]
    )
    print(
        f"DCGAN 28x28 (filters 32), batch {args.batch_size}, {args.steps} steps per run, "
        f"{args.rounds} runs each "
        f"(median), jit_compile={args.jit_compile}, "
        f"steps_per_execution={args.steps_per_execution}, "
        f"{os.cpu_count()} CPU cores"
    )
    print(
        f"keras_dl GAN.fit: {ours:.1f} img/s; hand-written loop: {theirs:.1f} img/s (medians); "
        f"ratio (ours / loop) per pair: median {np.median(ratios):.3f}, range "
        f"{ratios.min():.3f}-{ratios.max():.3f}"
    )


if __name__ == "__main__":
    main()
