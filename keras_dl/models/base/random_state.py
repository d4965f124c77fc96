"""Saving the random-number state of a model with its weights."""

import keras

RANDOM_STATE_KEY = "random_state_"


class SavedRandomState:
    """A `keras.Model` mixin that saves the `SeedGenerator` states of the model and its
    layers with the weights (`save_weights`, `.keras` files, `BackupAndRestore`).

    Keras keeps those states in `model.variables` but not in `model.weights`, which
    is what it saves: a run restored from a checkpoint would draw other random
    numbers (corruption noise, Gibbs samples, latent vectors) than the run it
    continues.
    """

    def random_state_variables(self):
        """The `SeedGenerator` states of the model and its layers (not in `weights`)."""
        weight_ids = {id(weight) for weight in self.weights}
        return [variable for variable in self.variables if id(variable) not in weight_ids]

    def save_own_variables(self, store):
        """Saves the weights and the random state, so a restored run draws the same numbers."""
        super().save_own_variables(store)
        for index, variable in enumerate(self.random_state_variables()):
            store[f"{RANDOM_STATE_KEY}{index}"] = keras.ops.convert_to_numpy(variable)

    def load_own_variables(self, store):
        random_keys = [key for key in store.keys() if key.startswith(RANDOM_STATE_KEY)]
        weights = {key: store[key] for key in store.keys() if key not in random_keys}
        super().load_own_variables(weights)
        for index, variable in enumerate(self.random_state_variables()):
            key = f"{RANDOM_STATE_KEY}{index}"
            if key in random_keys:
                variable.assign(store[key])
