"""Worker processes of the backend tests, each on the backend of its `KERAS_BACKEND`.

`save DIR KIND...`: trains each kind of `keras_dl.testing.platform_cases` one epoch
and writes `DIR/KIND.keras`, with the inputs it serves and its outputs on them
(`DIR/KIND.npz`).

`load DIR OUT KIND... [--same-step-from FIRST]`: loads each `DIR/KIND.keras` (safe
mode, no custom objects), checks its outputs (and a Bernoulli RBM's pseudo-likelihood
of the data) against `DIR/KIND.npz`, trains it one more epoch and writes the trained
model and its outputs to `OUT` as `save` does. With
`--same-step-from`, where `DIR` holds the models of `FIRST` trained one more epoch on
the other backend, each deterministic kind of `FIRST` is trained that epoch here too
and must end with the other backend's weights.

`data_parallel`: on JAX with two devices, fits the Autoencoder (every compile form), the
persistent RBM, the GAN and the DomainAdversarialModel under
`keras.distribution.DataParallel` and on one device from the same weights and seeds; the
final weights and logs must agree (JAX's draws do not depend on how an array is split).
"""

import os
import sys

import keras
import numpy as np

from keras_dl.testing.platform_cases import CASES, compile_case, serving_inputs

SAMPLES = 16


def fit(model, x, y, epochs=1, batch_size=8):
    return model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0,
                     shuffle=False).history


def pseudo_likelihood(model, x):
    """A Bernoulli RBM's pseudo-log-likelihood of `x` (`{}` for other models)."""
    if getattr(model, "visible", None) != "bernoulli":
        return {}
    return {"pseudo_log_likelihood": model.pseudo_log_likelihood(x)}


def write(model, kind, out):
    x, y = CASES[kind].data(SAMPLES)
    inputs = serving_inputs(kind, x, y)
    outputs = model.predict(inputs, batch_size=8, verbose=0)
    model.save(os.path.join(out, f"{kind}.keras"))
    flat_inputs = keras.tree.flatten(inputs)
    np.savez(os.path.join(out, f"{kind}.npz"), outputs=np.asarray(outputs),
             **pseudo_likelihood(model, x),
             **{f"input_{index}": value for index, value in enumerate(flat_inputs)})


def save(out, kinds):
    for kind in kinds:
        keras.utils.set_random_seed(0)
        x, y = CASES[kind].data(SAMPLES)
        model = compile_case(kind, CASES[kind].build())
        fit(model, x, y)
        write(model, kind, out)


def load(directory, out, kinds):
    for kind in kinds:
        model = keras.saving.load_model(os.path.join(directory, f"{kind}.keras"),
                                        safe_mode=True)
        saved = np.load(os.path.join(directory, f"{kind}.npz"))
        count = sum(name.startswith("input_") for name in saved.files)
        inputs = [saved[f"input_{index}"] for index in range(count)]
        outputs = model.predict(inputs if len(inputs) > 1 else inputs[0], batch_size=8,
                                verbose=0)
        np.testing.assert_allclose(outputs, saved["outputs"], atol=1e-5,
                                   err_msg=f"{kind} saved on another backend")
        x, y = CASES[kind].data(SAMPLES)
        for name, value in pseudo_likelihood(model, x).items():
            np.testing.assert_allclose(value, saved[name], rtol=1e-5, err_msg=f"{kind} {name}")
        logs = fit(model, x, y)
        assert all(np.all(np.isfinite(value)) for value in logs.values()), (kind, logs)
        write(model, kind, out)


def same_step(first, directory, kinds):
    for kind in kinds:
        if not CASES[kind].deterministic:
            continue
        model = keras.saving.load_model(os.path.join(first, f"{kind}.keras"), safe_mode=True)
        fit(model, *CASES[kind].data(SAMPLES))
        other = keras.saving.load_model(os.path.join(directory, f"{kind}.keras"),
                                        safe_mode=True)
        # PCA: float32 singular vectors of two SVD implementations (Eigen, LAPACK).
        atol = 1e-4 if kind == "PCA" else 2e-5
        for want, got in zip(other.get_weights(), model.get_weights()):
            np.testing.assert_allclose(got, want, atol=atol,
                                       err_msg=f"{kind}: one epoch here and on the other backend")


DATA_PARALLEL_KINDS = ("Autoencoder", "RBM-persistent", "GAN", "DomainAdversarialModel")


def fit_from(weights, kind, form, x, y):
    """A fresh model of `kind` compiled in `form`, given `weights` (the first model's
    when None) and the global seed 0, fitted two epochs: `(model, weights, logs)`."""
    keras.utils.set_random_seed(0)
    model = compile_case(kind, CASES[kind].build(), form)
    model.build_from_data(x)
    if weights is None:
        weights = model.get_weights()
    model.set_weights(weights)
    return model, weights, fit(model, x, y, epochs=2, batch_size=16)


def data_parallel():
    devices = keras.distribution.list_devices()
    assert len(devices) == 2, devices
    for kind in DATA_PARALLEL_KINDS:
        case = CASES[kind]
        x, y = case.data(32)
        forms = case.compile_forms if kind == "Autoencoder" else list(case.compile_forms)[:1]
        for form in forms:
            single, weights, single_logs = fit_from(None, kind, form, x, y)
            with keras.distribution.DataParallel(devices=devices).scope():
                parallel, _, parallel_logs = fit_from(weights, kind, form, x, y)
                sharding = parallel.trainable_weights[0].value.sharding
            assert len(sharding.device_set) == 2, (kind, sharding)
            for want, got in zip(single.get_weights(), parallel.get_weights()):
                np.testing.assert_allclose(got, want, atol=1e-6, err_msg=f"{kind} {form}")
            assert set(parallel_logs) == set(single_logs), (kind, form)
            for name in single_logs:
                np.testing.assert_allclose(parallel_logs[name], single_logs[name], rtol=1e-5,
                                           atol=1e-6, err_msg=f"{kind} {form} {name}")


def main():
    keras.config.disable_traceback_filtering()
    command, *arguments = sys.argv[1:]
    first = None
    if "--same-step-from" in arguments:
        index = arguments.index("--same-step-from")
        first = arguments[index + 1]
        del arguments[index:index + 2]
    if command == "save":
        save(arguments[0], arguments[1:])
    elif command == "load":
        load(arguments[0], arguments[1], arguments[2:])
        if first:
            same_step(first, arguments[0], arguments[2:])
    elif command == "data_parallel":
        data_parallel()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print("done", command, keras.backend.backend())


if __name__ == "__main__":
    main()
