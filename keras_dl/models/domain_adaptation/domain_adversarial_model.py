"""Domain-adversarial training with gradient reversal: DANN, CDAN and CDAN+E."""

import keras
import numpy as np
from keras import ops

from keras_dl.layers import GradientReversal
from keras_dl.models.base import replicas
from keras_dl.models.base.base_model import BaseModel
from keras_dl.models.base.batch_utils import tensor_specs
from keras_dl.models.base.endpoints import Endpoint
from keras_dl.models.base.heads import final_activation, head_logits
from keras_dl.models.domain_adaptation.conditioning import (
    entropy_weights,
    multilinear_map,
    randomized_multilinear_map,
)
from keras_dl.utils import validation
from keras_dl.utils.api_export import keras_dl_export

CONDITIONINGS = (None, "multilinear", "randomized")
# The entropy's epsilon of the CDAN reference code (thuml/CDAN, `loss.Entropy`).
ENTROPY_EPSILON = 1e-5


@keras_dl_export("keras_dl.models.DomainAdversarialModel")
class DomainAdversarialModel(BaseModel):
    """Domain-adversarial network: DANN, CDAN (multilinear or randomized) and CDAN+E.

    A feature extractor feeds a label classifier, trained on labelled source
    data, and, through a `GradientReversal` layer, a domain classifier that
    tells source from target samples. Both classifiers minimise their losses;
    the reversal makes the feature extractor *maximise* the domain loss
    (scaled by the reversal weight `lambda_`), which drives the source and
    target features together, so the label classifier carries over to the
    target domain.

    What the domain classifier sees depends on `conditioning`:

    - `None` (DANN): the features `f`.
    - `"multilinear"` (CDAN): the flattened outer product of `f` and the
      class probabilities `g`, width `d_f * d_g` (`multilinear_map`), so
      that it aligns the joint distribution of features and predictions.
    - `"randomized"` (CDAN, randomized multilinear map):
      `(R_f f) * (R_g g) / sqrt(d)` with fixed Gaussian matrices of width
      `d = randomized_dim`, for wide features. The matrices are
      non-trainable weights: drawn from the model's `seed` (reproducible),
      saved with the model.

    `g` is the label classifier's output when that ends in a softmax, the
    softmax of its output otherwise (logits). As in the reference code, `g`
    is a constant in the map (no gradient flows into the label classifier
    through it); the reversed gradient reaches the features only.

    `entropy_weighting=True` (CDAN+E) weights each sample's domain loss by
    `1 + exp(-H(g))`, `H` the entropy of its class probabilities, so that
    confident predictions count more; weights are normalised within each
    domain (`entropy_weights`). As in the reference code the entropy's own
    gradient passes through the gradient reversal too.

    The domain classifier may end in a logit (no activation) or in a sigmoid
    (ADAPT's convention): a final sigmoid is detected from its last layer's
    activation and the loss takes the logits the sigmoid was computed from,
    as Keras' binary cross-entropy does (`keras_dl.models.base.heads`).

    `fit` takes batches `((x_source, x_target), y_source)`
    (`keras_dl.datasets.domain_adaptation` makes them, balanced and
    reshuffled every epoch) and `compile(optimizer, loss, metrics)` as for a
    classifier; the loss and metrics apply to the source labels. Without
    `loss`, the label loss follows the label classifier's head: sparse
    categorical cross-entropy of integer labels (of probabilities after a
    softmax, of logits otherwise), binary cross-entropy for a one-unit head.
    Logs
    `loss` (the label loss), `domain_loss`, `domain_accuracy` and the
    compiled metrics. `evaluate(x, y)` on a plain labelled set reports the
    label loss and metrics. `call(x)` (endpoint `serve`) predicts labels;
    `features(x)` (endpoint `features`) gives the features.
    `keras_dl.callbacks.GradientReversalScheduler` raises the reversal
    weight during training as in the papers, and
    `keras_dl.optimizers.InverseDecay` anneals the learning rate.

    References:
        Ganin et al., "Domain-Adversarial Training of Neural Networks",
        JMLR 17, 2016. Long et al., "Conditional Adversarial Domain
        Adaptation", NeurIPS 2018 (reference code: github.com/thuml/CDAN).

    Args:
        feature_extractor: a `keras.Model` from inputs to features (flat
            `(batch, d_f)` features when `conditioning` is set).
        label_classifier: a `keras.Model` from features to class
            predictions: probabilities (ending in a softmax) or logits.
        domain_classifier: a `keras.Model` from what it sees (see above) to
            one value per sample: a logit (> 0 means target) or a sigmoid
            probability.
        lambda_: the initial reversal weight, >= 0.
        conditioning: None, `"multilinear"` or `"randomized"`.
        entropy_weighting: bool, CDAN+E's entropy weights.
        randomized_dim: positive int, the width of the randomized map
            (1024 as in the reference code); used only with
            `conditioning="randomized"`.
        **kwargs: `keras.Model` arguments, and `seed` (the seed of the
            random matrices).

    Example:

    >>> features = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="relu")])
    >>> labels = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
    >>> domains = keras.Sequential([keras.Input((24,)), keras.layers.Dense(1)])
    >>> model = DomainAdversarialModel(features, labels, domains, conditioning="multilinear")
    >>> model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    """

    tracker_names = ("loss", "domain_loss", "domain_accuracy")
    # The domain accuracy should reach chance, not a maximum or a minimum.
    undirected_logs = ("domain_accuracy",)
    serialized_networks = ("feature_extractor", "label_classifier", "domain_classifier")

    def __init__(self, feature_extractor, label_classifier, domain_classifier, lambda_=1.0,
                 conditioning=None, entropy_weighting=False, randomized_dim=1024, **kwargs):
        super().__init__(**kwargs)
        for argument, network in (
            ("feature_extractor", feature_extractor),
            ("label_classifier", label_classifier),
            ("domain_classifier", domain_classifier),
        ):
            validation.keras_model(argument, network)
        self.conditioning = validation.one_of("conditioning", conditioning, CONDITIONINGS)
        self.entropy_weighting = validation.boolean("entropy_weighting", entropy_weighting)
        self.randomized_dim = validation.positive_int("randomized_dim", randomized_dim)
        self.feature_extractor = feature_extractor
        self.label_classifier = label_classifier
        self.domain_classifier = domain_classifier
        classes = label_classifier.output_shape[-1]
        if (conditioning is not None or entropy_weighting) and not (classes and classes >= 2):
            raise ValueError(
                "CDAN and entropy weighting use class probabilities: `label_classifier` must "
                "output one value per class (at least 2, e.g. a softmax), its output shape is "
                f"{label_classifier.output_shape}"
            )
        self.label_probabilities = final_activation(label_classifier) == "softmax"
        self.domain_sigmoid = final_activation(domain_classifier) == "sigmoid"
        self.gradient_reversal = GradientReversal(lambda_, name="gradient_reversal")
        self.gradient_reversal.build(feature_extractor.output_shape)
        if conditioning == "randomized":
            self.random_features_matrix, self.random_probabilities_matrix = (
                self.add_weight(
                    name=name,
                    shape=(width, self.randomized_dim),
                    initializer=keras.initializers.RandomNormal(
                        stddev=1.0, seed=None if self.seed is None else self.seed + offset
                    ),
                    trainable=False,
                )
                for offset, (name, width) in enumerate((
                    ("random_features_matrix", feature_extractor.output_shape[-1]),
                    ("random_probabilities_matrix", label_classifier.output_shape[-1]),
                ))
            )
        self._check_label_classifier()
        self._check_domain_classifier()
        self.built = True

    def _domain_input_width(self):
        feature_shape = self.feature_extractor.output_shape
        if self.conditioning is None:
            return feature_shape
        if len(feature_shape) != 2:
            raise ValueError(
                f"`conditioning={self.conditioning!r}` needs flat features of shape (batch, d_f), "
                f"but `feature_extractor` outputs shape {feature_shape}"
            )
        if self.conditioning == "multilinear":
            return (None, feature_shape[-1] * self.label_classifier.output_shape[-1])
        return (None, self.randomized_dim)

    def _check_label_classifier(self):
        features = self.feature_extractor.output_shape
        declared = getattr(self.label_classifier, "input_shape", None)
        if isinstance(declared, tuple) and tuple(declared[1:]) != tuple(features[1:]):
            raise ValueError(
                f"`label_classifier` must take the features of `feature_extractor`, of shape "
                f"{features}, but its input shape is {declared}"
            )

    def check_data(self, x, y):
        """Refuses domains of different sample shapes, and one-hot labels for a sparse
        (integer-label) loss."""
        if isinstance(x, (tuple, list)) and len(x) == 2:
            source, target = (tuple(np.shape(part)[1:]) for part in x)
            if source != target:
                raise ValueError(
                    f"DomainAdversarialModel: the source samples have shape {source} and the "
                    f"target samples {target}; both domains must have the same sample shape"
                )
        if y is not None and _takes_integer_labels(self.loss) and np.ndim(y) == 2 and (
                np.shape(y)[-1] > 1):
            raise ValueError(
                f"DomainAdversarialModel: the labels look one-hot (shape {np.shape(y)}), but the "
                "loss takes integer class indices: pass np.argmax(labels, axis=-1), or compile "
                "with loss='categorical_crossentropy'"
            )

    def _check_domain_classifier(self):
        shape = self._domain_input_width()
        expected = (
            f"one value per sample given inputs of shape {shape} "
            f"(conditioning={self.conditioning!r})"
        )
        declared = getattr(self.domain_classifier, "input_shape", None)
        if isinstance(declared, tuple) and tuple(declared[1:]) != tuple(shape[1:]):
            raise ValueError(
                f"`domain_classifier` must take {expected}, but its input shape is {declared}"
            )
        try:
            output_shape = self.domain_classifier.compute_output_shape(shape)
        except Exception as error:
            raise ValueError(
                f"`domain_classifier` must output {expected}, but it fails on them: {error}"
            ) from error
        if tuple(output_shape[1:]) != (1,):
            raise ValueError(
                f"`domain_classifier` must output {expected}, its output shape is {output_shape}"
            )

    @property
    def lambda_(self):
        """The current reversal weight (the `GradientReversal` layer's `lambda` variable)."""
        return float(ops.convert_to_numpy(self.gradient_reversal.lambda_weight))

    @lambda_.setter
    def lambda_(self, value):
        self.gradient_reversal.lambda_weight.assign(validation.non_negative_float("lambda_", value))

    def features(self, inputs, training=False):
        return self.feature_extractor(inputs, training=training)

    def call(self, inputs, training=False):
        return self.label_classifier(self.features(inputs, training=training), training=training)

    def class_probabilities(self, outputs):
        """The label classifier's outputs as probabilities (float32)."""
        outputs = ops.cast(outputs, "float32")
        return outputs if self.label_probabilities else ops.softmax(outputs, axis=-1)

    def domain_inputs(self, features, probabilities):
        """What the domain classifier sees: the reversed features, conditioned on the
        class probabilities (taken as constants) for CDAN."""
        features = self.gradient_reversal(features)
        if self.conditioning is None:
            return features
        features = ops.cast(features, "float32")
        probabilities = ops.stop_gradient(probabilities)
        if self.conditioning == "multilinear":
            return multilinear_map(features, probabilities)
        return randomized_multilinear_map(
            features, probabilities, self.random_features_matrix, self.random_probabilities_matrix
        )

    def domain_logits(self, outputs):
        """The domain classifier's outputs as float32 logits (see `head_logits`)."""
        return head_logits(outputs, self.domain_sigmoid)

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        if loss is None:
            loss = self.default_label_loss()
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)

    def default_label_loss(self):
        """The label loss for `compile` without `loss`, from the label classifier's head."""
        activation = final_activation(self.label_classifier)
        if self.label_classifier.output_shape[-1] == 1:
            return keras.losses.BinaryCrossentropy(from_logits=activation != "sigmoid")
        return keras.losses.SparseCategoricalCrossentropy(from_logits=activation != "softmax")

    def training_step(self, data):
        inputs, labels, _ = keras.utils.unpack_x_y_sample_weight(data)
        if not isinstance(inputs, (tuple, list)) or len(inputs) != 2 or labels is None:
            raise ValueError(
                "DomainAdversarialModel.fit expects batches ((x_source, x_target), y_source): a "
                "source and a target input and the source labels (see "
                "keras_dl.datasets.domain_adaptation), received inputs of structure "
                f"{keras.tree.map_structure(lambda x: tuple(x.shape), inputs)} and labels {labels}"
            )
        return super().training_step(data)

    def compute_objective(self, data, training):
        inputs, labels = data[0], data[1]
        if isinstance(inputs, (tuple, list)):
            return self._adversarial_objective(*inputs, labels, training)
        return self._labelled_objective(inputs, labels, training)

    def _labelled_objective(self, inputs, labels, training):
        """The objective on a plain labelled set (evaluation on the target domain, say):
        the label loss, logged as `loss`, and the compiled metrics."""
        predictions = self(inputs, training=training)
        loss = self._label_loss(inputs, labels, predictions, training)
        return loss, {"loss": loss}, (labels, predictions)

    def _adversarial_objective(self, source, target, labels, training):
        """The label loss on the source plus the domain loss on both domains."""
        source_size = ops.shape(source)[0]
        features = self.features(ops.concatenate([source, target], axis=0), training=training)
        outputs = self.label_classifier(features, training=training)
        predictions = outputs[:source_size]
        label_loss = self._label_loss(source, labels, predictions, training)
        probabilities = self.class_probabilities(outputs)
        domain_logits = self.domain_logits(
            self.domain_classifier(self.domain_inputs(features, probabilities), training=training)
        )[:, 0]
        domain_labels = ops.cast(ops.arange(ops.shape(features)[0]) >= source_size, "float32")
        # Sigmoid cross-entropy of the logits.
        losses = ops.softplus(domain_logits) - domain_labels * domain_logits
        if self.entropy_weighting:
            entropy = -ops.sum(probabilities * ops.log(probabilities + ENTROPY_EPSILON), axis=-1)
            weights = entropy_weights(self.gradient_reversal(entropy), domain_labels)
            domain_loss = ops.sum(weights * losses)
        else:
            domain_loss = ops.mean(losses)
        domain_predictions = ops.cast(domain_logits > 0, "float32")
        domain_accuracy = ops.mean(ops.cast(domain_predictions == domain_labels, "float32"))
        logs = {"loss": label_loss, "domain_loss": domain_loss, "domain_accuracy": domain_accuracy}
        return label_loss + domain_loss, logs, (labels, predictions)

    def _label_loss(self, inputs, labels, predictions, training):
        return replicas.compiled_loss_as_replica_mean(self, inputs, labels, predictions,
                                                   training=training)

    def get_config(self):
        config = super().get_config()
        config.update({
            "lambda_": self.lambda_,
            "conditioning": self.conditioning,
            "entropy_weighting": self.entropy_weighting,
            "randomized_dim": self.randomized_dim,
        })
        return config

    serving_output_name = "predictions"

    def serving_signature(self):
        return tensor_specs(self.feature_extractor.input_shape, name=self.serving_input_name)

    def export_endpoints(self):
        return {"features": Endpoint(lambda x: self.features(x), "features",
                                     [[self.serving_signature()]])}


def _takes_integer_labels(loss):
    """Whether the compiled `loss` is a sparse categorical cross-entropy (integer labels)."""
    if isinstance(loss, str):
        return loss in ("sparse_categorical_crossentropy", "scce")
    return isinstance(loss, keras.losses.SparseCategoricalCrossentropy) or (
        loss is keras.losses.sparse_categorical_crossentropy)
