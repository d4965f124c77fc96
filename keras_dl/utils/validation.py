"""Argument checks with messages that name the argument, the expectation and the value.

Nothing here coerces silently: a value of the wrong type raises `TypeError`, a
value of the right type but out of range raises `ValueError`.
"""

import math
import numbers

import numpy as np


def _is_integer(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def positive_int(name, value):
    """Returns `value` as an `int` after checking that it is an integer >= 1."""
    if not _is_integer(value):
        raise TypeError(f"`{name}` must be a positive integer, received: {value!r}")
    if value < 1:
        raise ValueError(f"`{name}` must be a positive integer, received: {value!r}")
    return int(value)


def non_negative_int(name, value):
    """Returns `value` as an `int` after checking that it is an integer >= 0."""
    if not _is_integer(value):
        raise TypeError(f"`{name}` must be a non-negative integer, received: {value!r}")
    if value < 0:
        raise ValueError(f"`{name}` must be a non-negative integer, received: {value!r}")
    return int(value)


def positive_int_pair(name, value):
    """Returns a 2-tuple of positive ints from an int or a pair of ints."""
    if _is_integer(value):
        value = (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(
            f"`{name}` must be a positive integer or a pair of positive integers, "
            f"received: {value!r}"
        )
    return tuple(positive_int(name, v) for v in value)


def positive_int_sequence(name, value):
    """Returns a non-empty tuple of positive ints from a list or tuple."""
    if not isinstance(value, (tuple, list)):
        raise TypeError(
            f"`{name}` must be a non-empty list of positive integers, received: {value!r}"
        )
    if len(value) == 0:
        raise ValueError(
            f"`{name}` must be a non-empty list of positive integers, received: {value!r}"
        )
    return tuple(positive_int(name, v) for v in value)


def one_of(name, value, options):
    """Returns `value` after checking that it is one of `options`."""
    if value not in options:
        raise ValueError(f"`{name}` must be one of {list(options)}, received: {value!r}")
    return value


def boolean(name, value):
    """Returns `value` after checking that it is a bool."""
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be True or False, received: {value!r}")
    return value


def rate(name, value):
    """Returns `value` as a float after checking that it is in [0, 1)."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a float in [0, 1), received: {value!r}")
    if not 0.0 <= value < 1.0:
        raise ValueError(f"`{name}` must be a float in [0, 1), received: {value!r}")
    return float(value)


def proportion(name, value):
    """Returns `value` as a float after checking that it is in (0, 1)."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a float in (0, 1), received: {value!r}")
    if not 0.0 < value < 1.0:
        raise ValueError(f"`{name}` must be a float in (0, 1), received: {value!r}")
    return float(value)


def real(name, value):
    """Returns `value` as a float after checking that it is a finite number."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a number, received: {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number, received: {value!r}")
    return float(value)


def non_negative_float(name, value):
    """Returns `value` as a float after checking that it is finite and >= 0."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a non-negative number, received: {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"`{name}` must be a non-negative number, received: {value!r}")
    return float(value)


def positive_float(name, value):
    """Returns `value` as a float after checking that it is finite and > 0."""
    if not _is_real(value):
        raise TypeError(f"`{name}` must be a positive number, received: {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"`{name}` must be a positive number, received: {value!r}")
    return float(value)


def keras_model(name, value, layers_allowed=False):
    """Returns `value` after checking that it is a `keras.Model` (or any Keras layer)."""
    import keras

    expected = keras.layers.Layer if layers_allowed else keras.Model
    if not isinstance(value, expected):
        kind = "a keras.Model or layer" if layers_allowed else "a keras.Model"
        raise TypeError(f"`{name}` must be {kind}, received: {type(value).__name__}")
    return value


def probabilities_data(owner, takes, x, alternative):
    """Refuses data outside [0, 1] where a probability loss, likelihood or unit takes
    probabilities, with advice: scale it, or use `alternative`.

    Args:
        owner: the name in the message (`"Autoencoder"`, ...).
        takes: what takes values in [0, 1], with its verb
            (`"the binary cross-entropy loss takes"`).
        x: the data, array-like.
        alternative: the choice for real-valued data (`"loss='mse'"`).
    """
    x = np.asarray(x)
    if x.size and x.dtype.kind in "biuf" and (x.min() < 0 or x.max() > 1):
        raise ValueError(
            f"{owner}: {takes} values in [0, 1], but `x` holds values in "
            f"[{x.min()}, {x.max()}]; scale the data (e.g. uint8 pixels / 255) or use "
            f"{alternative}"
        )
