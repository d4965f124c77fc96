"""The loss trackers of the keras_dl models: one `keras.metrics.Mean` per logged name."""

import keras


class LossTrackers:
    """One `keras.metrics.Mean` per logged name, created on first use.

    Created lazily (in the model's distribution strategy scope, as Keras
    creates its compiled metrics) so that `tracker_names` may depend on
    constructor arguments, and kept outside Keras' state tracking so that they
    may be created after the model is built.
    """

    def __init__(self, model):
        self.model = model
        self.by_name = None

    def all(self):
        if self.by_name is None:
            with self.model.distribute_strategy.scope():
                self.by_name = {name: keras.metrics.Mean(name=name)
                                for name in self.model.tracker_names}
        return list(self.by_name.values())

    def update(self, batch_size, values):
        self.all()
        for name, value in values.items():
            self.by_name[name].update_state(value, sample_weight=batch_size)
