"""Domain-adversarial training on a synthetic shift: two moons, target rotated by 35 degrees."""

import keras
import numpy as np
import pytest

from keras_dl import callbacks, datasets, models
from keras_dl.testing import (
    assert_export_matches,
    assert_keras_file_round_trip,
    two_replica_strategy,
)


def moons_shift():
    (x_source, y_source), (x_target, y_target) = datasets.rotated_moons(600, angle=35.0)
    return x_source, y_source, x_target, y_target


def networks():
    features = keras.Sequential([keras.Input((2,)), keras.layers.Dense(32, activation="relu"),
                                 keras.layers.Dense(32, activation="relu")], name="features")
    labels = keras.Sequential([keras.Input((32,)), keras.layers.Dense(2, activation="softmax")], name="labels")
    domains = keras.Sequential([keras.Input((32,)), keras.layers.Dense(32, activation="relu"),
                                keras.layers.Dense(1)], name="domains")
    return features, labels, domains


def trained(lambda_, schedule, seed):
    keras.utils.set_random_seed(seed)
    x_source, y_source, x_target, y_target = moons_shift()
    model = models.DomainAdversarialModel(*networks(), lambda_=lambda_)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    batches = datasets.domain_adaptation((x_source, y_source), x_target, batch_size=64).shuffle(20, seed=seed)
    history = model.fit(batches, epochs=100, verbose=0,
                        callbacks=[callbacks.GradientReversalScheduler(gamma=10.0)] if schedule else [])
    target = model.evaluate(x_target, y_target, verbose=0, return_dict=True)
    return history.history, target


def test_reversal_makes_domains_indistinguishable_and_helps_the_target():
    # Adversarial training varies from seed to seed: three seeds, each must
    # gain, and the gain must be clear on average.
    gains = []
    for seed in (0, 1, 2):
        source_only, source_only_target = trained(lambda_=0.0, schedule=False, seed=seed)
        adversarial, adversarial_target = trained(lambda_=1.0, schedule=True, seed=seed)
        # Without reversal the domain classifier tells the domains apart; with it,
        # the features leave it near chance (0.5).
        assert source_only["domain_accuracy"][-1] > 0.75, seed
        assert adversarial["domain_accuracy"][-1] < 0.7, seed
        assert set(source_only_target) == {"loss", "accuracy"}
        gains.append(adversarial_target["accuracy"] - source_only_target["accuracy"])
    assert min(gains) > 0.0 and np.mean(gains) > 0.08, gains


def test_logs_endpoints_saving_and_xla(tmp_path):
    x_source, y_source, x_target, _ = moons_shift()
    model = models.DomainAdversarialModel(*networks(), lambda_=0.3)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=True)
    history = model.fit(datasets.domain_adaptation((x_source, y_source), x_target, 100), epochs=1, verbose=0)
    assert set(history.history) == {"loss", "domain_loss", "domain_accuracy", "accuracy"}
    assert model.lambda_ == pytest.approx(0.3)
    restored = assert_keras_file_round_trip(model, x_target[:8], str(tmp_path))
    assert restored.lambda_ == pytest.approx(0.3)
    assert_export_matches(model, x_target[:8], str(tmp_path),
                          endpoints={"serve": lambda x: model(x), "features": model.features})


def test_trains_under_mirrored_strategy():
    x_source, y_source, x_target, _ = moons_shift()
    with two_replica_strategy().scope():
        model = models.DomainAdversarialModel(*networks())
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(datasets.domain_adaptation((x_source, y_source), x_target, 100), epochs=1, verbose=0)
    assert np.isfinite(history.history["domain_loss"][-1])


def test_bad_networks_are_refused():
    features, labels, _ = networks()
    with pytest.raises(TypeError, match="domain_classifier"):
        models.DomainAdversarialModel(features, labels, "classifier")
    two_logits = keras.Sequential([keras.Input((32,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="one logit"):
        models.DomainAdversarialModel(features, labels, two_logits)
