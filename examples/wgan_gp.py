"""WGAN-GP on MNIST: a Wasserstein critic with a gradient penalty.

Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville, "Improved Training of
Wasserstein GANs", NeurIPS 2017, Algorithm 1: the critic minimises
E[D(G(z))] - E[D(x)] + lambda E[(||grad D(x_hat)|| - 1)^2] with lambda = 10,
x_hat uniform between real and generated samples, 5 critic steps per
generator step, Adam (1e-4, beta_1 0, beta_2 0.9), and no batch norm in the
critic. Here: the DCGAN networks of `keras_dl.applications` (critic without
batch norm) on the shared MNIST split (first 8,000 test-set images), scored
by the Frechet distance in a digit classifier's feature space and by class
coverage; the logs show the critic's loss (minus the Wasserstein estimate)
and the gradient penalty.

Run: python examples/wgan_gp.py [--epochs 4] [--output-dir runs/wgan_gp]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import gan_evaluation
import keras

from keras_dl import applications, models

LATENT_DIM = 64


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--output-dir", default=os.path.join("runs", "wgan_gp"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    if not example_data.shared_mnist_available():
        raise SystemExit(f"the shared MNIST data is absent ({example_data.SHARED_MNIST_DIR})")
    source, (x_train, y_train), (x_test, y_test) = example_data.load_shared_mnist_named()
    classifier, features, accuracy = gan_evaluation.train_digit_classifier(
        x_train, y_train, x_test, y_test
    )
    print(f"data: {source}; scoring classifier test accuracy {accuracy:.3f}")

    gan = models.GAN(
        applications.DCGANGenerator(LATENT_DIM, output_shape=(28, 28, 1), filters=32),
        applications.DCGANDiscriminator(input_shape=(28, 28, 1), filters=32, batch_norm=False),
        latent_dim=LATENT_DIM,
        loss="wasserstein",
        discriminator_steps=5,
        gradient_penalty_weight=10.0,
        seed=0,
        name="wgan_gp",
    )
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        discriminator_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
    )
    gan_evaluation.train_and_score(
        gan, x_train, 64, args.epochs, args.output_dir, classifier, features, x_test
    )
    print(f"TensorBoard: tensorboard --logdir {args.output_dir}")


if __name__ == "__main__":
    main()
