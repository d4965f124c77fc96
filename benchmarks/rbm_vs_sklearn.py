"""keras_dl's RBM against scikit-learn's BernoulliRBM, same data and settings.

Both train a Bernoulli RBM with persistent contrastive divergence (scikit-learn's
BernoulliRBM uses PCD with one chain per batch example; ours gets the same
number of chains) and plain SGD, on the shared MNIST split (first 8,000
test-set images binarised at 0.5 for training, last 2,000 held out;
scikit-learn's digits when absent), over a grid: batch 10 (learning rate 0.1,
scikit-learn's default batch) and batch 100 (0.05), 64 and 256 hidden units.

Each setting runs one `fit` of our RBM whose epochs alternate with epochs of
scikit-learn's (its `fit` loop, run by a callback after each of our epochs,
with an untimed pause of 2 s on each side so that neither side's idle
threads still spin while the other is timed):
after one warm-up epoch each (ours traces), `--pairs` pairs, and the script
prints both median seconds per epoch, the median and range of the per-pair
ratios (scikit-learn time / ours), both models' exact pseudo-log-likelihood on
the held-out digits (`RBM.pseudo_log_likelihood`, scikit-learn's weights
loaded into one of our RBMs; its own `score_samples` flips one random unit per
sample and is noisy), and the GEMM-bound limit: the time of an update's five matrix
products alone (`update_products`, scikit-learn's; our step runs a sixth for its
reconstruction log), each timed with NumPy's BLAS and the backend (the faster
counts) at the step's shapes in this process, with our epoch as a fraction of
it. For scale it also times floors, hand-written for the backend Keras runs on
(`KERAS_BACKEND`, printed; `FLOORS` picks them), no Keras: on TensorFlow,
`HandWrittenPCD.update` over the epoch's batches in one `tf.function`
(`minimal_step_seconds`): the least TensorFlow can run for the same update
(scikit-learn's five products and two draws, no logs), the same with the work our
step does for the two logs the API promises (`reconstruction_error` needs a sixth
product; `free_energy_gap`), and that loop compiled by XLA; on JAX, the same update
in `jax.numpy` (`jax_pcd_update`, `jax_floors`): the epoch in one `jax.jit` (a
`fori_loop` over the batches) without and with the logs, and with the logs one
compiled call per batch from Python (how Keras' JAX loop calls a step). Then, on
either backend, Keras' own loop and input pipeline with an empty step
(`keras_loop_seconds`; an RBM subclass, so on JAX it runs keras_dl's one `lax.scan`
per call), their sum, and what `fit` takes with the hand-written step with logs as
its `train_step` (`HandWrittenPCD` on TensorFlow, `JaxHandWrittenPCD` on JAX, plain
`keras.Model`s: on JAX Keras' loop calls the compiled step once per batch): the
least a Keras model with the API's logs can run here.

If `OPENBLAS_CORETYPE` or `OPENBLAS_L2_SIZE` is set the script re-executes
itself without them, so that NumPy's OpenBLAS picks its own kernel for this
CPU; it prints the kernel (threadpoolctl). `--blas-threads 1` runs scikit-learn's
epochs on one BLAS thread (threadpoolctl): on a machine that other jobs load,
OpenBLAS's two threads wait for each other and its epochs took up to 30x longer.

`--input tf.data` feeds our `fit` a shuffled `tf.data.Dataset` of the same arrays instead
of the arrays (on TensorFlow, Keras' array pipeline builds an iterator of three dataset
functions each epoch, 7-17 ms here, and costs more per batch; on JAX Keras reads the
dataset's batches as NumPy arrays).

Run: [KERAS_BACKEND=jax] python benchmarks/rbm_vs_sklearn.py [--pairs 8] [--batch-sizes 10 100]
     [--hidden 64 256] [--jit-compile] [--steps-per-execution N] [--input arrays|tf.data]
     [--blas-threads N]
"""

import argparse
import functools
import os
import sys
import time

OPENBLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if any(name in os.environ for name in OPENBLAS_OVERRIDES):
    environment = {k: v for k, v in os.environ.items() if k not in OPENBLAS_OVERRIDES}
    os.execve(sys.executable, [sys.executable, *sys.argv], environment)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import sklearn
import tensorflow as tf
from sklearn.neural_network import BernoulliRBM
from sklearn.utils import gen_even_slices
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
import example_data
from rbm_step_breakdown import EmptyStep
from timing import EpochTimes, median_seconds

from keras_dl.models import RBM

LEARNING_RATES = {10: 0.1, 100: 0.05}
# A pause between the two sides' epochs, untimed. Something scikit-learn's epoch leaves
# running (its BLAS threads, by all signs) halves the speed of whatever runs next on 2
# cores for a while: after a pause of 0.3 s, 7 of 18 of our epochs (784-256, batch
# 100) took 0.36-0.43 s instead of 0.21-0.22; after 3 s, none of 18 did.
IDLE_SECONDS = 2.0


def load_weights(rbm, kernel, visible_bias, hidden_bias):
    rbm.kernel.assign(kernel.astype("float32"))
    rbm.visible_bias.assign(visible_bias.astype("float32"))
    rbm.hidden_bias.assign(hidden_bias.astype("float32"))


class SklearnEpochs(keras.callbacks.Callback):
    """Runs one epoch of scikit-learn's `BernoulliRBM.fit` loop after each of our
    epochs (the first fits it, which initialises it) and records its seconds; with
    `blas_threads`, NumPy's BLAS runs that many threads during it."""

    def __init__(self, reference, x, blas_threads=None):
        super().__init__()
        self.reference, self.x, self.seconds = reference, x, []
        self.blas_threads = blas_threads
        n_batches = int(np.ceil(len(x) / reference.batch_size))
        self.slices = list(gen_even_slices(n_batches * reference.batch_size, n_batches,
                                           n_samples=len(x)))
        self.rng = np.random.RandomState(1)

    def on_epoch_end(self, epoch, logs=None):
        time.sleep(IDLE_SECONDS)
        with threadpool_limits(self.blas_threads, user_api="blas"):
            started = time.perf_counter()
            if epoch == 0:
                self.reference.fit(self.x)
            else:
                for batch_slice in self.slices:
                    self.reference._fit(self.x[batch_slice], self.rng)
            self.seconds.append(time.perf_counter() - started)
        time.sleep(IDLE_SECONDS)


def tensorflow_products(a, b, repeats):
    """A function running `repeats` products `a @ b` in one `tf.function`."""
    a_tf, b_tf = tf.constant(a), tf.constant(b)

    @tf.function
    def products():
        # Each product feeds a running sum, so none is skipped, at the cost of one
        # scalar addition (making the product depend on the last one would add an
        # element-wise pass over `a`, which costs as much as the product here).
        total = tf.zeros(())
        for _ in tf.range(repeats):
            total += tf.matmul(a_tf, b_tf)[0, 0]
        return total

    return lambda: products().numpy()


def jax_products(a, b, repeats):
    """A function running `repeats` products in one `jax.jit`: a `scan` over `repeats`
    copies of `a` (XLA would hoist a product of constants out of a loop), each summed."""
    import jax
    import jax.numpy as jnp

    copies, b = jnp.asarray(np.repeat(a[None], repeats, 0)), jnp.asarray(b)
    scan = jax.jit(lambda copies: jax.lax.scan(
        lambda total, a: (total + jnp.sum(a @ b), None), jnp.zeros(()), copies)[0])
    return lambda: scan(copies).block_until_ready()


