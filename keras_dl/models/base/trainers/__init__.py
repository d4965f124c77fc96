"""The training step in the form each Keras backend's trainer calls it.

Keras picks one trainer per backend when it is imported (`keras/src/models/model.py`:
`TensorFlowTrainer`, `JAXTrainer`, ...), and each calls `train_step`/`test_step` in its
own form: TensorFlow `train_step(data) -> logs` inside a `tf.function` that may assign
variables, JAX `train_step(state, data) -> (logs, new_state)` that must assign nothing,
torch `train_step(data) -> logs` run eagerly (or under `torch.compile`).
keras_dl's models write one stateful step (`BaseModel.training_step`, from the hooks
`compute_objective`, `gradient_step`, `closed_form_gradient_step`, `finish_step`); the
module of the current backend supplies:

- `Steps`, the mixin of `BaseModel` with `train_step`/`test_step` in the backend's form;
- `gradient_step` and `closed_form_gradient_step`, the backend's forms of the
  `BaseModel` hooks of those names;
- `check_steps(model)`: refuses, before training, a model whose steps the backend
  cannot run;
- `variable_scope(model)`: where the model's late variables (trackers, compiled
  metrics) are created (the model's `tf.distribute` strategy scope on TensorFlow).

The other backends (numpy, openvino) get `unsupported`, whose steps refuse by name.
"""

import keras

if keras.backend.backend() == "tensorflow":
    from keras_dl.models.base.trainers import tensorflow as backend_trainer
elif keras.backend.backend() == "jax":
    from keras_dl.models.base.trainers import jax as backend_trainer
elif keras.backend.backend() == "torch":
    from keras_dl.models.base.trainers import torch as backend_trainer
else:
    from keras_dl.models.base.trainers import unsupported as backend_trainer

Steps = backend_trainer.Steps
gradient_step = backend_trainer.gradient_step
closed_form_gradient_step = backend_trainer.closed_form_gradient_step
check_steps = backend_trainer.check_steps
variable_scope = backend_trainer.variable_scope
