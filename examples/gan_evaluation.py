"""How the GAN examples score their samples: a digit classifier trained here.

The classifier (a small CNN trained on the example's training split) gives
the feature space of the Frechet distance (its penultimate layer, 128
features; `keras_dl.metrics.FrechetDistance`) and the class of each generated
sample, from which the class coverage is read: how many classes the samples
cover and how evenly (a collapsed GAN covers few).
"""

import os
import time

import keras
import numpy as np

from keras_dl.callbacks import ImageSampler
from keras_dl.metrics import FrechetDistance


def train_digit_classifier(x_train, y_train, x_test, y_test, epochs=5):
    """Returns `(classifier, feature_extractor, test_accuracy)` for images in [0, 1]."""
    inputs = keras.Input(x_train.shape[1:])
    x = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(64, 3, activation="relu")(x)
    x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    features = keras.layers.Dense(128, activation="relu", name="features")(x)
    outputs = keras.layers.Dense(int(y_train.max()) + 1, activation="softmax")(features)
    classifier = keras.Model(inputs, outputs, name="digit_classifier")
    classifier.compile(
        optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    classifier.fit(x_train, y_train, batch_size=128, epochs=epochs, verbose=0)
    _, accuracy = classifier.evaluate(x_test, y_test, verbose=0)
    return classifier, keras.Model(inputs, features, name="digit_features"), accuracy


def frechet_distance(feature_extractor, real, generated, batch_size=500):
    metric = FrechetDistance(feature_extractor)
    for start in range(0, min(len(real), len(generated)), batch_size):
        metric.update_state(real[start : start + batch_size], generated[start : start + batch_size])
    return float(metric.result())


def class_coverage(classifier, generated, num_classes=10):
    """`(classes with at least half their fair share, share of each class)`."""
    predicted = classifier.predict(generated, verbose=0).argmax(-1)
    shares = np.bincount(predicted, minlength=num_classes) / len(predicted)
    return int(np.sum(shares >= 0.5 / num_classes)), shares


def train_and_score(
    gan, images, batch_size, epochs, output_dir, classifier, feature_extractor, real_test
):
    """Fits `gan` on `images` in [0, 1] (scaled to the generator's [-1, 1]) with TensorBoard
    logs and sample grids, then scores 2,000 samples against `real_test`."""
    started = time.perf_counter()
    gan.fit(
        images * 2.0 - 1.0,
        batch_size=batch_size,
        epochs=epochs,
        verbose=2,
        callbacks=[
            keras.callbacks.TensorBoard(output_dir),
            ImageSampler(output_dir, num_images=64, image_dir=os.path.join(output_dir, "png")),
        ],
    )
    print(f"trained {epochs} epochs in {time.perf_counter() - started:.0f} s")
    samples = (np.asarray(gan.generate(2000, seed=1)) + 1.0) / 2.0
    return report(gan.name, classifier, feature_extractor, real_test, samples)


def report(name, classifier, feature_extractor, real, generated):
    distance = frechet_distance(feature_extractor, real, generated)
    covered, shares = class_coverage(classifier, generated)
    print(
        f"{name}: Frechet distance {distance:.2f} (classifier features), {covered}/10 "
        "classes covered, "
        f"class shares {np.round(shares, 2).tolist()}"
    )
    return distance, covered
