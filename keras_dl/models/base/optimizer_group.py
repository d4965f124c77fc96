"""Several optimizers seen by a Keras trainer as its one `model.optimizer`."""


class OptimizerGroup:
    """The optimizers of a model with several (a GAN's generator and discriminator
    optimizers) as one `model.optimizer`, for the trainers that need one.

    Keras' JAX trainer carries only `model.optimizer.variables` through a
    step's state (and purges, restores and shards those); a group lists the
    variables of all its optimizers, in order, so that every optimizer's state
    travels. Keras' learning-rate callbacks (`ReduceLROnPlateau`,
    `LearningRateScheduler`, `TensorBoard`'s learning-rate logs) find the
    optimizers in `optimizers`. The group holds no state of its own and is not
    saved: each optimizer is saved as the model attribute that holds it.

    Args:
        optimizers: the optimizers, each built on its own variables.
    """

    def __init__(self, optimizers):
        self.optimizers = list(optimizers)

    @property
    def variables(self):
        return [variable for optimizer in self.optimizers for variable in optimizer.variables]

    @property
    def built(self):
        return all(optimizer.built for optimizer in self.optimizers)

    def build(self, variables):
        """Refuses to build: each optimizer is built on its own network's variables (by the
        model's `compile`), not on all of the model's."""
        if not self.built:
            raise ValueError(
                "An OptimizerGroup is not built on the model's variables: build each of its "
                "optimizers on the variables it trains"
            )

    def __repr__(self):
        return f"OptimizerGroup({self.optimizers!r})"
