"""A tour of keras-dl on built-in data (no network needed), in about a minute.

Trains something real from each finished part of the library, logs every run
to TensorBoard, exports SavedModels, checks that an exported endpoint gives the
Keras model's answers, and prints where everything went. Each stage prints its
header when it starts and a few progress lines per training run.

Every run writes to a new folder, `runs/tour/<date>-<time>` by default, so a
second run never adds its curves to an earlier run's; `--output-dir` names
another new folder (the tour refuses one that already holds files).
`tensorboard --logdir runs/tour` shows all the runs side by side.

It runs on every backend Keras is set to (`KERAS_BACKEND=jax` or `torch`, with
TensorFlow installed for the data pipelines and TensorBoard); where a backend cannot export
a model (the GAN on JAX, every model on torch) its "SavedModel" line says why. Measured
while a test suite shared the cores: 151 s on JAX; on torch the two convolutional stages
alone took 162 s and 129 s (eager convolutions).

Measured with `time python examples/tour.py` on this project's 2-core CPU
machine: 55 s (71 s while another job shared the cores).

Run: python examples/tour.py [--output-dir runs/tour/<date>-<time>] [--epochs 15]
"""

import argparse
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf

import keras_dl
from keras_dl import layers


class Progress(keras.callbacks.Callback):
    """Prints the logs of a `fit` at about `lines` evenly spaced epochs (and the last)."""

    def __init__(self, label, lines=4):
        super().__init__()
        self.label = label
        self.lines = lines

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        epochs = self.params["epochs"]
        if (epoch + 1) % math.ceil(epochs / self.lines) and epoch + 1 != epochs:
            return
        values = ", ".join(
            f"{name} {value:.3f}" for name, value in logs.items() if name != "learning_rate"
        )
        seconds = time.perf_counter() - self.started
        print(f"  {self.label} epoch {epoch + 1}/{epochs} ({seconds:.0f} s): {values}", flush=True)


def digits_classifier():
    """A small CNN made of keras_dl layers, for 8x8 digits."""
    inputs = keras.Input((8, 8, 1))
    x = layers.Mlpconv([32, 32], kernel_size=3, use_batchnorm=True)(inputs)
    x = layers.ResidualBlock(32)(x)
    x = layers.DropBlock2D(rate=0.1, block_size=3)(x)
    branch = layers.ResidualBlock(32, preactivation=True)(x)
    x = layers.StochasticDepth(rate=0.1)([x, branch])
    x = layers.InceptionBlock(16, 16, 16, 8, 8, 8)(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="digits_cnn")


def fit_digits_classifier(model, optimizer, log_dir, epochs):
    """Trains `model` on scikit-learn's digits with TensorBoard logs; returns the test set."""
    train = keras_dl.datasets.load("digits", "train").shuffle(1500, seed=0).batch(64)
    test = keras_dl.datasets.load("digits", "test").batch(256)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        train,
        epochs=epochs,
        verbose=0,
        validation_data=test,
        shuffle=False,  # the dataset reshuffles itself; fit's default True makes Keras warn
        callbacks=[keras.callbacks.TensorBoard(log_dir), Progress(model.name)],
    )
    return test


def layers_stage(output_dir, epochs):
    """Trains the layer-built CNN on scikit-learn's digits and exports it."""
    model = digits_classifier()
    log_dir = os.path.join(output_dir, "digits_cnn")
    test = fit_digits_classifier(model, keras.optimizers.Adam(3e-3), log_dir, epochs)
    _, accuracy = model.evaluate(test, verbose=0)

    export_dir = os.path.join(output_dir, "digits_cnn_savedmodel")
    saved = export(model, export_dir, "endpoint 'serve'")
    if os.path.isdir(export_dir):
        images = next(iter(test))[0]
        reloaded = tf.saved_model.load(export_dir)  # kept: its functions need its variables
        served = reloaded.serve(images)
        difference = float(np.max(np.abs(served.numpy() - model.predict(images, verbose=0))))
        saved = f"{export_dir} (endpoint 'serve' matches Keras to {difference:.1e})"
    return {
        "figure": f"test accuracy {accuracy:.3f} on the 297 held-out digits",
        "TensorBoard": log_dir,
        "SavedModel": saved,
    }


def export(model, export_dir, endpoints):
    """Exports `model` to `export_dir`; returns the stage's "SavedModel" line, which says
    why where this backend cannot export the model (README, "Backends")."""
    if keras.backend.backend() == "torch":
        return ("not written: Keras exports torch models only through torch_xla; the tour on "
                "TensorFlow or JAX writes it")
    try:
        model.export(export_dir, verbose=False)
    except NotImplementedError as error:
        return f"not written: {error}"
    return f"{export_dir} ({endpoints})"


