"""keras_dl's DomainAdversarialModel against ADAPT's DANN (and CDAN), same networks and data.

ADAPT (`pip install adapt`, the project's `benchmarks` extra; it pins no
TensorFlow here but its releases target TF 2.15) implements DANN as
`adapt.feature_based.DANN(encoder, task, discriminator, Xt=..., lambda_=...)`.
Both get copies of the same three networks (the two-moons MLPs of our tests:
target = source rotated by 35 degrees), the same optimizer (Adam 3e-3), batch
size and a constant reversal weight, and are timed in the same
process. Epochs alternate (ours, ADAPT's, ...) after one warm-up epoch each
(tracing); the script prints the median seconds per epoch of each, the
median and range of the per-pair speed ratios, and both target accuracies.

`--protocol lenet-speed` times the same way the LeNet digits networks below
(2,000 MNIST source digits, 1,000 UCI digits as the target) with Adam 1e-3.

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

`--dtype-policy mixed_bfloat16` times both sides under that global policy
(bfloat16 matrix units, e.g. AMX, make convolutions faster).

Run: python benchmarks/dann_vs_adapt.py [--pairs 8] [--lambda 0.5] [--batch-size 64]
         [--samples 6000]
     python benchmarks/dann_vs_adapt.py --protocol lenet-speed [--pairs 8]
         [--dtype-policy mixed_bfloat16]
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
                                      keras.layers.Dense(
                                          1, activation="sigmoid" if sigmoid_domain else None)])
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
    parser.add_argument("--protocol", choices=("moons", "lenet-speed", "digits"), default="moons")
    parser.add_argument("--epochs", type=int, default=20, help="digits only")
    parser.add_argument("--pairs", type=int, default=8, help="moons and lenet-speed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="digits only")
    parser.add_argument("--lambda", dest="lambda_", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--samples", type=int, default=6000, help="per domain")
    parser.add_argument("--dtype-policy", default="float32",
                        help="Keras' global dtype policy for both sides, e.g. mixed_bfloat16")
    args = parser.parse_args()
    keras.config.set_dtype_policy(args.dtype_policy)
    try:
        from adapt.feature_based import DANN
    except ImportError as error:
        raise SystemExit(f"ADAPT is not installed ({error}); pip install -e '.[benchmarks]'")
    if args.protocol == "digits":
        results = digits_accuracies(args)
        print(f"MNIST -> UCI digits target accuracy, {args.epochs} epochs, seeds {args.seeds}")
        for name, accuracies in results.items():
            print(f"{name:<16} {np.round(accuracies, 3).tolist()} mean {np.mean(accuracies):.3f} "
                  f"std {np.std(accuracies):.3f}")
        return
    if args.protocol == "lenet-speed":
        import domain_adaptation_digits as task

        (x_source, y_source), x_target, (x_test, y_test) = task.digits_shift()
        make_networks = lambda sigmoid_domain: task.networks(  # noqa: E731
            None, domain_activation="sigmoid" if sigmoid_domain else None)
        learning_rate, classes = 1e-3, 10
        workload = (f"LeNet digits: {len(x_source)} MNIST source digits, {len(x_target)} UCI "
                    "digits target")
    else:
        (x_source, y_source), (x_test, y_test) = datasets.rotated_moons(args.samples, angle=35.0)
        x_target = x_test
        make_networks, learning_rate, classes = networks, 3e-3, 2
        workload = f"two moons ({args.samples} per domain), target rotated 35 degrees"

    keras.utils.set_random_seed(0)
    ours = models.DomainAdversarialModel(*make_networks(False), lambda_=args.lambda_)
    ours.compile(optimizer=keras.optimizers.Adam(learning_rate),
                 loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    batches = datasets.domain_adaptation((x_source, y_source), x_target, args.batch_size)
    keras.utils.set_random_seed(0)
    # ADAPT reshapes the labels to the prediction's shape: it takes one-hot labels.
    theirs = DANN(*make_networks(True), Xt=x_target, lambda_=args.lambda_, random_state=0,
                  optimizer=keras.optimizers.Adam(learning_rate), loss="categorical_crossentropy",
                  metrics=["acc"])
    one_hot = np.eye(classes, dtype="float32")[y_source]
    ours_timer, theirs_timer = EpochTimes(), EpochTimes()
    ours_seconds, theirs_seconds = [], []
    # One warm-up epoch each (tracing), then alternating epochs, each its own `fit`
    # call (ADAPT keeps its compiled step across calls); the timers exclude `fit`'s set-up.
    for _ in range(args.pairs + 1):
        ours.fit(batches, epochs=1, verbose=0, callbacks=[ours_timer])
        ours_seconds += ours_timer.seconds
        theirs.fit(x_source, one_hot, epochs=1, batch_size=args.batch_size, verbose=0,
                   callbacks=[theirs_timer])
        theirs_seconds += theirs_timer.seconds
    ours_seconds, theirs_seconds = np.array(ours_seconds[1:]), np.array(theirs_seconds[1:])
    ratios = theirs_seconds / ours_seconds
    ours_accuracy = ours.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]
    theirs_accuracy = float(np.mean(theirs.predict(x_test, verbose=0).argmax(-1) == y_test))
    print(f"{workload}; batch {args.batch_size}, Adam {learning_rate}, lambda {args.lambda_}, "
          f"dtype policy {args.dtype_policy}, "
          f"{args.pairs} alternating epoch pairs after one warm-up each, {os.cpu_count()} "
          "CPU cores")
    print(f"seconds per epoch (median, range): keras_dl {np.median(ours_seconds):.4f} "
          f"({ours_seconds.min():.4f}-{ours_seconds.max():.4f}), ADAPT "
          f"{np.median(theirs_seconds):.4f} "
          f"({theirs_seconds.min():.4f}-{theirs_seconds.max():.4f})")
    print(f"speed ratio (ADAPT time / keras_dl time) per pair: median {np.median(ratios):.2f}x, "
          f"range {ratios.min():.2f}-{ratios.max():.2f}")
    print(f"target accuracy after {args.pairs + 1} epochs: keras_dl {ours_accuracy:.3f}, "
          f"ADAPT {theirs_accuracy:.3f}")

if __name__ == "__main__":
    main()
