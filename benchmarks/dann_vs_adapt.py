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

ADAPT runs on TensorFlow only. On JAX (`KERAS_BACKEND=jax`), or with
`--across-backends`, the speed protocols time three sides each in a child
process of its own backend (`--worker`, `ACROSS_BACKENDS`): our model on JAX,
our model on TensorFlow and ADAPT on TensorFlow, one epoch at a time in turn
(forwards, then backwards), each warmed up alone first; the ratios compare
ADAPT on TensorFlow with ours on each backend. `--protocol digits` trains
ADAPT in the same process, so it runs on TensorFlow only.

Run: [KERAS_BACKEND=jax] python benchmarks/dann_vs_adapt.py [--pairs 8] [--lambda 0.5]
         [--batch-size 64] [--samples 6000] [--across-backends]
     [KERAS_BACKEND=jax] python benchmarks/dann_vs_adapt.py --protocol lenet-speed
         [--pairs 8] [--dtype-policy mixed_bfloat16] [--across-backends]
     python benchmarks/dann_vs_adapt.py --protocol digits [--epochs 20] [--seeds 0 1 2]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import subprocess
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
    parser.add_argument("--across-backends", action="store_true",
                        help="moons and lenet-speed: ours on JAX and TensorFlow and ADAPT on "
                             "TensorFlow, each in a child process (the default on JAX)")
    parser.add_argument("--worker", choices=("keras_dl", "ADAPT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    keras.config.set_dtype_policy(args.dtype_policy)
    if args.worker:
        serve_epochs(args)
        return
    if args.protocol == "digits" and keras.backend.backend() != "tensorflow":
        raise SystemExit("--protocol digits trains ADAPT beside ours in one process: run it "
                         "with KERAS_BACKEND=tensorflow")
    try:
        import adapt  # noqa: F401  (imported here for a clear message; the sides import it)
    except ImportError as error:
        raise SystemExit(f"ADAPT is not installed ({error}); pip install -e '.[benchmarks]'")
    if args.protocol == "digits":
        results = digits_accuracies(args)
        print(f"MNIST -> UCI digits target accuracy, {args.epochs} epochs, seeds {args.seeds}")
        for name, accuracies in results.items():
            print(f"{name:<16} {np.round(accuracies, 3).tolist()} mean {np.mean(accuracies):.3f} "
                  f"std {np.std(accuracies):.3f}")
        return
    run_speed(args)


def speed_workload(args):
    """The timed workload of `--protocol moons` or `lenet-speed`: `(source, x_target,
    test, make_networks, learning_rate, classes, description)`."""
    if args.protocol == "lenet-speed":
        import domain_adaptation_digits as task

        source, x_target, test = task.digits_shift()
        make_networks = lambda sigmoid_domain: task.networks(  # noqa: E731
            None, domain_activation="sigmoid" if sigmoid_domain else None)
        return (source, x_target, test, make_networks, 1e-3, 10,
                f"LeNet digits: {len(source[0])} MNIST source digits, {len(x_target)} UCI "
                "digits target")
    source, test = datasets.rotated_moons(args.samples, angle=35.0)
    return (source, test[0], test, networks, 3e-3, 2,
            f"two moons ({args.samples} per domain), target rotated 35 degrees")


def speed_sides(args, sides):
    """`{side: (run_epoch, accuracy)}` for the sides named (`"keras_dl"`, `"ADAPT"`):
    `run_epoch()` fits one epoch (its own `fit` call) and returns its seconds without
    `fit`'s set-up (`EpochTimes`); `accuracy()` is the target accuracy."""
    (x_source, y_source), x_target, (x_test, y_test), make_networks, learning_rate, classes, _ = (
        speed_workload(args))
    built = {}
    if "keras_dl" in sides:
        keras.utils.set_random_seed(0)
        ours = models.DomainAdversarialModel(*make_networks(False), lambda_=args.lambda_)
        ours.compile(optimizer=keras.optimizers.Adam(learning_rate),
                     loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        batches = datasets.domain_adaptation((x_source, y_source), x_target, args.batch_size)
        built["keras_dl"] = (lambda timer: ours.fit(batches, epochs=1, verbose=0,
                                                    callbacks=[timer]),
                             lambda: ours.evaluate(x_test, y_test, verbose=0,
                                                   return_dict=True)["accuracy"])
    if "ADAPT" in sides:
        from adapt.feature_based import DANN

        keras.utils.set_random_seed(0)
        # ADAPT reshapes the labels to the prediction's shape: it takes one-hot labels.
        theirs = DANN(*make_networks(True), Xt=x_target, lambda_=args.lambda_, random_state=0,
                      optimizer=keras.optimizers.Adam(learning_rate),
                      loss="categorical_crossentropy", metrics=["acc"])
        one_hot = np.eye(classes, dtype="float32")[y_source]
        built["ADAPT"] = (lambda timer: theirs.fit(x_source, one_hot, epochs=1,
                                                   batch_size=args.batch_size, verbose=0,
                                                   callbacks=[timer]),
                          lambda: float(np.mean(theirs.predict(x_test, verbose=0).argmax(-1)
                                                == y_test)))

    def timed(fit):
        timer = EpochTimes()
        fit(timer)
        return timer.seconds[0]

    return {side: (lambda fit=fit: timed(fit), accuracy)
            for side, (fit, accuracy) in built.items()}


def serve_epochs(args):
    """`--worker SIDE`: builds one side on this process's backend, fits its warm-up epoch,
    then fits one epoch per line read from stdin and prints its seconds; at the end of
    the input, the target accuracy."""
    run_epoch, accuracy = speed_sides(args, [args.worker])[args.worker]
    run_epoch()
    print("ready", flush=True)
    for _ in sys.stdin:
        print(run_epoch(), flush=True)
    print(accuracy(), flush=True)


# The sides timed across processes: (label, side, KERAS_BACKEND). ADAPT is TensorFlow-only.
ACROSS_BACKENDS = (("keras_dl on jax", "keras_dl", "jax"),
                   ("keras_dl on tensorflow", "keras_dl", "tensorflow"),
                   ("ADAPT on tensorflow", "ADAPT", "tensorflow"))


def across_backends(args):
    """`{label: (seconds per epoch, accuracy)}` of `ACROSS_BACKENDS`, each side in a child
    process of its backend (`--worker`), their epochs alternating in turn (forwards,
    then backwards: ABC CBA ...), the others idle while one is timed."""
    command = [sys.executable, os.path.abspath(__file__), "--protocol", args.protocol,
               "--lambda", str(args.lambda_), "--batch-size", str(args.batch_size),
               "--samples", str(args.samples), "--dtype-policy", args.dtype_policy]
    workers = {}
    for label, side, backend in ACROSS_BACKENDS:
        workers[label] = subprocess.Popen(
            [*command, "--worker", side], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env={**os.environ, "KERAS_BACKEND": backend})
        # One at a time: each warms up (traces, compiles) alone.
        while workers[label].stdout.readline().strip() != "ready":
            pass
    seconds, order = {label: [] for label in workers}, list(workers)
    for _ in range(args.pairs):
        for label in order:
            workers[label].stdin.write("epoch\n")
            workers[label].stdin.flush()
            seconds[label].append(float(workers[label].stdout.readline()))
        order.reverse()
    results = {}
    for label, worker in workers.items():
        worker.stdin.close()
        results[label] = (np.array(seconds[label]), float(worker.stdout.readline()))
        worker.wait()
    return results


def run_speed(args):
    """Times our DANN against ADAPT's (`--protocol moons`, `lenet-speed`): in this process
    on TensorFlow, across backends in child processes with `--across-backends` or on
    JAX, and prints seconds per epoch, the per-pair ratios and the target accuracies."""
    description = speed_workload(args)[-1]
    print(f"{description}; batch {args.batch_size}, lambda {args.lambda_}, dtype policy "
          f"{args.dtype_policy}, {args.pairs} alternating epochs each after one warm-up, "
          f"{os.cpu_count()} CPU cores, Keras {keras.__version__} on {keras.backend.backend()}")
    if args.across_backends or keras.backend.backend() != "tensorflow":
        print("ADAPT runs on TensorFlow only: each side runs in a child process of its "
              "backend, epochs alternating between the processes (ABC CBA ...)")
        results = across_backends(args)
    else:
        sides = speed_sides(args, ["keras_dl", "ADAPT"])
        seconds = {side: [] for side in sides}
        for round_number in range(args.pairs + 1):  # the first round warms up (traces)
            for side, (run_epoch, _) in sides.items():
                epoch_seconds = run_epoch()
                if round_number:
                    seconds[side].append(epoch_seconds)
        results = {side: (np.array(seconds[side]), accuracy())
                   for side, (_, accuracy) in sides.items()}
    for label, (epoch_seconds, accuracy) in results.items():
        print(f"{label}: {np.median(epoch_seconds):.4f} s/epoch (median; range "
              f"{epoch_seconds.min():.4f}-{epoch_seconds.max():.4f}), target accuracy "
              f"{accuracy:.3f} after {args.pairs + 1} epochs")
    theirs = [label for label in results if label.startswith("ADAPT")][0]
    for label, (epoch_seconds, _) in results.items():
        if label != theirs:
            ratios = results[theirs][0] / epoch_seconds
            print(f"speed ratio ({theirs} time / {label} time) per pair: median "
                  f"{np.median(ratios):.2f}x, range {ratios.min():.2f}-{ratios.max():.2f}")


if __name__ == "__main__":
    main()