def applications_stage(output_dir, epochs):
    """Trains the CIFAR-layout ResNet-20 (option A shortcuts) on the digits."""
    model = keras_dl.applications.ResNet20(input_shape=(8, 8, 1), classes=10)
    log_dir = os.path.join(output_dir, "resnet20")
    optimizer = keras.optimizers.SGD(0.1, momentum=0.9, weight_decay=1e-4)
    test = fit_digits_classifier(model, optimizer, log_dir, epochs)
    _, accuracy = model.evaluate(test, verbose=0)
    return {
        "figure": f"test accuracy {accuracy:.3f} ({model.count_params():,} parameters)",
        "TensorBoard": log_dir,
    }


def models_stage(output_dir, epochs):
    """An RBM with persistent CD, and PCA against an autoencoder, on the digits."""
    images = np.stack([x for x, _ in keras_dl.datasets.load("digits", "all").as_numpy_iterator()])
    flat = images.reshape(len(images), -1)
    train, test = flat[:1500], flat[1500:]
    binary_train, binary_test = (train >= 0.5).astype("float32"), (test >= 0.5).astype("float32")
    rbm = keras_dl.models.RBM(16, persistent=True, seed=0)
    rbm.compile(optimizer=keras.optimizers.SGD(0.05))
    rbm.build((None, 64))
    pll_before = rbm.pseudo_log_likelihood(binary_test)
    log_dir = os.path.join(output_dir, "rbm")
    rbm.fit(
        binary_train,
        batch_size=50,
        epochs=4 * epochs,
        verbose=0,
        validation_data=(binary_test,),
        callbacks=[
            keras.callbacks.TensorBoard(log_dir),
            keras_dl.callbacks.ImageSampler(log_dir, every_n_epochs=epochs),
            Progress("RBM"),
        ],
    )
    log_likelihood = rbm.log_likelihood(binary_test)  # exact: 16 hidden units are enumerated
    saved = export(rbm, os.path.join(output_dir, "rbm_savedmodel"),
                   "endpoints 'serve' = P(h|v), 'reconstruct'")

    pca = keras_dl.models.PCA(8)
    pca.fit(train, verbose=0)
    encoder = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(8)]
    )
    decoder = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(64, activation="sigmoid"),
        ]
    )
    autoencoder = keras_dl.models.Autoencoder(encoder, decoder)
    autoencoder.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    autoencoder_dir = os.path.join(output_dir, "autoencoder")
    autoencoder.fit(
        train,
        batch_size=64,
        epochs=6 * epochs,
        verbose=0,
        validation_data=(test,),
        callbacks=[
            keras.callbacks.TensorBoard(autoencoder_dir),
            keras_dl.callbacks.ImageSampler(
                autoencoder_dir, every_n_epochs=2 * epochs, inputs=test[:12]
            ),
            Progress("autoencoder"),
        ],
    )

    def error(model):
        reconstructions = keras.ops.convert_to_numpy(model.reconstruct(test))
        return float(np.mean(np.sum((reconstructions - test) ** 2, axis=1)))

    return {
        "figure": (
            f"RBM pseudo-log-likelihood {pll_before:.1f} -> "
            f"{rbm.pseudo_log_likelihood(binary_test):.1f}, exact log-likelihood "
            f"{log_likelihood:.1f} nats per held-out digit; squared error per digit with 8-D "
            f"codes: PCA {error(pca):.2f}, autoencoder {error(autoencoder):.2f}"
        ),
        "TensorBoard": f"{log_dir} (RBM filters and Gibbs samples under IMAGES), {autoencoder_dir} "
        "(inputs above their reconstructions); validation scalars for both",
        "SavedModel": saved,
    }


