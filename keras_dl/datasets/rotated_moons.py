"""The two-moons domain shift of the domain-adaptation literature."""

import numpy as np

from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

CENTRE = np.array([0.5, 0.25])  # the centre of scikit-learn's two moons


@keras_dl_export("keras_dl.datasets.rotated_moons")
def rotated_moons(num_samples, angle=35.0, noise=0.1, seed=0):
    """Two interleaving half-moons as the source domain, rotated ones as the target.

    The toy problem of Ganin et al. (JMLR 2016, section 5.1, figure 2, there
    rotated by 30 degrees): a classifier trained on the source moons only
    misclassifies the rotated target moons near the tips, and
    domain-adversarial training can recover them. Source and target are drawn
    independently (`make_moons` with seeds `seed` and `seed + 1`), the target
    then rotated by `angle` degrees about the moons' centre (0.5, 0.25).

    Args:
        num_samples: positive int, samples per domain.
        angle: number, the rotation of the target, in degrees.
        noise: the standard deviation of scikit-learn's moon noise, >= 0.
        seed: non-negative int, the seed of the source (the target uses
            `seed + 1`).

    Returns:
        `((x_source, y_source), (x_target, y_target))`: float32 points of
        shape `(num_samples, 2)` and int64 labels.

    Example:

    >>> (x_source, y_source), (x_target, y_target) = rotated_moons(100)
    >>> x_source.shape, x_target.shape
    ((100, 2), (100, 2))
    """
    from sklearn.datasets import make_moons

    num_samples = validation.positive_int("num_samples", num_samples)
    noise = validation.non_negative_float("noise", noise)
    angle = validation.real("angle", angle)
    seed = validation.non_negative_int("seed", seed)
    x_source, y_source = make_moons(num_samples, noise=noise, random_state=seed)
    x_target, y_target = make_moons(num_samples, noise=noise, random_state=seed + 1)
    radians = np.deg2rad(angle)
    rotation = np.array([[np.cos(radians), -np.sin(radians)], [np.sin(radians), np.cos(radians)]])
    x_target = (x_target - CENTRE) @ rotation.T + CENTRE
    return (
        (x_source.astype("float32"), y_source.astype("int64")),
        (x_target.astype("float32"), y_target.astype("int64")),
    )
