"""The export decorator that makes a class part of the public API.

Every public keras_dl class is decorated with `keras_dl_export("keras_dl.<module>.<Name>")`.
The decorator registers the class (if it has a config: layers, models,
metrics; not callbacks) for Keras serialization under the package `keras_dl`
(so `.keras` files load with `safe_mode=True` and no `custom_objects`) and
records the public path, so that the test suite can check that every
exported symbol is importable where the API contract says it is.
"""

import keras

PACKAGE = "keras_dl"

# Maps each public path ("keras_dl.layers.Mlpconv") to the exported object.
EXPORTED_SYMBOLS = {}


def keras_dl_export(path):
    """Returns a decorator that exports a class or function at `path`.

    Args:
        path: the public dotted path, `"keras_dl.<module>.<Name>"`, whose last
            component must be the symbol's own name.

    Returns:
        A decorator that registers classes for serialization and returns the
        symbol unchanged.
    """
    if not isinstance(path, str) or not path.startswith(PACKAGE + "."):
        raise ValueError(
            f"`path` must be a dotted path starting with '{PACKAGE}.', received: {path!r}"
        )

    def decorator(symbol):
        public_name = path.rsplit(".", 1)[-1]
        if symbol.__name__ != public_name:
            raise ValueError(
                f"`path` must end with the symbol's name {symbol.__name__!r}, received: {path!r}"
            )
        if isinstance(symbol, type) and hasattr(symbol, "get_config"):
            symbol = keras.saving.register_keras_serializable(package=PACKAGE)(symbol)
        EXPORTED_SYMBOLS[path] = symbol
        return symbol

    return decorator