def product_seconds(m, k, n, repeats):
    """The fastest of NumPy's and the backend's time for one (m, k) x (k, n) product."""
    a = np.random.default_rng(0).uniform(size=(m, k)).astype("float32")
    b = np.random.default_rng(1).uniform(size=(k, n)).astype("float32")
    products = {"tensorflow": tensorflow_products, "jax": jax_products}[keras.backend.backend()]
    backend_run = products(a, b, repeats)
    backend_run()
    best = []
    for run in (lambda: [a @ b for _ in range(repeats)], backend_run):
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) / repeats)
        best.append(min(timings))
    return min(best)


class HandWrittenPCD(keras.Model):
    """scikit-learn's PCD-1 update written directly in TensorFlow: five products, two
    draws, the chains kept as hidden states, plain SGD, nothing else. `update` with
    `with_logs` adds what our step computes for the two logs the API promises: the
    data's hidden states drawn with the chains', the reconstruction's product and
    squared error, and the free energies. `train_step` runs it with the logs in `fit`
    (a full last batch only: the chains are `batch` rows)."""

    def __init__(self, n_visible, n_hidden, batch, learning_rate):
        super().__init__()
        self.batch_rows, self.learning_rate = batch, learning_rate
        self.kernel = tf.Variable(tf.random.normal((n_visible, n_hidden), 0.0, 0.01, seed=0))
        self.visible_bias = tf.Variable(tf.zeros(n_visible))
        self.hidden_bias = tf.Variable(tf.zeros(n_hidden))
        self.chains = tf.Variable(tf.zeros((batch, n_hidden)))
        self.updates_done = tf.Variable(tf.zeros((), tf.int64))
        # A tensor the compiled functions take as an input: with the key a constant
        # inside the function, XLA ran the whole-epoch loop 1.6x slower (0.158-0.161
        # against 0.095-0.099 s/epoch at batch 100, 256 hidden units).
        self.random_key = tf.constant([0], tf.uint64)
        self.built = True

    def uniform(self, shape, step, stream):
        counter = tf.stack([tf.constant(0, tf.uint64), tf.cast(2 * step + stream, tf.uint64)])
        return tf.raw_ops.StatelessRandomUniformV2(
            shape=shape, key=self.random_key, counter=counter, alg=1)

    def free_energies(self, v, preactivation):
        return (-tf.linalg.matvec(v, self.visible_bias)
                - tf.reduce_sum(tf.nn.softplus(preactivation), 1))

    def update(self, v, step, with_logs):
        """One update from the batch `v`, its draws numbered by `step`; returns the
        reconstruction error and the free-energy gap (zeros without logs)."""
        batch, kernel = self.batch_rows, self.kernel
        data_preactivation = v @ kernel + self.hidden_bias
        data_hidden = tf.sigmoid(data_preactivation)
        mean = tf.sigmoid(tf.matmul(self.chains, kernel, transpose_b=True) + self.visible_bias)
        v_model = tf.floor(self.uniform(tf.shape(mean), step, 0) + mean)
        model_preactivation = v_model @ kernel + self.hidden_bias
        model_hidden = tf.sigmoid(model_preactivation)
        update = tf.matmul(tf.concat([v, v_model], 0),
                           tf.concat([data_hidden, -model_hidden], 0), transpose_a=True)
        error = gap = tf.zeros(())
        if with_logs:
            hidden_rows = tf.concat([data_hidden, model_hidden], 0)
            states = tf.floor(self.uniform(tf.shape(hidden_rows), step, 1) + hidden_rows)
            reconstruction = tf.sigmoid(
                tf.matmul(states[:batch], kernel, transpose_b=True) + self.visible_bias)
            error = tf.reduce_mean(tf.reduce_sum(tf.square(v - reconstruction), 1))
            gap = (tf.reduce_mean(self.free_energies(v, data_preactivation))
                   - tf.reduce_mean(self.free_energies(v_model, model_preactivation)))
            chain_states = states[batch:]
        else:
            chain_states = tf.floor(self.uniform(tf.shape(model_hidden), step, 1) + model_hidden)
        kernel.assign_add(self.learning_rate / batch * update)
        self.visible_bias.assign_add(self.learning_rate * tf.reduce_mean(v - v_model, 0))
        self.hidden_bias.assign_add(
            self.learning_rate * tf.reduce_mean(data_hidden - model_hidden, 0))
        self.chains.assign(chain_states)
        return error, gap

    def train_step(self, v):
        error, gap = self.update(v, self.updates_done, with_logs=True)
        self.updates_done.assign_add(1)
        return {"reconstruction_error": error, "free_energy_gap": gap}


