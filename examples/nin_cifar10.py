"""Network in Network on CIFAR-10.

Published figures this aims at: 10.41% test error on CIFAR-10 without data
augmentation and 8.81% with translation and flipping augmentation (Lin, Chen &
Yan, "Network In Network", ICLR 2014, Table 1).

The network is `keras_dl.applications.NiN`: three Mlpconv blocks, dropout
0.5 between them, and global average pooling of one feature map per class
instead of fully connected layers. The paper's training (`--optimizer sgd`):
SGD with momentum 0.9 and weight decay 1e-4, learning rate divided by 10 when
training stalls (here: at 50% and 75% of the run).

By default this runs a short schedule on the shared MNIST split (first 8,000
images for training, last 2,000 for test; scikit-learn's digits if it is
absent) so that it finishes in a few minutes on a CPU. Without batch
normalization the network leaves its initial plateau slowly under SGD, so the
short run uses Adam (learning rate 1e-3, divided by 10 at 50% and 75%). For the
paper's setting: --dataset cifar10 --optimizer sgd --epochs 100 [--augment]
(downloads CIFAR-10 through tensorflow_datasets).

Run: python examples/nin_cifar10.py [--dataset mnist|digits|cifar10] [--epochs N]
     [--optimizer adam|sgd] [--train-size N] [--augment] [--log-dir runs/nin_cifar10]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import tensorflow as tf

from keras_dl import applications


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dataset", default="mnist", help="mnist (shared split), digits or a tfds name"
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--train-size", type=int, default=0, help="0: the whole training split")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    parser.add_argument("--learning-rate", type=float, help="default: 1e-3 for adam, 0.1 for sgd")
    parser.add_argument(
        "--augment", action="store_true", help="random translations (and flips off MNIST)"
    )
    parser.add_argument("--log-dir", default=os.path.join("runs", "nin_cifar10"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    source, (x_train, y_train), (x_test, y_test) = example_data.load_named(args.dataset)
    if args.train_size:
        x_train, y_train = x_train[: args.train_size], y_train[: args.train_size]
    print(f"data: {source}; training on {len(x_train)}, testing on {len(x_test)} images")
    train = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(x_train), seed=0)
    if args.augment:
        flip = args.dataset not in ("mnist", "digits")
        train = train.map(
            lambda x, y: example_data.pad_crop_flip(x, y, 4, flip),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    train = train.batch(args.batch_size).prefetch(tf.data.AUTOTUNE)

    model = applications.NiN(input_shape=x_train.shape[1:], classes=int(y_train.max()) + 1)
    steps = args.epochs * int(tf.data.experimental.cardinality(train))
    rate = args.learning_rate or (1e-3 if args.optimizer == "adam" else 0.1)
    schedule = keras.optimizers.schedules.PiecewiseConstantDecay(
        [steps // 2, 3 * steps // 4], [rate, rate / 10, rate / 100]
    )
    if args.optimizer == "adam":
        optimizer = keras.optimizers.Adam(schedule)
    else:
        optimizer = keras.optimizers.SGD(schedule, momentum=0.9, weight_decay=1e-4)
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    print(f"NiN parameters: {model.count_params():,}")
    started = time.perf_counter()
    model.fit(
        train,
        epochs=args.epochs,
        verbose=2,
        shuffle=False,  # the dataset reshuffles itself; fit's default True makes Keras warn
        callbacks=[keras.callbacks.TensorBoard(args.log_dir)],
    )
    _, accuracy = model.evaluate(x_test, y_test, batch_size=256, verbose=0)
    print(
        f"\nNiN test error: {100 * (1 - accuracy):.2f}% on {source} after {args.epochs} epochs "
        f"({time.perf_counter() - started:.0f} s, {args.optimizer}, "
        f"augmentation {'on' if args.augment else 'off'})"
    )
    print("paper (CIFAR-10): 10.41% without augmentation, 8.81% with")
    print(f"TensorBoard: tensorboard --logdir {args.log_dir}")


if __name__ == "__main__":
    main()
