"""The loss trackers of the keras_dl models: one `keras.metrics.Mean` per logged name."""

import keras

from keras_dl.models.base.trainers import variable_scope
from keras_dl.utils import keras_compat


class LossTrackers:
    """One `keras.metrics.Mean` per logged name, created on first use.

    Created lazily (in the model's distribution strategy scope on TensorFlow,
    as Keras creates its compiled metrics) so that `tracker_names` may depend on
    constructor arguments, and kept outside Keras' state tracking so that they
    may be created after the model is built. Each tracker improves downwards
    unless the model names it in `undirected_logs`; `all()` gives them as one
    metrics list, where Keras' monitoring callbacks read those directions.
    """

    def __init__(self, model):
        self.model = model
        self.by_name = None
        self.metrics_list = None

    def all(self):
        """The trackers as one metric whose result is `{name: mean}`."""
        if self.by_name is None:
            with variable_scope(self.model):
                self.by_name = {name: self._tracker(name) for name in self.model.tracker_names}
                self.metrics_list = keras_compat.monitorable_metrics_list(
                    list(self.by_name.values()))
        return self.metrics_list

    def _tracker(self, name):
        tracker = keras.metrics.Mean(name=name)
        if name not in self.model.undirected_logs:
            keras_compat.declare_direction(tracker, "down")
        return tracker

    def update(self, batch_size, values):
        self.all()
        for name, value in values.items():
            self.by_name[name].update_state(value, sample_weight=batch_size)

    def results(self, names):
        """`{name: mean so far}` for `names`."""
        self.all()
        return {name: self.by_name[name].result() for name in names}
