"""What CDAN's domain classifier sees (Long et al., "Conditional Adversarial Domain
Adaptation", NeurIPS 2018; reference code thuml/CDAN): the multilinear map of features
and class probabilities, its randomized approximation, and CDAN+E's entropy weights."""

import math

from keras import ops


def multilinear_map(features, probabilities):
    """CDAN's multilinear map: the outer product `g f^T` of each sample, flattened.

    Args:
        features: `(batch, d_f)` tensor.
        probabilities: `(batch, d_g)` tensor of class probabilities.

    Returns:
        A `(batch, d_g * d_f)` tensor; entry `i * d_f + j` is `g_i f_j` (the
        class-major order of the reference code).
    """
    outer = probabilities[:, :, None] * features[:, None, :]
    return ops.reshape(outer, (-1, probabilities.shape[-1] * features.shape[-1]))


def randomized_multilinear_map(features, probabilities, features_matrix, probabilities_matrix):
    """CDAN's randomized multilinear map `(R_f f) * (R_g g) / sqrt(d)`.

    Args:
        features: `(batch, d_f)` tensor.
        probabilities: `(batch, d_g)` tensor.
        features_matrix: `(d_f, d)` fixed random matrix.
        probabilities_matrix: `(d_g, d)` fixed random matrix.

    Returns:
        A `(batch, d)` tensor whose inner products approximate those of
        `multilinear_map` in expectation.
    """
    width = features_matrix.shape[-1]
    projected = ops.matmul(features, features_matrix) / math.sqrt(width)
    return projected * ops.matmul(probabilities, probabilities_matrix)


def entropy_weights(entropy, domain_labels):
    """CDAN+E's sample weights: `1 + exp(-H)`, normalised within each domain.

    Source weights sum to 1 over the source samples and target weights to 1
    over the target samples; all are then divided by their total (2), so
    that the weighted mean gives both domains the same weight. The sums are
    constants for differentiation, as in the reference code.

    Args:
        entropy: `(batch,)` entropies of the class probabilities.
        domain_labels: `(batch,)` 0 for source samples, 1 for target samples.

    Returns:
        `(batch,)` weights summing to 1.
    """
    weights = 1.0 + ops.exp(-entropy)
    source, target = 1.0 - domain_labels, domain_labels
    normalised = (weights * source / ops.stop_gradient(ops.sum(weights * source))
                  + weights * target / ops.stop_gradient(ops.sum(weights * target)))
    return normalised / ops.stop_gradient(ops.sum(normalised))
