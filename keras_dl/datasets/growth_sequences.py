"""Synthetic image sequences whose class shows only in how an object grows."""

import numpy as np

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.datasets.growth_sequences")
def growth_sequences(num_sequences, timesteps=8, image_size=32, num_genotypes=3, seed=None):
    """Generates image sequences of growing "plants" whose genotype shows only over time.

    A stand-in for the plant-phenotyping setting of Taghavi Namin et al. (2018),
    where Arabidopsis accessions are told apart by their growth dynamics across
    daily top-view images. Each sequence shows a bright disc (the rosette)
    whose radius follows a trend shared by every genotype plus a rhythmic
    movement whose frequency is the genotype:

        radius_t = r0 + g * t / (T - 1) + a * sin(2 pi (k + 1) t / T + phase)

    for genotype `k`, with `phase` uniform on [0, 2 pi) per sequence (and a
    random position and pixel noise). Because the phase is uniform, the radius
    at any frame `t` has the same distribution for every genotype, so no
    classifier of single frames can beat chance except by finite-sample luck;
    the genotype is only in the frequency of the radius over the sequence.

    Reference: Taghavi Namin, Esmaeilzadeh, Najafi, Brown & Borevitz, "Deep
    phenotyping: deep learning for temporal phenotype/genotype classification",
    Plant Methods 14, 2018.

    Args:
        num_sequences: positive int, how many sequences.
        timesteps: int >= 4, frames per sequence `T`.
        image_size: int >= 8, the side of the square frames.
        num_genotypes: int >= 2, the number of classes; at most `timesteps // 2`
            (faster rhythms would alias into slower ones).
        seed: optional int for reproducible data.

    Returns:
        `(x, y)`: float32 frames of shape
        `(num_sequences, timesteps, image_size, image_size, 1)` in [0, 1] and
        int64 genotype labels of shape `(num_sequences,)`.

    Example:

    >>> x, y = growth_sequences(4, timesteps=6, image_size=16, seed=0)
    >>> x.shape, y.shape
    ((4, 6, 16, 16, 1), (4,))
    """
    num_sequences = validation.positive_int("num_sequences", num_sequences)
    timesteps = validation.positive_int("timesteps", timesteps)
    image_size = validation.positive_int("image_size", image_size)
    num_genotypes = validation.positive_int("num_genotypes", num_genotypes)
    if timesteps < 4:
        raise ValueError(f"`timesteps` must be at least 4, received: {timesteps}")
    if image_size < 8:
        raise ValueError(f"`image_size` must be at least 8, received: {image_size}")
    if not 2 <= num_genotypes <= timesteps // 2:
        raise ValueError(
            f"`num_genotypes` must be between 2 and timesteps // 2 = {timesteps // 2}, "
            f"received: {num_genotypes}"
        )
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, num_genotypes, size=num_sequences)
    radii = _radii(labels, timesteps, image_size, rng)
    max_offset = 0.08 * image_size
    centres = image_size / 2 + rng.uniform(-max_offset, max_offset, size=(num_sequences, 1, 2))
    frames = _discs(radii, centres, image_size)
    frames += rng.normal(0.0, 0.05, size=frames.shape)
    frames = np.clip(frames, 0.0, 1.0).astype("float32")[..., None]
    return frames, labels.astype("int64")


def _radii(labels, timesteps, image_size, rng):
    """radius_t = r0 + g t / (T - 1) + a sin(2 pi (k + 1) t / T + phase)."""
    base, growth, amplitude = 0.16 * image_size, 0.12 * image_size, 0.06 * image_size
    t = np.arange(timesteps)[None, :]
    phase = rng.uniform(0.0, 2 * np.pi, size=(len(labels), 1))
    cycles = (labels + 1)[:, None]
    rhythm = np.sin(2 * np.pi * cycles * t / timesteps + phase)
    return base + growth * t / (timesteps - 1) + amplitude * rhythm


def _discs(radii, centres, image_size):
    """Soft-edged discs: one image per (sequence, frame) radius."""
    coordinates = np.arange(image_size) + 0.5
    rows = coordinates[None, None, :, None] - centres[..., 0, None, None]
    columns = coordinates[None, None, None, :] - centres[..., 1, None, None]
    distance = np.sqrt(rows**2 + columns**2)
    return 1.0 / (1.0 + np.exp((distance - radii[..., None, None]) * 2.0))
