import importlib

import keras
import numpy as np

import keras_dl
from keras_dl.utils.api_export import EXPORTED_SYMBOLS


def test_package_exposes_version_and_modules():
    assert isinstance(keras_dl.__version__, str) and keras_dl.__version__
    for module in (
        "layers",
        "models",
        "applications",
        "callbacks",
        "losses",
        "metrics",
        "datasets",
    ):
        assert hasattr(keras_dl, module), module


def test_every_exported_symbol_is_importable_and_registered():
    assert len(EXPORTED_SYMBOLS) >= 12
    for path, symbol in EXPORTED_SYMBOLS.items():
        module_path, name = path.rsplit(".", 1)
        assert getattr(importlib.import_module(module_path), name) is symbol, path
        if isinstance(symbol, type) and hasattr(symbol, "get_config"):
            assert keras.saving.get_registered_object(f"keras_dl>{name}") is symbol, path


def test_layers_round_trip_through_a_keras_file_in_safe_mode(tmp_path):
    L = keras_dl.layers
    inputs = keras.Input((12, 12, 3))
    x = L.Mlpconv([8, 6], 3, use_batchnorm=True)(inputs)
    x = L.InceptionBlock(2, 2, 3, 2, 3, 2)(x)
    x = L.ResidualBlock(12, strides=2, shortcut="zero_pad", preactivation=True)(x)
    x = L.ResidualBlock(2, bottleneck=True)(x)
    x = L.DropBlock2D(0.1, 3)(x)
    branch = keras.layers.Conv2D(8, 1)(x)
    x = L.StochasticDepth(0.2)([x, branch])
    pooled, argmax = L.MaxPoolingWithArgmax2D()(x)
    x = L.MaxUnpooling2D()([pooled, argmax, x])
    x = L.GradientReversal(0.3)(x)
    model = keras.Model(inputs, keras.layers.GlobalAveragePooling2D()(x))
    data = np.random.default_rng(0).uniform(size=(4, 12, 12, 3)).astype("float32")
    path = str(tmp_path / "layers.keras")
    model.save(path)
    restored = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(
        restored.predict(data, verbose=0), model.predict(data, verbose=0), atol=1e-6
    )
    assert [type(layer).__name__ for layer in restored.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
