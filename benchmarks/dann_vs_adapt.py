"""keras_dl's DomainAdversarialModel against ADAPT's DANN, same networks and data.

ADAPT (`pip install adapt`, the project's `benchmarks` extra; it pins no
TensorFlow here but its releases target TF 2.15) implements DANN as
`adapt.feature_based.DANN(encoder, task, discriminator, Xt=..., lambda_=...)`.
Both get copies of the same three networks (the two-moons MLPs of our tests:
target = source rotated by 35 degrees), the same optimizer (Adam 3e-3), batch
size, epochs and a constant reversal weight, and are timed in the same
process. The script prints seconds per epoch for each (the first epoch, which
traces, excluded), both target accuracies, and the speed ratio.

Run: python benchmarks/dann_vs_adapt.py [--epochs 10] [--lambda 0.5] [--batch-size 64] [--samples 6000]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
from timing import EpochTimes

from keras_dl import datasets, models


def networks(sigmoid_domain):
    encoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(32, activation="relu"),
                                keras.layers.Dense(32, activation="relu")])
    task = keras.Sequential([keras.Input((32,)), keras.layers.Dense(2, activation="softmax")])
    discriminator = keras.Sequential([keras.Input((32,)), keras.layers.Dense(32, activation="relu"),
                                      keras.layers.Dense(1, activation="sigmoid" if sigmoid_domain else None)])
    return encoder, task, discriminator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lambda", dest="lambda_", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=6000, help="per domain")
    args = parser.parse_args()
    try:
        from adapt.feature_based import DANN
    except ImportError as error:
        raise SystemExit(f"ADAPT is not installed ({error}); pip install -e '.[benchmarks]'")
    (x_source, y_source), (x_target, y_target) = datasets.rotated_moons(args.samples, angle=35.0)

    keras.utils.set_random_seed(0)
    ours = models.DomainAdversarialModel(*networks(sigmoid_domain=False), lambda_=args.lambda_)
    ours.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    ours_timer = EpochTimes()
    ours.fit(datasets.domain_adaptation((x_source, y_source), x_target, args.batch_size),
             epochs=args.epochs, verbose=0, callbacks=[ours_timer])
    ours_accuracy = ours.evaluate(x_target, y_target, verbose=0, return_dict=True)["accuracy"]

    keras.utils.set_random_seed(0)
    encoder, task, discriminator = networks(sigmoid_domain=True)
    # ADAPT reshapes the labels to the prediction's shape: it takes one-hot labels.
    theirs = DANN(encoder, task, discriminator, Xt=x_target, lambda_=args.lambda_, random_state=0,
                  optimizer=keras.optimizers.Adam(3e-3), loss="categorical_crossentropy", metrics=["acc"])
    theirs_timer = EpochTimes()
    theirs.fit(x_source, np.eye(2, dtype="float32")[y_source], epochs=args.epochs, batch_size=args.batch_size,
               verbose=0, callbacks=[theirs_timer])
    theirs_accuracy = float(np.mean(theirs.predict(x_target, verbose=0).argmax(-1) == y_target))

    ours_epoch = float(np.mean(ours_timer.seconds[1:]))
    theirs_epoch = float(np.mean(theirs_timer.seconds[1:]))
    print(f"two moons ({args.samples} per domain), target rotated 35 degrees; {args.epochs} epochs, batch {args.batch_size}, lambda {args.lambda_}, "
          f"{os.cpu_count()} CPU cores")
    print(f"seconds per epoch: keras_dl {ours_epoch:.4f}, ADAPT {theirs_epoch:.4f}; "
          f"speed ratio (ADAPT time / keras_dl time) {theirs_epoch / ours_epoch:.2f}x")
    print(f"target accuracy: keras_dl {ours_accuracy:.3f}, ADAPT {theirs_accuracy:.3f}")


if __name__ == "__main__":
    main()
