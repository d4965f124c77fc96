"""DCGAN on MNIST (or Fashion-MNIST, CIFAR-10 through tensorflow_datasets).

Radford, Metz & Chintala, "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", ICLR 2016: strided and
transposed convolutions, batch norm, ReLU/tanh in G, LeakyReLU 0.2 in D, Adam
2e-4 with beta_1 0.5, batch 128, weights from N(0, 0.02)
(`keras_dl.applications.DCGANGenerator`/`DCGANDiscriminator`).

By default this trains on the shared MNIST split (first 8,000 test-set images;
scikit-learn's digits are too small for the 28-pixel networks, so the shared
data is required unless --dataset names a tfds dataset), writes sample grids
to TensorBoard and PNG, scores 2,000 samples by the Frechet distance in the
feature space of a digit classifier trained here (real reference: the 2,000
held-out images) and by their class coverage, and exports the generator as
a SavedModel for serving (`serve(z)`, `generate(num_samples, seed)`).

Run: python examples/dcgan_mnist.py [--dataset mnist|fashion_mnist|cifar10] [--epochs 20]
     [--output-dir runs/dcgan_mnist]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import gan_evaluation
import keras

from keras_dl import applications, models

LATENT_DIM = 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist", help="mnist (shared split) or a tfds name")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--filters", type=int, default=32, help="64 in the paper")
    parser.add_argument("--output-dir", default=os.path.join("runs", "dcgan_mnist"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)

    if args.dataset == "mnist" and not example_data.shared_mnist_available():
        raise SystemExit(
            f"the shared MNIST data is absent ({example_data.SHARED_MNIST_DIR}); "
            "pass --dataset with a tfds name instead"
        )
    source, (x_train, y_train), (x_test, y_test) = example_data.load_named(args.dataset)
    shape = x_train.shape[1:]
    print(f"data: {source}, {len(x_train)} training images of {shape}")
    classifier, features, accuracy = gan_evaluation.train_digit_classifier(
        x_train, y_train, x_test, y_test
    )
    print(f"classifier for scoring: test accuracy {accuracy:.3f}")

    gan = models.GAN(
        applications.DCGANGenerator(LATENT_DIM, output_shape=shape, filters=args.filters),
        applications.DCGANDiscriminator(input_shape=shape, filters=args.filters),
        latent_dim=LATENT_DIM,
        loss="non_saturating",
        seed=0,
        name="dcgan",
    )
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan_evaluation.train_and_score(
        gan, x_train, 128, args.epochs, args.output_dir, classifier, features, x_test
    )
    real_distance = gan_evaluation.frechet_distance(features, x_test[:1000], x_train[:1000])
    print(f"reference: Frechet distance between two sets of real images {real_distance:.2f}")
    export_dir = os.path.join(args.output_dir, "generator_savedmodel")
    gan.export(export_dir, verbose=False)
    print(
        f"generator SavedModel: {export_dir}; TensorBoard: tensorboard --logdir {args.output_dir}"
    )


if __name__ == "__main__":
    main()
