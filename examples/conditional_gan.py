"""A conditional GAN on MNIST: ask for a digit, get that digit.

Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014: generator
and discriminator both receive the class label, so the generator learns
p(x | y). The generator concatenates a label embedding to z; the
discriminator is a projection discriminator (Miyato & Koyama, "cGANs with
Projection Discriminator", ICLR 2018), whose logit includes the inner product
of a label embedding with the image features (a discriminator that merely
concatenates the label to 784 pixels tends to ignore it). This trains an MLP
conditional GAN on the shared MNIST split (first 8,000 test-set images;
scikit-learn's digits when absent), then generates 200 samples per digit and
reports how often a digit classifier trained here recognises the requested
digit (chance: 10%), and the Frechet distance of all samples.

Run: python examples/conditional_gan.py [--epochs 30] [--output-dir runs/conditional_gan]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import example_data
import gan_evaluation
import keras
import numpy as np

from keras_dl import callbacks, models

LATENT_DIM = 64
CLASSES = 10


def conditional_networks(pixels):
    z, labels = (
        keras.Input((LATENT_DIM,), name="z"),
        keras.Input((1,), dtype="int32", name="labels"),
    )
    embedding = keras.layers.Flatten()(keras.layers.Embedding(CLASSES, 32)(labels))
    x = keras.layers.Concatenate()([z, embedding])
    for units in (256, 512):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(units)(x))
    generator = keras.Model(
        [z, labels], keras.layers.Dense(pixels, activation="tanh")(x), name="generator"
    )

    # Projection discriminator (Miyato & Koyama 2018): logit = psi(phi(x)) + <embed(y), phi(x)>,
    # so the label cannot be ignored as a few extra inputs beside 784 pixels can.
    images, image_labels = (
        keras.Input((pixels,), name="images"),
        keras.Input((1,), dtype="int32", name="labels"),
    )
    x = images
    for units in (512, 256):
        x = keras.layers.LeakyReLU(0.2)(keras.layers.Dense(units)(x))
    label_embedding = keras.layers.Flatten()(keras.layers.Embedding(CLASSES, 256)(image_labels))
    projection = keras.layers.Dot(axes=1)([x, label_embedding])
    logit = keras.layers.Add()([keras.layers.Dense(1)(x), projection])
    discriminator = keras.Model([images, image_labels], logit, name="discriminator")
    return generator, discriminator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--output-dir", default=os.path.join("runs", "conditional_gan"))
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    source, (x_train, y_train), (x_test, y_test) = example_data.load_digit_images()
    shape, pixels = x_train.shape[1:], int(np.prod(x_train.shape[1:]))
    classifier, features, accuracy = gan_evaluation.train_digit_classifier(
        x_train, y_train, x_test, y_test
    )
    print(f"data: {source}; scoring classifier test accuracy {accuracy:.3f}")

    gan = models.ConditionalGAN(
        *conditional_networks(pixels),
        latent_dim=LATENT_DIM,
        num_classes=CLASSES,
        seed=0,
        name="conditional_gan",
    )
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    gan.fit(
        x_train.reshape(len(x_train), -1) * 2.0 - 1.0,
        y_train,
        batch_size=64,
        epochs=args.epochs,
        verbose=0,
        callbacks=[
            keras.callbacks.TensorBoard(args.output_dir),
            callbacks.ImageSampler(
                args.output_dir,
                every_n_epochs=5,
                num_images=100,
                image_dir=os.path.join(args.output_dir, "png"),
            ),
        ],
    )
    requested = np.repeat(np.arange(CLASSES), 200)
    samples = (np.asarray(gan.generate(requested, seed=1)).reshape((-1, *shape)) + 1.0) / 2.0
    recognised = classifier.predict(samples, verbose=0).argmax(-1) == requested
    per_class = [recognised[requested == label].mean() for label in range(CLASSES)]
    print(
        f"the classifier recognises the requested digit in {recognised.mean():.1%} of the samples "
        f"(per digit: {np.round(per_class, 2).tolist()}; chance 10%)"
    )
    gan_evaluation.report("conditional GAN", classifier, features, x_test, samples)
    print(f"TensorBoard: tensorboard --logdir {args.output_dir}")


if __name__ == "__main__":
    main()
