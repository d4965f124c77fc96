"""An RBM on MNIST: features, filters, Gibbs samples and its log-likelihood.

Trains a Bernoulli RBM with persistent contrastive divergence (Tieleman 2008)
on the shared MNIST split (first 8,000 test-set images, binarised at 0.5;
last 2,000 held out; scikit-learn's digits when it is absent), then:
- writes the learned filters (columns of W) and samples of 1,000-step Gibbs
  chains as image grids, to PNG files and to TensorBoard;
- reports the exact pseudo-log-likelihood of the held-out digits before and
  after training, and their average log-likelihood log P(v) = -F(v) - log Z
  with log Z estimated by annealed importance sampling (Salakhutdinov &
  Murray 2008, 100 chains, 10,000 temperatures);
- checks the features: logistic regression on P(h | v) against raw pixels.

Published figure it relates to: Salakhutdinov & Murray (2008) report about
-86 nats per test digit for a 500-hidden-unit RBM trained with CD-25 on the
full 60,000-image MNIST training set; 8,000 images and a few minutes of CPU
give a weaker model.

Run: python examples/rbm_mnist.py [--hidden 200] [--epochs 15] [--output-dir runs/rbm_mnist]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import keras
import numpy as np
import tensorflow as tf
from sklearn.linear_model import LogisticRegression

from keras_dl.models import RBM
from keras_dl.utils.image_grid import image_grid, write_png


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--output-dir", default=os.path.join("runs", "rbm_mnist"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    os.makedirs(args.output_dir, exist_ok=True)

    source, (x_train, y_train), (x_test, y_test) = example_data.load_digit_images()
    side = x_train.shape[1]
    train = (x_train.reshape(len(x_train), -1) >= 0.5).astype("float32")
    test = (x_test.reshape(len(x_test), -1) >= 0.5).astype("float32")
    print(f"data: {source}, binarised; {len(train)} train / {len(test)} held-out digits")

    rbm = RBM(args.hidden, persistent=True, seed=0)
    # Plain SGD: with PCD, high momentum moves the weights faster than the
    # persistent chains can follow and the hidden units collapse onto one filter.
    rbm.compile(optimizer=keras.optimizers.SGD(args.learning_rate))
    rbm.build((None, train.shape[1]))
    pll_before = rbm.pseudo_log_likelihood(test)
    started = time.perf_counter()
    rbm.fit(
        train,
        batch_size=100,
        epochs=args.epochs,
        verbose=0,
        callbacks=[keras.callbacks.TensorBoard(args.output_dir)],
    )
    print(
        f"RBM {train.shape[1]}-{args.hidden}, PCD with 100 chains, {args.epochs} epochs: "
        f"{time.perf_counter() - started:.0f} s"
    )

    filters = np.asarray(rbm.kernel).T.reshape(-1, side, side)[:100]
    samples = np.asarray(rbm.sample(64, gibbs_steps=1000, seed=1)).reshape(-1, side, side)
    writer = tf.summary.create_file_writer(os.path.join(args.output_dir, "images"))
    with writer.as_default():
        for name, images in (("filters", filters), ("gibbs_samples", samples)):
            grid = image_grid(images)
            write_png(os.path.join(args.output_dir, f"{name}.png"), grid, scale=3)
            tf.summary.image(name, grid[None], step=args.epochs)
    writer.flush()

    pll_after = rbm.pseudo_log_likelihood(test)
    started = time.perf_counter()
    log_z = rbm.log_partition(num_chains=100, num_betas=10000, seed=0, data=train)
    log_likelihood = rbm.log_likelihood(test, log_z=log_z)
    print(
        f"pseudo-log-likelihood per held-out digit: {pll_before:.1f} before, "
        f"{pll_after:.1f} after training"
    )
    print(
        f"AIS log Z = {log_z:.2f} ({time.perf_counter() - started:.0f} s); "
        f"average log P(v) of held-out digits: {log_likelihood:.2f} nats"
    )

    pixels = LogisticRegression(max_iter=500).fit(train, y_train).score(test, y_test)
    features = (
        LogisticRegression(max_iter=500)
        .fit(rbm.transform(train), y_train)
        .score(rbm.transform(test), y_test)
    )
    print(f"logistic regression accuracy: {pixels:.3f} on pixels, {features:.3f} on RBM features")
    print(
        f"filters and samples: {args.output_dir}/filters.png, {args.output_dir}/gibbs_samples.png; "
        f"TensorBoard: tensorboard --logdir {args.output_dir}"
    )


if __name__ == "__main__":
    main()
