"""Domain-adversarial training with gradient reversal."""

import keras
from keras import ops

from keras_dl.layers import GradientReversal
from keras_dl.models.base_model import BaseModel
from keras_dl.models.batch_utils import tensor_specs
from keras_dl.utils import keras_compat
from keras_dl.utils.api_export import keras_dl_export


@keras_dl_export("keras_dl.models.DomainAdversarialModel")
class DomainAdversarialModel(BaseModel):
    """Domain-adversarial neural network (DANN).

    A feature extractor feeds a label classifier, trained on labelled source
    data, and, through a `GradientReversal` layer, a domain classifier that
    tells source features from target features. Both classifiers minimise
    their losses; the reversal makes the feature extractor *maximise* the
    domain loss (scaled by the reversal weight `lambda_`), which drives the
    source and target features together, so the label classifier carries
    over to the target domain.

    `fit` takes batches `((x_source, x_target), y_source)`
    (`keras_dl.datasets.domain_adaptation` makes them) and `compile(optimizer,
    loss, metrics)` as for a classifier; the loss and metrics apply to the
    source labels. Logs `loss` (the label loss), `domain_loss`,
    `domain_accuracy` and the compiled metrics. `evaluate(x, y)` on a plain
    labelled set reports the label loss and metrics. `call(x)` (endpoint
    `serve`) predicts labels; `features(x)` (endpoint `features`) gives the
    features. `keras_dl.callbacks.GradientReversalScheduler` raises the
    reversal weight during training as in the paper.

    Reference: Ganin et al., "Domain-Adversarial Training of Neural
    Networks", JMLR 17, 2016; Shinohara, "Adversarial Multi-task Learning of
    Deep Neural Networks for Robust Speech Recognition", Interspeech 2016.

    Args:
        feature_extractor: a `keras.Model` from inputs to features.
        label_classifier: a `keras.Model` from features to label predictions.
        domain_classifier: a `keras.Model` from features to one domain logit
            (no sigmoid; > 0 means target).
        lambda_: the initial reversal weight, >= 0.
        **kwargs: `keras.Model` arguments.
    """

    tracker_names = ("loss", "domain_loss", "domain_accuracy")
    serialized_networks = ("feature_extractor", "label_classifier", "domain_classifier")

    def __init__(self, feature_extractor, label_classifier, domain_classifier, lambda_=1.0, **kwargs):
        super().__init__(**kwargs)
        for argument, network in (
            ("feature_extractor", feature_extractor),
            ("label_classifier", label_classifier),
            ("domain_classifier", domain_classifier),
        ):
            if not isinstance(network, keras.Model):
                raise TypeError(f"`{argument}` must be a keras.Model, received: {type(network).__name__}")
        self.feature_extractor = feature_extractor
        self.label_classifier = label_classifier
        self.domain_classifier = domain_classifier
        self.gradient_reversal = GradientReversal(lambda_, name="gradient_reversal")
        self.gradient_reversal.build(feature_extractor.output_shape)
        domain_shape = domain_classifier.compute_output_shape(feature_extractor.output_shape)
        if tuple(domain_shape[1:]) != (1,):
            raise ValueError(f"`domain_classifier` must output one logit per sample, its output shape is {domain_shape}")
        self.built = True

    @property
    def lambda_(self):
        return float(self.gradient_reversal.lambda_weight.numpy())

    def features(self, inputs, training=False):
        return self.feature_extractor(inputs, training=training)

    def call(self, inputs, training=False):
        return self.label_classifier(self.features(inputs, training=training), training=training)

    def compute_objective(self, data, training):
        inputs, labels = data[0], data[1]
        if not isinstance(inputs, (tuple, list)):
            # A plain labelled set (evaluation on the target domain, say).
            predictions = self(inputs, training=training)
            loss = self._label_loss(inputs, labels, predictions, training)
            return loss, {"loss": loss}, (labels, predictions)
        source, target = inputs
        source_features = self.features(source, training=training)
        target_features = self.features(target, training=training)
        predictions = self.label_classifier(source_features, training=training)
        label_loss = self._label_loss(source, labels, predictions, training)
        features = ops.concatenate([source_features, target_features], axis=0)
        domain_logits = ops.cast(self.domain_classifier(self.gradient_reversal(features), training=training), "float32")
        domain_labels = ops.concatenate(
            [ops.zeros((ops.shape(source_features)[0], 1)), ops.ones((ops.shape(target_features)[0], 1))], axis=0
        )
        domain_loss = ops.mean(
            ops.softplus(domain_logits) - domain_labels * domain_logits  # sigmoid cross-entropy
        )
        domain_accuracy = ops.mean(ops.cast(ops.cast(domain_logits > 0, "float32") == domain_labels, "float32"))
        logs = {"loss": label_loss, "domain_loss": domain_loss, "domain_accuracy": domain_accuracy}
        return label_loss + domain_loss, logs, (labels, predictions)

    def _label_loss(self, inputs, labels, predictions, training):
        return keras_compat.unscaled_compiled_loss(self, inputs, labels, predictions, training=training)

    def test_step(self, data):
        logs = super().test_step(data)
        if not isinstance(data[0], (tuple, list)):
            logs = {name: value for name, value in logs.items() if not name.startswith("domain_")}
        return logs

    def get_config(self):
        config = super().get_config()
        config["lambda_"] = self.gradient_reversal.lambda_
        return config

    def serving_signature(self):
        return tensor_specs(self.feature_extractor.input_shape)

    def export_endpoints(self):
        return {"features": (lambda x: self.features(x), [self.serving_signature()])}
