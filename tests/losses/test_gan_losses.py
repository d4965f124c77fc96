import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_dl import losses


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@pytest.fixture
def logits():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 1)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")


def test_losses_match_their_formulas(logits):
    real, fake = logits
    r, f = real.astype("float64"), fake.astype("float64")
    expected = {
        "minimax": (
            -np.mean(np.log(sigmoid(r))) - np.mean(np.log(1 - sigmoid(f))),
            np.mean(np.log(1 - sigmoid(f))),
        ),
        "non_saturating": (
            -np.mean(np.log(sigmoid(r))) - np.mean(np.log(1 - sigmoid(f))),
            -np.mean(np.log(sigmoid(f))),
        ),
        "least_squares": (
            0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2),
            0.5 * np.mean((f - 1) ** 2),
        ),
        "hinge": (np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)), -np.mean(f)),
        "wasserstein": (np.mean(f) - np.mean(r), -np.mean(f)),
    }
    for name, (discriminator, generator) in expected.items():
        loss = losses.get(name)
        assert float(loss.discriminator_loss(real, fake)) == pytest.approx(
            discriminator, rel=1e-5
        ), name
        assert float(loss.generator_loss(fake)) == pytest.approx(generator, rel=1e-5), name


def test_unknown_loss_is_named():
    with pytest.raises(ValueError, match="loss"):
        losses.get("jensen")


def test_gradient_penalty_matches_a_linear_critic():
    # For D(x) = w'x the gradient is w everywhere: penalty (||w|| - 1)^2.
    w = np.array([[3.0], [4.0]], "float32")
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    critic.layers[0].kernel.assign(w)
    rng = np.random.default_rng(1)
    penalty = losses.gradient_penalty(
        critic, rng.normal(size=(8, 2)), rng.normal(size=(8, 2)), seed=0
    )
    assert float(penalty) == pytest.approx((5.0 - 1.0) ** 2, rel=1e-5)


def test_gradient_penalty_is_finite_for_a_constant_critic():
    critic = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="zeros")]
    )
    real = tf.ones((4, 2))
    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(critic, real, -real, seed=0)
    gradients = tape.gradient(penalty, critic.trainable_variables)
    assert float(penalty) == pytest.approx(1.0, rel=1e-5)
    assert all(np.isfinite(g.numpy()).all() for g in gradients if g is not None)
