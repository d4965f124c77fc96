"""What the shared `BaseModel` training template costs: keras_dl models against the same
networks in a plain `keras.Model` trained with `fit`.

Two pairs, each with copied weights, the same optimizer and data:

- `Autoencoder(encoder, decoder)` compiled with `loss="mse"` against
  `keras.Sequential([encoder, decoder])` fitted on `(x, x)` with `"mse"`
  (a 784-256-32-256-784 MLP on 8,000 MNIST digits, batch 64);
- `DomainAdversarialModel` with `lambda_=0` (no reversed gradient) against a
  plain subclassed `keras.Model` that runs the same three networks on the
  concatenated source and target batch and is compiled with the label loss
  and the domain classifier's sigmoid cross-entropy (the LeNet digits
  networks of `examples/domain_adaptation_digits.py`, 2,000 MNIST source and
  1,000 UCI target digits, batch 64).

Epochs alternate (keras_dl, plain, ...) after one warm-up epoch each, each its
own `fit` call timed without its set-up (`EpochTimes`); the script prints the
median seconds per epoch of each and the median and range of the per-pair
ratios (plain time / keras_dl time: 1.0 means the base costs nothing).

Run: python benchmarks/base_overhead.py [--pairs 8] [--batch-size 64]
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import tensorflow as tf
from timing import EpochTimes

from keras_dl import datasets, models

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import domain_adaptation_digits as digits_task  # noqa: E402
import example_data  # noqa: E402


class PlainDomainModel(keras.Model):
    """The three domain-adversarial networks as a plain model: label predictions for the
    source half of the batch and domain logits for all of it."""

    def __init__(self, feature_extractor, label_classifier, domain_classifier):
        super().__init__()
        self.feature_extractor = feature_extractor
        self.label_classifier = label_classifier
        self.domain_classifier = domain_classifier

    def call(self, inputs, training=False):
        source, target = inputs
        features = self.feature_extractor(keras.ops.concatenate([source, target], axis=0),
                                          training=training)
        labels = self.label_classifier(features[: tf.shape(source)[0]], training=training)
        return labels, self.domain_classifier(features, training=training)


def alternate(fit_ours, fit_plain, pairs):
    """Per-epoch seconds of alternating one-epoch `fit` calls, warm-up excluded."""
    ours_timer, plain_timer = EpochTimes(), EpochTimes()
    ours, plain = [], []
    for _ in range(pairs + 1):
        fit_ours(ours_timer)
        ours += ours_timer.seconds
        fit_plain(plain_timer)
        plain += plain_timer.seconds
    return np.array(ours[1:]), np.array(plain[1:])


def report(name, ours, plain):
    ratios = plain / ours
    print(f"{name}: keras_dl {np.median(ours):.4f} s/epoch ({ours.min():.4f}-{ours.max():.4f}), "
          f"plain keras.Model {np.median(plain):.4f} ({plain.min():.4f}-{plain.max():.4f}); "
          f"ratio (plain / keras_dl) median {np.median(ratios):.3f}, "
          f"range {ratios.min():.3f}-{ratios.max():.3f}")


def autoencoder_pair(args):
    _, (x_train, _), _ = example_data.load_digit_images()
    x = x_train.reshape(len(x_train), -1).astype("float32")

    def networks():
        encoder = keras.Sequential([keras.Input((x.shape[1],)),
                                    keras.layers.Dense(256, activation="relu"),
                                    keras.layers.Dense(32)])
        decoder = keras.Sequential([keras.Input((32,)), keras.layers.Dense(256, activation="relu"),
                                    keras.layers.Dense(x.shape[1], activation="sigmoid")])
        return encoder, decoder

    keras.utils.set_random_seed(0)
    ours = models.Autoencoder(*networks())
    ours.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    plain = keras.Sequential(list(networks()))
    ours.build_from_data(x)
    plain.build((None, x.shape[1]))
    plain.set_weights(ours.get_weights())
    plain.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    return alternate(
        lambda timer: ours.fit(x, batch_size=args.batch_size, epochs=1, verbose=0,
                               callbacks=[timer]),
        lambda timer: plain.fit(x, x, batch_size=args.batch_size, epochs=1, verbose=0,
                                callbacks=[timer]),
        args.pairs,
    )


def domain_pair(args):
    (x_source, y_source), x_target, _ = digits_task.digits_shift()
    keras.utils.set_random_seed(0)
    ours = models.DomainAdversarialModel(*digits_task.networks(None), lambda_=0.0)
    ours.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    plain = PlainDomainModel(*digits_task.networks(None))
    plain.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=["sparse_categorical_crossentropy",
                        keras.losses.BinaryCrossentropy(from_logits=True)])
    batches = datasets.domain_adaptation((x_source, y_source), x_target, args.batch_size)

    def with_domain_labels(inputs, labels):
        source, target = inputs
        domains = tf.concat([tf.zeros((tf.shape(source)[0], 1)), tf.ones((tf.shape(target)[0], 1))],
                            axis=0)
        return inputs, (labels, domains)

    plain_batches = batches.map(with_domain_labels)
    for network in ("feature_extractor", "label_classifier", "domain_classifier"):
        getattr(plain, network).set_weights(getattr(ours, network).get_weights())
    return alternate(
        lambda timer: ours.fit(batches, epochs=1, verbose=0, callbacks=[timer]),
        lambda timer: plain.fit(plain_batches, epochs=1, verbose=0, callbacks=[timer]),
        args.pairs,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    print(f"batch {args.batch_size}, Adam 1e-3, {args.pairs} alternating epoch pairs after one "
          f"warm-up each, {os.cpu_count()} CPU cores, Keras {keras.__version__}")
    report("Autoencoder (784-256-32-256-784 MLP, 8,000 MNIST digits)", *autoencoder_pair(args))
    report("DomainAdversarialModel lambda_=0 (LeNet digits, 2,000 + 1,000)", *domain_pair(args))


if __name__ == "__main__":
    main()
