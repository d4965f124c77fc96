"""An MLP GAN on MNIST with the original minimax loss and the non-saturating fix.

Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014: the value
function min_G max_D E[log D(x)] + E[log(1 - D(G(z)))]. Early in training D
rejects the samples confidently and log(1 - D(G(z))) saturates, so the
paper recommends training G to maximise log D(G(z)) instead. This script
trains the same MLP GAN (100-256-512-784 generator, 784-512-256-1
discriminator, Adam 2e-4, beta_1 0.5) with `loss="minimax"` and with
`loss="non_saturating"` on the shared MNIST split (first 8,000 test-set
images; scikit-learn's digits when absent), logs sample grids to TensorBoard,
and scores 2,000 samples of each by the Frechet distance in the feature space
of a digit classifier trained here (on the 2,000 held-out images as the real
reference) and by their class coverage. It exports the better generator as a
SavedModel.

Run: python examples/gan_mnist.py [--epochs 30] [--output-dir runs/gan_mnist]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import gan_evaluation
import keras
import numpy as np

from keras_dl import callbacks, models

LATENT_DIM = 100


def mlp_networks(pixels):
    generator = keras.Sequential(
        [
            keras.Input((LATENT_DIM,)),
            keras.layers.Dense(256),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(512),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(pixels, activation="tanh"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input((pixels,)),
            keras.layers.Dense(512),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(256),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1),
        ],
        name="discriminator",
    )
    return generator, discriminator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--output-dir", default=os.path.join("runs", "gan_mnist"))
    args = parser.parse_args()

    source, (x_train, y_train), (x_test, y_test) = example_data.load_digit_images()
    shape, pixels = x_train.shape[1:], int(np.prod(x_train.shape[1:]))
    print(f"data: {source}")
    keras.utils.set_random_seed(0)
    classifier, features, accuracy = gan_evaluation.train_digit_classifier(
        x_train, y_train, x_test, y_test
    )
    print(f"digit classifier for scoring: test accuracy {accuracy:.3f}")
    real = x_train.reshape(len(x_train), -1) * 2.0 - 1.0  # the generator's tanh range

    results = {}
    for loss in ("minimax", "non_saturating"):
        keras.utils.set_random_seed(0)
        gan = models.GAN(
            *mlp_networks(pixels), latent_dim=LATENT_DIM, loss=loss, seed=0, name=f"gan_{loss}"
        )
        gan.compile(
            generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        )
        log_dir = os.path.join(args.output_dir, loss)
        gan.fit(
            real,
            batch_size=64,
            epochs=args.epochs,
            verbose=0,
            callbacks=[
                keras.callbacks.TensorBoard(log_dir),
                callbacks.ImageSampler(
                    log_dir, every_n_epochs=5, num_images=64, image_dir=os.path.join(log_dir, "png")
                ),
            ],
        )
        samples = (np.asarray(gan.generate(2000, seed=1)).reshape((-1, *shape)) + 1.0) / 2.0
        results[loss] = (gan_evaluation.report(loss, classifier, features, x_test, samples), gan)

    best = min(results, key=lambda name: results[name][0][0])
    export_dir = os.path.join(args.output_dir, "generator_savedmodel")
    results[best][1].export(export_dir, verbose=False)
    print(f"exported the {best} generator (endpoints 'serve' and 'generate') to {export_dir}")
    print(f"TensorBoard: tensorboard --logdir {args.output_dir}")


if __name__ == "__main__":
    main()