def minimal_step_seconds(train, batch, hidden, learning_rate, with_logs=False,
                         jit_compile=False, epochs=3):
    """Median seconds per epoch of `HandWrittenPCD.update` over all batches in one
    `tf.function`, no Keras: the floor of TensorFlow's per-operation cost on this
    machine. `jit_compile` compiles the whole epoch's loop with XLA (Keras' `jit_compile`
    compiles one step per call instead, which was no faster here)."""
    steps = len(train) // batch
    batches = tf.constant(train[: steps * batch].reshape(steps, batch, -1))
    model = HandWrittenPCD(train.shape[1], hidden, batch, learning_rate)

    @tf.function(jit_compile=jit_compile)
    def epoch():
        logs = tf.zeros(())
        for step in tf.range(steps):
            error, gap = model.update(batches[step], step, with_logs)
            logs += error + gap
        return logs

    return median_seconds(lambda: epoch().numpy(), epochs)


def hand_written_fit_seconds(model_class, train, batch, hidden, learning_rate, input_kind,
                             steps_per_execution):
    """Median seconds per epoch of `fit` running a hand-written step with the logs
    (`HandWrittenPCD`, `JaxHandWrittenPCD`), from the same input and with our RBM's
    steps per call."""
    model = model_class(train.shape[1], hidden, batch, learning_rate)
    model.compile(steps_per_execution=steps_per_execution)
    full_batches = train[: len(train) // batch * batch]
    return fit_epoch_seconds(model, fit_input(full_batches, batch, input_kind))


def tensorflow_floors(train, batch, hidden, learning_rate, input_kind, steps_per_execution):
    """`{name: seconds per epoch}` of `HandWrittenPCD` without Keras and in `fit`."""
    return {
        "minimal step": minimal_step_seconds(train, batch, hidden, learning_rate),
        "with the two logs": minimal_step_seconds(train, batch, hidden, learning_rate,
                                                  with_logs=True),
        "with the logs, the epoch's loop compiled by XLA": minimal_step_seconds(
            train, batch, hidden, learning_rate, with_logs=True, jit_compile=True),
        "in `fit`": hand_written_fit_seconds(HandWrittenPCD, train, batch, hidden,
                                             learning_rate, input_kind, steps_per_execution),
    }


def jax_pcd_update(parameters, v, key, step, learning_rate, with_logs):
    """`HandWrittenPCD.update` in `jax.numpy`: the same products, draws (JAX's default
    generator, as Keras' seeded draws on JAX) and SGD update on the values
    `parameters = (kernel, visible_bias, hidden_bias, chains)`.

    Returns:
        `(new_parameters, reconstruction_error, free_energy_gap)` (zeros without logs).
    """
    import jax
    import jax.numpy as jnp

    kernel, visible_bias, hidden_bias, chains = parameters
    batch = v.shape[0]

    def uniform(shape, stream):
        return jax.random.uniform(jax.random.fold_in(key, 2 * step + stream), shape)

    def free_energies(v, preactivation):
        return -v @ visible_bias - jnp.sum(jax.nn.softplus(preactivation), 1)

    data_preactivation = v @ kernel + hidden_bias
    data_hidden = jax.nn.sigmoid(data_preactivation)
    mean = jax.nn.sigmoid(chains @ kernel.T + visible_bias)
    v_model = jnp.floor(uniform(mean.shape, 0) + mean)
    model_preactivation = v_model @ kernel + hidden_bias
    model_hidden = jax.nn.sigmoid(model_preactivation)
    update = jnp.concatenate([v, v_model]).T @ jnp.concatenate([data_hidden, -model_hidden])
    error = gap = jnp.zeros(())
    if with_logs:
        hidden_rows = jnp.concatenate([data_hidden, model_hidden])
        states = jnp.floor(uniform(hidden_rows.shape, 1) + hidden_rows)
        reconstruction = jax.nn.sigmoid(states[:batch] @ kernel.T + visible_bias)
        error = jnp.mean(jnp.sum(jnp.square(v - reconstruction), 1))
        gap = (jnp.mean(free_energies(v, data_preactivation))
               - jnp.mean(free_energies(v_model, model_preactivation)))
        chain_states = states[batch:]
    else:
        chain_states = jnp.floor(uniform(model_hidden.shape, 1) + model_hidden)
    return ((kernel + learning_rate / batch * update,
             visible_bias + learning_rate * jnp.mean(v - v_model, 0),
             hidden_bias + learning_rate * jnp.mean(data_hidden - model_hidden, 0),
             chain_states), error, gap)


def jax_initial_parameters(n_visible, n_hidden, batch):
    """`(kernel, visible_bias, hidden_bias, chains)` as `HandWrittenPCD` starts them."""
    kernel = keras.random.normal((n_visible, n_hidden), 0.0, 0.01, seed=0)
    return (kernel, keras.ops.zeros(n_visible), keras.ops.zeros(n_hidden),
            keras.ops.zeros((batch, n_hidden)))


class JaxHandWrittenPCD(keras.Model):
    """`jax_pcd_update` with the logs as the `train_step` of a plain `keras.Model` on JAX
    (Keras' stateless form): its parameters, chains and step count are its
    non-trainable variables."""

    def __init__(self, n_visible, n_hidden, batch, learning_rate):
        super().__init__()
        self.learning_rate = learning_rate
        step = keras.ops.zeros((), "int32")
        for value in (*jax_initial_parameters(n_visible, n_hidden, batch), step):
            self.add_weight(shape=value.shape, initializer="zeros", trainable=False,
                            dtype=value.dtype.name).assign(value)
        self.built = True

    def train_step(self, state, data):
        import jax

        trainable, (*parameters, step), optimizer_variables, metrics = state
        parameters, error, gap = jax_pcd_update(
            parameters, keras.utils.unpack_x_y_sample_weight(data)[0], jax.random.key(0), step,
            self.learning_rate, with_logs=True)
        logs = {"reconstruction_error": error, "free_energy_gap": gap}
        return logs, (trainable, [*parameters, step + 1], optimizer_variables, metrics)


def jax_floors(train, batch, hidden, learning_rate, input_kind, steps_per_execution):
    """`{name: seconds per epoch}` of `jax_pcd_update` without Keras (the epoch in one
    `jax.jit`; one compiled call per batch) and in `fit` (`JaxHandWrittenPCD`)."""
    import jax

    steps = len(train) // batch
    batches = jax.numpy.asarray(train[: steps * batch].reshape(steps, batch, -1))
    key = jax.random.key(0)

    def epoch_seconds(with_logs, per_batch):
        update = functools.partial(jax_pcd_update, key=key, learning_rate=learning_rate,
                                   with_logs=with_logs)

        @jax.jit
        def one_step(parameters, step):
            parameters, error, gap = update(parameters, batches[step], step=step)
            return parameters, error + gap

        def add_step(step, carry):
            parameters, logs = one_step(carry[0], step)
            return parameters, carry[1] + logs

        whole_epoch = jax.jit(lambda parameters: jax.lax.fori_loop(
            0, steps, add_step, (parameters, keras.ops.zeros(()))))

        def epoch():
            parameters = jax_initial_parameters(train.shape[1], hidden, batch)
            if not per_batch:
                return whole_epoch(parameters)[1].block_until_ready()
            for step in range(steps):
                parameters, logs = one_step(parameters, step)
            return logs.block_until_ready()

        return median_seconds(epoch)

    return {
        "minimal step": epoch_seconds(with_logs=False, per_batch=False),
        "with the two logs": epoch_seconds(with_logs=True, per_batch=False),
        "with the logs, one compiled call per batch": epoch_seconds(with_logs=True,
                                                                      per_batch=True),
        "in `fit`": hand_written_fit_seconds(JaxHandWrittenPCD, train, batch, hidden,
                                             learning_rate, input_kind, steps_per_execution),
    }


FLOORS = {"tensorflow": tensorflow_floors, "jax": jax_floors}


def fit_input(train, batch, kind):
    """`fit`'s data arguments for `train` in batches of `batch`: the NumPy arrays
    themselves (Keras' array pipeline, reshuffled every epoch) or, for `"tf.data"`, the
    shuffled `tf.data.Dataset` the README recommends for small batches."""
    if kind == "arrays":
        return {"x": train, "batch_size": batch}
    return {"x": tf.data.Dataset.from_tensor_slices(train).shuffle(len(train)).batch(batch)}


def keras_loop_seconds(train, batch, hidden, input_kind):
    """Median seconds per epoch of `fit` with an empty step (`EmptyStep`): Keras' loop and
    input pipeline from the same data, nothing of the RBM."""
    model = EmptyStep(hidden, persistent=True, num_persistent_chains=batch, seed=0)
    model.compile(optimizer=keras.optimizers.SGD(0.05))
    return fit_epoch_seconds(model, fit_input(train, batch, input_kind))


def fit_epoch_seconds(model, data, epochs=3):
    """Median seconds of `epochs` epochs of `model.fit(**data)` after a warm-up epoch."""
    timer = EpochTimes()
    model.fit(**data, epochs=epochs + 1, verbose=0, callbacks=[timer])
    return float(np.median(timer.seconds[1:]))


def update_products(batch, visible, hidden):
    """The matrix products (m, k, n) of a PCD-1 update with `batch` chains, scikit-learn's
    five: the data's hidden units, the chains' visible and hidden units, and both outer
    products of the gradient (as one product). Our step runs one more, the data's
    reconstruction for its log, which the limit does not count."""
    return [(batch, visible, hidden), (batch, hidden, visible), (batch, visible, hidden),
            (visible, 2 * batch, hidden)]


def run_setting(train, test, batch, hidden, args):
    learning_rate = LEARNING_RATES.get(batch, 0.05)
    reference = BernoulliRBM(n_components=hidden, learning_rate=learning_rate, batch_size=batch,
                             n_iter=1, random_state=0)
    ours = RBM(hidden, persistent=True, num_persistent_chains=batch, seed=0)
    compile_options = {"jit_compile": args.jit_compile}
    if args.steps_per_execution:
        compile_options["steps_per_execution"] = args.steps_per_execution
    ours.compile(optimizer=keras.optimizers.SGD(learning_rate), **compile_options)
    ours_times = EpochTimes()
    sklearn_times = SklearnEpochs(reference, train, args.blas_threads)
    ours.fit(**fit_input(train, batch, args.input), epochs=args.pairs + 1, verbose=0,
             callbacks=[ours_times, sklearn_times])
    ours_seconds = np.array(ours_times.seconds[1:])
    sklearn_seconds = np.array(sklearn_times.seconds[1:])
    ratios = sklearn_seconds / ours_seconds

    steps = int(np.ceil(len(train) / batch))
    limit = steps * sum(product_seconds(*shape, repeats=max(20, 2000 // batch))
                        for shape in update_products(batch, train.shape[1], hidden))
    floors = FLOORS[keras.backend.backend()](train, batch, hidden, learning_rate, args.input,
                                             ours.steps_per_execution)
    keras_loop = keras_loop_seconds(train, batch, hidden, args.input)
    evaluator = RBM(hidden)
    evaluator.build((None, train.shape[1]))
    load_weights(evaluator, reference.components_.T, reference.intercept_visible_,
                 reference.intercept_hidden_)
    sklearn_median = np.median(sklearn_seconds)
    print(f"batch {batch:3d}, lr {learning_rate}, {hidden:3d} hidden, steps_per_execution "
          f"{ours.steps_per_execution}: "
          f"keras_dl {np.median(ours_seconds):.3f} s/epoch "
          f"({ours_seconds.min():.3f}-{ours_seconds.max():.3f}), "
          f"scikit-learn {sklearn_median:.3f} "
          f"({sklearn_seconds.min():.3f}-{sklearn_seconds.max():.3f}); "
          f"ratio median {np.median(ratios):.2f}x (range {ratios.min():.2f}-{ratios.max():.2f}); "
          f"PLL keras_dl {ours.pseudo_log_likelihood(test):.2f}, "
          f"scikit-learn {evaluator.pseudo_log_likelihood(test):.2f}; "
          f"GEMM-bound limit {limit:.3f} s/epoch, ours at "
          f"{100 * limit / np.median(ours_seconds):.0f}% of it")
    hand_written_in_fit = floors.pop("in `fit`")
    for name, seconds in floors.items():
        print(f"    {name}: {seconds:.3f} s/epoch ({100 * limit / seconds:.0f}% of the limit, "
              f"{sklearn_median / seconds:.2f}x scikit-learn)")
    loop_and_step = keras_loop + floors["with the two logs"]
    print(f"    Keras' loop alone (empty step, same {args.input}): {keras_loop:.3f} s/epoch; "
          f"loop + step with logs: {loop_and_step:.3f} s/epoch, "
          f"{sklearn_median / loop_and_step:.2f}x scikit-learn")
    print(f"    the step with logs in `fit` (same {args.input}, same steps per call): "
          f"{hand_written_in_fit:.3f} s/epoch, "
          f"{sklearn_median / hand_written_in_fit:.2f}x scikit-learn; ours takes "
          f"{np.median(ours_seconds) / hand_written_in_fit:.2f}x its time")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--jit-compile", action="store_true")
    parser.add_argument("--steps-per-execution", type=int, default=None)
    parser.add_argument("--input", choices=["arrays", "tf.data"], default="arrays",
                        help="what our `fit` is fed (scikit-learn always gets the arrays)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="NumPy's BLAS threads in scikit-learn's epochs (default: its own)")
    args = parser.parse_args()
    # JAX runs steps compiled (XLA; uncompiled they run op by op); `--jit-compile` asks
    # TensorFlow for XLA too.
    args.jit_compile = args.jit_compile or keras.backend.backend() == "jax"

    source, (x_train, _), (x_test, _) = example_data.load_digit_images()
    train = (x_train.reshape(len(x_train), -1) >= 0.5).astype("float32")
    test = (x_test.reshape(len(x_test), -1) >= 0.5).astype("float32")
    blas = [(pool["internal_api"], pool.get("architecture"), pool["num_threads"])
            for pool in threadpool_info() if pool["user_api"] == "blas"]
    print(f"data: {source}, binarised: {train.shape[0]} train / {test.shape[0]} held out, "
          f"{train.shape[1]} pixels; {os.cpu_count()} CPU cores; NumPy BLAS (api, kernel, "
          f"threads): {blas}; scikit-learn {sklearn.__version__}, Keras {keras.__version__} "
          f"on {keras.backend.backend()}; "
          f"ours: jit_compile={args.jit_compile}, steps_per_execution="
          f"{args.steps_per_execution or 'RBM default'}, fed {args.input}; scikit-learn's BLAS "
          f"threads: {args.blas_threads or 'its own'}; {args.pairs} "
          "alternating epoch pairs")
    for batch in args.batch_sizes:
        for hidden in args.hidden:
            run_setting(train, test, batch, hidden, args)


if __name__ == "__main__":
    main()
