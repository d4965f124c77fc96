"""Internal helpers shared by the keras_dl subpackages."""
