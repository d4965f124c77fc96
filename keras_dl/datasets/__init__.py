"""Dataset helpers: tfds and bundled data, IDX files, synthetic sequences, domain shifts
and pairs."""

from keras_dl.datasets.domain_adaptation import domain_adaptation
from keras_dl.datasets.growth_sequences import growth_sequences
from keras_dl.datasets.load import load
from keras_dl.datasets.load_idx import load_idx
from keras_dl.datasets.rotated_moons import rotated_moons

__all__ = ["domain_adaptation", "growth_sequences", "load", "load_idx", "rotated_moons"]
