"""The per-backend pieces under the models, on whichever backend this process runs (both
legs run this file): the two gradient hooks of `BaseModel` and `keras_dl.utils.backend_ops`."""

import keras
import numpy as np
from keras import ops

from keras_dl.models import BaseModel
from keras_dl.utils import backend_ops

RNG = np.random.default_rng(0)
X = RNG.normal(size=(8, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5]]) + 0.1).astype("float32")


class LinearRegression(BaseModel):
    """Least squares, by autodiff or by its gradient in closed form (as the RBM applies
    its contrastive-divergence gradients)."""

    tracker_names = ("loss",)

    def __init__(self, closed_form=False, **kwargs):
        super().__init__(**kwargs)
        self.closed_form = closed_form
        self.kernel = self.add_weight(shape=(3, 1), initializer="zeros", name="kernel")
        self.bias = self.add_weight(shape=(1,), initializer="zeros", name="bias")
        self.built = True

    def call(self, inputs):
        return ops.matmul(inputs, self.kernel) + self.bias

    def compute_objective(self, data, training):
        x, y = data
        loss = ops.mean(ops.square(self(x) - y))
        return loss, {"loss": loss}, None

    def training_step(self, data):
        if not self.closed_form:
            return super().training_step(data)
        x, y = data

        def gradients():
            residual = self(x) - y
            count = ops.cast(ops.shape(x)[0], "float32")
            loss = ops.mean(ops.square(residual))
            return [2.0 * ops.matmul(ops.transpose(x), residual) / count,
                    2.0 * ops.mean(residual, axis=0)], loss

        loss = self.closed_form_gradient_step(self.optimizer, [self.kernel, self.bias], gradients)
        return self.finish_step(data, {"loss": loss})


def test_closed_form_gradients_make_the_update_of_autodiff():
    weights = []
    for closed_form in (False, True):
        model = LinearRegression(closed_form=closed_form)
        model.compile(optimizer=keras.optimizers.SGD(0.1))
        history = model.fit(X, Y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
        assert np.all(np.isfinite(history["loss"]))
        weights.append([np.asarray(v) for v in (model.kernel, model.bias)])
    for autodiff, closed in zip(*weights):
        np.testing.assert_allclose(closed, autodiff, rtol=1e-5, atol=1e-6)


def test_input_gradients_assign_what_the_function_assigns():
    dense = keras.layers.Dense(2)
    dropout = keras.layers.Dropout(0.5, seed=1)
    dense.build((None, 3))
    state = np.asarray(dropout.seed_generator.state)

    def function(x):
        dropped = ops.sum(dropout(x, training=True), axis=-1, keepdims=True)
        return ops.sum(dense(x), axis=-1, keepdims=True) + 0.0 * dropped

    gradients = backend_ops.input_gradients(function, ops.convert_to_tensor(X))
    gradients = ops.convert_to_numpy(gradients)
    expected = np.tile(np.asarray(dense.kernel).sum(axis=1), (len(X), 1))
    np.testing.assert_allclose(gradients, expected, rtol=1e-6)
    assert not np.array_equal(np.asarray(dropout.seed_generator.state), state)


def test_batch_jacobian_gives_each_samples_jacobian():
    dense = keras.layers.Dense(2, activation="sigmoid")
    dense.build((None, 3))
    jacobian = ops.convert_to_numpy(backend_ops.batch_jacobian(dense, ops.convert_to_tensor(X)))
    outputs = ops.convert_to_numpy(dense(X))
    kernel = np.asarray(dense.kernel)
    expected = (outputs * (1 - outputs))[:, :, None] * kernel.T[None, :, :]
    assert jacobian.shape == (8, 2, 3)
    np.testing.assert_allclose(jacobian, expected, rtol=1e-5, atol=1e-7)


def test_normal_from_an_int_or_a_tensor_seed_draws_the_same_numbers():
    by_int = backend_ops.normal_from_seed((2, 3), 7)
    by_tensor = backend_ops.normal_from_seed((2, 3), ops.convert_to_tensor(7, "int32"))
    np.testing.assert_array_equal(by_int, by_tensor)
    assert not np.array_equal(by_int, backend_ops.normal_from_seed((2, 3), 8))


def test_uniform_from_a_seed_and_a_stream_draws_the_same_numbers_for_the_same_pair():
    by_int = backend_ops.uniform_from_seed((2, 3), 7)
    by_tensor = backend_ops.uniform_from_seed((2, 3), ops.convert_to_tensor(7, "int32"))
    np.testing.assert_array_equal(by_int, by_tensor)
    assert np.all((0 <= np.asarray(by_int)) & (np.asarray(by_int) < 1))
    streams = [backend_ops.uniform_from_seed((2, 3), 7, stream) for stream in (-1, 1)]
    np.testing.assert_array_equal(
        streams[1], backend_ops.uniform_from_seed((2, 3), 7, ops.convert_to_tensor(1, "int32")))
    for other in streams + [backend_ops.uniform_from_seed((2, 3), 8)]:
        assert not np.array_equal(by_int, other)
    assert not np.array_equal(backend_ops.normal_from_seed((2, 3), 7, 1),
                              backend_ops.normal_from_seed((2, 3), 7))


def test_a_compiled_function_takes_sizes_and_tensor_arguments():
    def draws(seed, rows):
        return backend_ops.uniform_from_seed((rows, 2), seed, 1)

    compiled = backend_ops.compiled(draws, sizes=("rows",))
    for rows in (2, 3):
        seed = ops.convert_to_tensor(5, "int32")
        np.testing.assert_array_equal(compiled(seed, rows=rows), draws(5, rows))


class TwoLosses(BaseModel):
    """Two gradient steps per training step, each over its own variable with its own loss
    (as a GAN's discriminator and generator steps): `a` minimises `a * b`, then `b`
    minimises `a**2 * b` at the new `a`."""

    tracker_names = ("loss",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.a = self.add_weight(shape=(), initializer=keras.initializers.Constant(1.0))
        self.b = self.add_weight(shape=(), initializer=keras.initializers.Constant(2.0))
        self.built = True

    def call(self, inputs):
        return inputs * self.a

    def training_step(self, data):
        self.gradient_step(self.optimizer, [self.a], lambda: (self.a * self.b, None))
        loss, _ = self.gradient_step(self.optimizer, [self.b],
                                     lambda: (self.a * self.a * self.b, None))
        return self.finish_step(data, {"loss": loss})


def test_each_gradient_step_takes_the_gradients_of_its_own_loss_only():
    model = TwoLosses()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    model.optimizer.build(model.trainable_variables)  # each step applies it to one of them
    model.fit(np.ones((2, 1), "float32"), batch_size=1, epochs=1, shuffle=False, verbose=0)
    a, b = 1.0, 2.0
    for _ in range(2):
        a -= 0.1 * b
        b -= 0.1 * a * a
    np.testing.assert_allclose([float(model.a.numpy()), float(model.b.numpy())], [a, b],
                               rtol=1e-6)
