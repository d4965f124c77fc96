"""ResNet on CIFAR-10 with the recipe of He et al. 2016, section 4.2.

Published figure this aims at: ResNet-20 reaches 8.75% test error on CIFAR-10
(He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, Table 6).

The recipe: SGD with momentum 0.9, weight decay 1e-4, batch 128, learning rate
0.1 divided by 10 at 32k and 48k iterations, 64k iterations in all, 4-pixel
padding with random 32x32 crops and horizontal flips, option A shortcuts.
(Keras applies weight decay decoupled from the gradient; with SGD it is the
paper's L2 penalty up to the momentum's smoothing.)

By default this runs a short schedule on the shared MNIST split (first 8,000
images for training, last 2,000 for test; scikit-learn's digits if it is
absent) so that it finishes in minutes on a CPU: the same recipe with the
iteration boundaries scaled to the short run and crops without flips (digits
are not mirror-symmetric). For the paper's run: --dataset cifar10 --full
(downloads CIFAR-10 through tensorflow_datasets).

Run: python examples/resnet_cifar10.py [--dataset mnist|digits|cifar10] [--full]
     [--depth 20] [--iterations N] [--log-dir runs/resnet_cifar10]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import numpy as np
import tensorflow as tf

from keras_dl import applications

PAPER_ITERATIONS = 64_000
PAPER_BOUNDARIES = (32_000, 48_000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", default="mnist", help="mnist (shared split), digits or a tfds name"
    )
    parser.add_argument("--depth", type=int, default=20, choices=(20, 32, 44, 56, 110))
    parser.add_argument("--full", action="store_true", help="the paper's 64k-iteration schedule")
    parser.add_argument("--iterations", type=int, default=300, help="iterations of the short run")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--log-dir", default=os.path.join("runs", "resnet_cifar10"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    source, (x_train, y_train), (x_test, y_test) = example_data.load_named(args.dataset)
    iterations = PAPER_ITERATIONS if args.full else args.iterations
    boundaries = [round(b * iterations / PAPER_ITERATIONS) for b in PAPER_BOUNDARIES]
    steps_per_epoch = min(int(np.ceil(len(x_train) / args.batch_size)), iterations)
    epochs = int(np.ceil(iterations / steps_per_epoch))
    iterations = epochs * steps_per_epoch  # whole epochs: the run may go a few steps further
    flip = args.dataset not in ("mnist", "digits")
    print(
        f"data: {source}, {len(x_train)} train / {len(x_test)} test images of {x_train.shape[1:]}"
    )
    print(
        f"ResNet-{args.depth}: {iterations} iterations ({epochs} epochs), lr 0.1 -> /10 at "
        f"{boundaries}, pad-4 crop{' + flip' if flip else ''}"
    )

    train = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train))
        .shuffle(len(x_train), seed=0)
        .map(
            lambda x, y: example_data.pad_crop_flip(x, y, 4, flip),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
        .batch(args.batch_size)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    model = getattr(applications, f"ResNet{args.depth}")(
        input_shape=x_train.shape[1:], classes=int(y_train.max()) + 1
    )
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries, [0.1, 0.01, 0.001])
    model.compile(
        optimizer=keras.optimizers.SGD(schedule, momentum=0.9, weight_decay=1e-4),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    print(f"parameters: {model.count_params():,}")
    started = time.perf_counter()
    model.fit(
        train,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        verbose=2,
        shuffle=False,  # the dataset reshuffles itself; fit's default True makes Keras warn
        callbacks=[keras.callbacks.TensorBoard(args.log_dir)],
    )
    seconds = time.perf_counter() - started
    _, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    print(
        f"\nResNet-{args.depth} test error: {100 * (1 - accuracy):.2f}% on {source} "
        f"after {iterations} iterations ({seconds:.0f} s)"
    )
    print("paper (CIFAR-10, 64k iterations): ResNet-20 8.75%")
    print(f"TensorBoard: tensorboard --logdir {args.log_dir}")


if __name__ == "__main__":
    main()
