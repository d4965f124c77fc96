"""keras_dl's DomainAdversarialModel against ADAPT's DANN (and CDAN), same networks and data.

ADAPT (`pip install adapt`, the project's `benchmarks` extra; it pins no
TensorFlow here but its releases target TF 2.15) implements DANN as
`adapt.feature_based.DANN(encoder, task, discriminator, Xt=..., lambda_=...)`.
Both get copies of the same three networks (the two-moons MLPs of our tests:
target = source rotated by 35 degrees), the same optimizer (Adam 3e-3), batch
size, epochs and a constant reversal weight, and are timed in the same
process. The script prints seconds per epoch for each (the first epoch, which
traces, excluded), both target accuracies, and the speed ratio.

`--protocol digits` compares accuracy on a real shift instead: MNIST ->
UCI digits as in `examples/domain_adaptation_digits.py` (2,000 labelled
MNIST digits, 1,000 unlabelled UCI digits, 797 UCI digits for testing),
keras_dl's DANN and CDAN (multilinear) beside ADAPT's `DANN` and `CDAN`
(`entropy=False`, `max_features` raised so that it too uses the full
multilinear map), with the same LeNet-style networks (domain head ending in
a sigmoid, ADAPT's convention, which keras_dl reads as a probability), the
same SGD + `InverseDecay` optimizer, the same reversal schedule (ADAPT's
`UpdateLambda` with gamma 10 over all steps), batch size 64 and epochs. It
prints the target test accuracy per seed, mean and spread.

Run: python benchmarks/dann_vs_adapt.py [--epochs 10] [--lambda 0.5] [--batch-size 64] [--samples 6000]
     python benchmarks/dann_vs_adapt.py --protocol digits [--epochs 20] [--seeds 0 1 2]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import sys

import keras
import numpy as np
import tensorflow as tf
from timing import EpochTimes

from keras_dl import callbacks, datasets, models, optimizers

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))


def networks(sigmoid_domain):
    encoder = keras.Sequential([keras.Input((2,)), keras.layers.Dense(32, activation="relu"),
                                keras.layers.Dense(32, activation="relu")])
    task = keras.Sequential([keras.Input((32,)), keras.layers.Dense(2, activation="softmax")])
    discriminator = keras.Sequential([keras.Input((32,)), keras.layers.Dense(32, activation="relu"),
                                      keras.layers.Dense(1, activation="sigmoid" if sigmoid_domain else None)])
    return encoder, task, discriminator


def digits_accuracies(args):
    """Target accuracies `{name: [per seed]}` on MNIST -> UCI digits, ours and ADAPT's."""
    import domain_adaptation_digits as task
    from adapt.feature_based import CDAN, DANN
    from adapt.utils import UpdateLambda

    (x_source, y_source), x_target, (x_test, y_test) = task.digits_shift()
    steps = args.epochs * -(-len(x_source) // args.batch_size)
    results = {}
    for seed in args.seeds:
        for conditioning in (None, "multilinear"):
            name = "cdan" if conditioning else "dann"
            keras.utils.set_random_seed(seed)
            ours = models.DomainAdversarialModel(
                *task.networks(conditioning, domain_activation="sigmoid"), lambda_=0.0,
                conditioning=conditioning, seed=seed,
            )
            ours.compile(optimizer=keras.optimizers.SGD(optimizers.InverseDecay(steps, 0.01),
                                                        momentum=0.9),
                         loss="sparse_categorical_crossentropy",
                         metrics=["accuracy"])
            ours.fit(datasets.domain_adaptation((x_source, y_source), x_target, args.batch_size,
                                                seed=seed),
                     epochs=args.epochs, verbose=0,
                     callbacks=[callbacks.GradientReversalScheduler(gamma=10.0)])
            accuracy = ours.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
            results.setdefault(f"keras_dl {name}", []).append(accuracy)

            keras.utils.set_random_seed(seed)
            encoder, task_network, discriminator = task.networks(conditioning,
                                                                 domain_activation="sigmoid")
            method = {"dann": DANN, "cdan": CDAN}[name]
            extra = {"entropy": False, "max_features": 10**5} if conditioning else {}
            schedule = optimizers.InverseDecay(steps, 0.01)
            # ADAPT rebuilds the optimizer from its config updated with the estimator's
            # parameters of the same names: passing the schedule as `learning_rate` keeps
            # it a schedule (the config alone holds it serialized, which SGD refuses).
            theirs = method(encoder, task_network, discriminator, Xt=x_target,
                            lambda_=tf.Variable(0.0), random_state=seed,
                            optimizer=keras.optimizers.SGD(schedule, momentum=0.9),
                            learning_rate=schedule,
                            loss="categorical_crossentropy", metrics=["acc"], **extra)
            theirs.fit(x_source, np.eye(10, dtype="float32")[y_source], epochs=args.epochs,
                       batch_size=args.batch_size, verbose=0,
                       callbacks=[UpdateLambda(lambda_max=1.0, max_steps=steps, gamma=10.0)])
            accuracy = float(np.mean(theirs.predict(x_test, verbose=0).argmax(-1) == y_test))
            results.setdefault(f"ADAPT {name}", []).append(accuracy)
            print(f"seed {seed} {name}: keras_dl {results[f'keras_dl {name}'][-1]:.3f}, "
                  f"ADAPT {accuracy:.3f}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocol", choices=("moons", "digits"), default="moons")
    parser.add_argument("--epochs", type=int, default=None, help="10 (moons) or 20 (digits)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="digits only")
    parser.add_argument("--lambda", dest="lambda_", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=6000, help="per domain")
    args = parser.parse_args()
    try:
        from adapt.feature_based import DANN
    except ImportError as error:
        raise SystemExit(f"ADAPT is not installed ({error}); pip install -e '.[benchmarks]'")
    if args.protocol == "digits":
        args.epochs = args.epochs or 20
        results = digits_accuracies(args)
        print(f"MNIST -> UCI digits target accuracy, {args.epochs} epochs, seeds {args.seeds}")
        for name, accuracies in results.items():
            print(f"{name:<16} {np.round(accuracies, 3).tolist()} mean {np.mean(accuracies):.3f} "
                  f"std {np.std(accuracies):.3f}")
        return
    args.epochs = args.epochs or 10
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