def adversarial_stage(output_dir, epochs):
    """A GAN on the digits, scored by the Frechet distance in pixel space, and DANN on two moons."""
    images = np.stack([x for x, _ in keras_dl.datasets.load("digits", "all").as_numpy_iterator()])
    flat = images.reshape(len(images), -1)
    train, test = flat[:1500] * 2.0 - 1.0, flat[1500:]
    generator = keras.Sequential(
        [
            keras.Input((16,)),
            keras.layers.Dense(128),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(64, activation="tanh"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(128),
            keras.layers.LeakyReLU(0.2),
            keras.layers.Dense(1),
        ],
        name="discriminator",
    )
    gan = keras_dl.models.GAN(generator, discriminator, latent_dim=16, seed=0)
    gan.compile(
        generator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        discriminator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    log_dir = os.path.join(output_dir, "gan")
    gan.fit(
        train,
        batch_size=64,
        epochs=4 * epochs,
        verbose=0,
        callbacks=[
            keras.callbacks.TensorBoard(log_dir),
            keras_dl.callbacks.ImageSampler(log_dir, every_n_epochs=2 * epochs, num_images=36),
            Progress("GAN"),
        ],
    )
    pixels = keras.Sequential([keras.Input((64,)), keras.layers.Identity()])

    def distance_to_test(samples):
        metric = keras_dl.metrics.FrechetDistance(pixels)
        metric.update_state(test, samples)
        return float(metric.result())

    generated = (keras.ops.convert_to_numpy(gan.generate(len(test), seed=1)) + 1.0) / 2.0
    noise = np.random.default_rng(0).uniform(size=test.shape).astype("float32")
    saved = export(gan, os.path.join(output_dir, "gan_savedmodel"),
                   "endpoints 'serve' = G(z), 'generate'")

    (x_source, y_source), (x_target, y_target) = keras_dl.datasets.rotated_moons(600, angle=35.0)
    accuracies = {}
    for name, schedule in (("source-only", False), ("DANN", True)):
        keras.utils.set_random_seed(0)
        features = keras.Sequential(
            [
                keras.Input((2,)),
                keras.layers.Dense(32, activation="relu"),
                keras.layers.Dense(32, activation="relu"),
            ]
        )
        labels = keras.Sequential([keras.Input((32,)), keras.layers.Dense(2, activation="softmax")])
        domains = keras.Sequential(
            [keras.Input((32,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)]
        )
        dann = keras_dl.models.DomainAdversarialModel(features, labels, domains, lambda_=0.0)
        dann.compile(
            optimizer=keras.optimizers.Adam(3e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        batches = keras_dl.datasets.domain_adaptation((x_source, y_source), x_target, 64)
        dann.fit(
            batches,
            epochs=100,
            verbose=0,
            callbacks=[Progress(name, lines=2)]
            + ([keras_dl.callbacks.GradientReversalScheduler()] if schedule else []),
        )
        accuracies[name] = dann.evaluate(x_target, y_target, verbose=0, return_dict=True)[
            "accuracy"
        ]
    return {
        "figure": (
            f"Frechet distance (pixel space) to held-out digits: GAN samples "
            f"{distance_to_test(generated):.2f}, uniform noise {distance_to_test(noise):.2f}; "
            f"target accuracy source-only {accuracies['source-only']:.3f}, DANN "
            f"{accuracies['DANN']:.3f}"
        ),
        "TensorBoard": f"{log_dir} (sample grids under IMAGES)",
        "SavedModel": saved,
    }


STAGES = [
    (
        "layers",
        (
            "CNN of Mlpconv, ResidualBlock (v1 and v2), DropBlock2D, StochasticDepth, "
            "InceptionBlock on scikit-learn digits"
        ),
        layers_stage,
    ),
    ("applications", "ResNet-20 (CIFAR layout) on scikit-learn digits", applications_stage),
    (
        "models",
        "RBM (64-16, PCD) and PCA vs a 64-32-8 autoencoder on scikit-learn digits",
        models_stage,
    ),
    (
        "adversarial",
        (
            "GAN on scikit-learn digits; domain-adversarial training (source-only, then DANN) on "
            "two moons rotated by 35 degrees"
        ),
        adversarial_stage,
    ),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        default=os.path.join("runs", "tour", time.strftime("%Y%m%d-%H%M%S")),
        help="a new folder for this run's logs and SavedModels (default: runs/tour/<time>)",
    )
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    if os.path.isdir(args.output_dir) and os.listdir(args.output_dir):
        parser.error(
            f"--output-dir {args.output_dir} already holds files; a second run there would add "
            "its curves to the first one's: give a new folder"
        )
    keras.utils.set_random_seed(0)
    print(f"keras-dl {keras_dl.__version__} tour, writing under {os.path.abspath(args.output_dir)}")
    started = time.perf_counter()
    for name, what, stage in STAGES:
        print(f"\n[{name}] {what}", flush=True)
        stage_started = time.perf_counter()
        report = stage(args.output_dir, args.epochs)
        for key, value in report.items():
            print(f"  {key}: {value}")
        print(f"  time: {time.perf_counter() - stage_started:.0f} s")
    print(
        f"\nDone in {time.perf_counter() - started:.0f} s. "
        f"See the runs with: tensorboard --logdir {args.output_dir}"
    )


if __name__ == "__main__":
    main()
