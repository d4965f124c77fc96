"""A wide keras_dl model split over several devices on JAX: `keras.distribution.ModelParallel`.

The autoencoder's two wide hidden layers hold most of its weights. A `LayoutMap` splits
them over the device mesh's "model" axis the way Megatron-LM splits a transformer's MLP
(Shoeybi et al. 2019, section 3): the layer into the wide space by columns (each device
holds a slice of the wide units), the layer out of it by rows, so each device computes its
slice of the wide activations and one all-reduce sums the partial products. The other
variables are replicated. The same `compile`/`fit` runs; keras_dl's training step needs
nothing else.

The script trains on scikit-learn's bundled digits (no download, no TensorFlow), prints
each wide kernel's sharding and then trains the same model from the same weights on one
device and prints the largest weight difference: the split changes where the arithmetic
runs, not its result.

On a machine with one CPU it asks XLA for `--devices` virtual CPU devices (this must
happen before JAX starts); on GPUs it uses the first `--devices` of them.

Run: KERAS_BACKEND=jax python examples/model_parallel.py [--devices 2] [--width 2048]
     [--epochs 3]
"""

import argparse
import os

MODEL_AXIS = "model"
BATCH_AXIS = "batch"
FEATURES = 64  # 8x8 digits


def build(width, code=16):
    """An autoencoder 64 -> width -> code -> width -> 64 with named wide layers."""
    import keras

    import keras_dl

    encoder = keras.Sequential([
        keras.Input((FEATURES,)),
        keras.layers.Dense(width, activation="relu", name="wide_in"),
        keras.layers.Dense(code, name="code"),
    ], name="encoder")
    decoder = keras.Sequential([
        keras.Input((code,)),
        keras.layers.Dense(width, activation="relu", name="wide_out"),
        keras.layers.Dense(FEATURES, activation="sigmoid", name="reconstruction"),
    ], name="decoder")
    model = keras_dl.models.Autoencoder(encoder, decoder)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy")
    return model


def layout_map(devices):
    """Column splits into the wide layers, row splits out of them (the Megatron pattern)."""
    from keras import distribution

    mesh = distribution.DeviceMesh((1, len(devices)), (BATCH_AXIS, MODEL_AXIS), devices)
    layouts = distribution.LayoutMap(mesh)
    for wide in ("wide_in", "wide_out"):
        layouts[f".*{wide}/kernel"] = (None, MODEL_AXIS)
        layouts[f".*{wide}/bias"] = (MODEL_AXIS,)
    for after_wide in ("code", "reconstruction"):
        layouts[f".*{after_wide}/kernel"] = (MODEL_AXIS, None)
    return layouts


def digits():
    from sklearn.datasets import load_digits

    return (load_digits().data / 16.0).astype("float32")


def train(devices, width, epochs, batch_size=64):
    """Fits the split model and the same model on one device from the same weights.

    Returns:
        `(split_model, one_device_model, split_history)`.
    """
    import keras

    x = digits()
    keras.utils.set_random_seed(0)
    one_device = build(width)
    one_device.build_from_data(x)
    weights = one_device.get_weights()
    split = keras.distribution.ModelParallel(layout_map=layout_map(devices),
                                             batch_dim_name=BATCH_AXIS)
    with split.scope():
        model = build(width)
        model.build_from_data(x)
        model.set_weights(weights)
        history = model.fit(x, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=2)
    one_device.fit(x, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0)
    return model, one_device, history.history


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=2)
    parser.add_argument("--width", type=int, default=2048)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                               + f" --xla_force_host_platform_device_count={args.devices}")
    import keras
    import numpy as np

    if keras.backend.backend() != "jax":
        raise SystemExit("ModelParallel runs on JAX: KERAS_BACKEND=jax python "
                         "examples/model_parallel.py")
    devices = keras.distribution.list_devices()[: args.devices]
    model, one_device, _ = train(devices, args.width, args.epochs)
    for variable in model.trainable_weights:
        spec = variable.value.sharding.spec
        print(f"{variable.path:40s} {str(tuple(variable.shape)):14s} split {tuple(spec)}")
    difference = max(float(np.max(np.abs(a - b)))
                     for a, b in zip(model.get_weights(), one_device.get_weights()))
    print(f"{len(devices)} devices ({devices[0].split(':')[0]}): largest weight difference "
          f"from one device after {args.epochs} epochs: {difference:.2e}")


if __name__ == "__main__":
    main()
