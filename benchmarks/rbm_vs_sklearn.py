"""keras_dl's RBM against scikit-learn's BernoulliRBM, same data and settings.

Both train a Bernoulli RBM with persistent contrastive divergence (scikit-learn's
BernoulliRBM uses PCD with one chain per batch example; ours gets the same
number of chains) and plain SGD with the same learning rate, hidden units,
batch size and epochs, on the shared MNIST split (first 8,000 test-set images
binarised at 0.5 for training, last 2,000 held out; scikit-learn's digits when
absent). The script prints seconds per epoch for each (ours: the mean over all
epochs including the first, which traces and compiles, and the steady state
over the later ones), the speed ratio, and both models' exact
pseudo-log-likelihood on the held-out digits, computed by the same code
(`RBM.pseudo_log_likelihood`, scikit-learn's weights loaded into it; its own
`score_samples` flips one random unit per sample and is noisy).

Run: python benchmarks/rbm_vs_sklearn.py [--hidden 256] [--epochs 10]
     [--batch-size 100] [--learning-rate 0.05]
"""

import argparse
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import sklearn
from sklearn.neural_network import BernoulliRBM

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import example_data
from timing import EpochTimes

from keras_dl.models import RBM


def load_weights(rbm, kernel, visible_bias, hidden_bias):
    rbm.kernel.assign(kernel.astype("float32"))
    rbm.visible_bias.assign(visible_bias.astype("float32"))
    rbm.hidden_bias.assign(hidden_bias.astype("float32"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    args = parser.parse_args()

    source, (x_train, _), (x_test, _) = example_data.load_digit_images()
    train = (x_train.reshape(len(x_train), -1) >= 0.5).astype("float32")
    test = (x_test.reshape(len(x_test), -1) >= 0.5).astype("float32")
    print(f"data: {source}, binarised: {train.shape[0]} train / {test.shape[0]} held out, {train.shape[1]} pixels")
    print(f"settings: {args.hidden} hidden units, PCD, SGD lr {args.learning_rate}, batch {args.batch_size}, "
          f"{args.epochs} epochs; {os.cpu_count()} CPU cores; scikit-learn {sklearn.__version__}, Keras {keras.__version__}")

    reference = BernoulliRBM(n_components=args.hidden, learning_rate=args.learning_rate,
                             batch_size=args.batch_size, n_iter=args.epochs, random_state=0)
    started = time.perf_counter()
    reference.fit(train)
    sklearn_epoch = (time.perf_counter() - started) / args.epochs

    ours = RBM(args.hidden, persistent=True, num_persistent_chains=args.batch_size, seed=0)
    # One compiled call runs a whole epoch of steps (the Keras option
    # `steps_per_execution`), so per-step Python overhead does not count.
    steps_per_epoch = int(np.ceil(len(train) / args.batch_size))
    ours.compile(optimizer=keras.optimizers.SGD(args.learning_rate), steps_per_execution=steps_per_epoch)
    timer = EpochTimes()
    ours.fit(train, batch_size=args.batch_size, epochs=args.epochs, verbose=0, callbacks=[timer])
    ours_epoch = float(np.mean(timer.seconds))
    ours_steady = float(np.mean(timer.seconds[1:])) if len(timer.seconds) > 1 else ours_epoch

    evaluator = RBM(args.hidden)
    evaluator.build((None, train.shape[1]))
    load_weights(evaluator, reference.components_.T, reference.intercept_visible_, reference.intercept_hidden_)
    sklearn_pll = evaluator.pseudo_log_likelihood(test)
    ours_pll = ours.pseudo_log_likelihood(test)

    print(f"seconds per epoch: keras_dl {ours_epoch:.3f} (steady state {ours_steady:.3f}), "
          f"scikit-learn {sklearn_epoch:.3f}")
    print(f"speed ratio (scikit-learn time / keras_dl time): {sklearn_epoch / ours_epoch:.1f}x "
          f"(steady state {sklearn_epoch / ours_steady:.1f}x)")
    print(f"exact pseudo-log-likelihood per held-out digit: keras_dl {ours_pll:.2f}, "
          f"scikit-learn {sklearn_pll:.2f} (higher is better)")


if __name__ == "__main__":
    main()
