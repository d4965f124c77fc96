"""`fit` and `evaluate` take what Keras takes besides arrays and `tf.data`: a
`keras.utils.PyDataset`, a Python generator and (on torch) a `torch.utils.data.DataLoader`,
on every backend (all three legs run this module). keras_dl models read the first batch
before training (to check it and to build the model): a generator's first batch is not lost.
"""

import keras
import numpy as np
import pytest

from keras_dl import models
from keras_dl.testing.platform_cases import CASES, binary_data, compile_case

BATCH = 8
BATCHES = 4


class Batches(keras.utils.PyDataset):
    """`x` in batches of `BATCH`, each `(x,)`."""

    def __init__(self, x):
        super().__init__()
        self.x = x

    def __len__(self):
        return len(self.x) // BATCH

    def __getitem__(self, index):
        return (self.x[index * BATCH:(index + 1) * BATCH],)


def generator(x):
    for index in range(len(x) // BATCH):
        yield (x[index * BATCH:(index + 1) * BATCH],)


def data_loader(x):
    torch = pytest.importorskip("torch", reason="a DataLoader is torch's")
    return torch.utils.data.DataLoader(torch.tensor(x), batch_size=BATCH)


SOURCES = {
    "PyDataset": (Batches, {"shuffle": False}),  # Keras shuffles its batches by default
    "generator": (generator, {"steps_per_epoch": BATCHES}),
    "DataLoader": (data_loader, {}),
}


def trained_autoencoder(x, source=None):
    """The platform Autoencoder from seed 0 after one epoch of `x` from `source`, or
    of the arrays in order."""
    keras.utils.set_random_seed(0)
    model = compile_case("Autoencoder", CASES["Autoencoder"].build())
    if source is None:
        model.fit(x, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    else:
        make, fit_arguments = SOURCES[source]
        model.fit(make(x), epochs=1, verbose=0, **fit_arguments)
    return model


@pytest.mark.parametrize("source", list(SOURCES))
def test_a_model_trains_on_every_batch_of_the_source_as_on_the_arrays(source):
    if source == "DataLoader" and keras.backend.backend() != "torch":
        pytest.skip("Keras takes a torch DataLoader on the torch backend (this leg is "
                    f"{keras.backend.backend()})")
    x = binary_data(BATCH * BATCHES)
    from_arrays, from_source = trained_autoencoder(x), trained_autoencoder(x, source)
    assert int(from_source.optimizer.iterations) == BATCHES
    for want, got in zip(from_arrays.get_weights(), from_source.get_weights()):
        np.testing.assert_allclose(got, want, atol=1e-6)
    make, fit_arguments = SOURCES[source]
    steps = fit_arguments.get("steps_per_epoch")
    evaluated = from_source.evaluate(make(x), steps=steps, verbose=0, return_dict=True)
    assert np.isfinite(evaluated["loss"])


@pytest.mark.parametrize("source", ["PyDataset", "generator"])
def test_the_first_batch_of_a_source_is_checked_before_training(source):
    make, fit_arguments = SOURCES[source]
    rbm = models.RBM(3, seed=0)
    rbm.compile(optimizer="sgd")
    with pytest.raises(ValueError, match=r"RBM.*\[0, 1\].*255"):
        rbm.fit(make(binary_data(BATCH * BATCHES) * 255), verbose=0, **fit_arguments)
    unlabelled = np.full((BATCH * BATCHES, 5), np.nan, "float32")
    with pytest.raises(ValueError, match="RBM: `x` holds NaN or infinite values"):
        rbm.fit(make(unlabelled), verbose=0, **fit_arguments)
    with pytest.raises(ValueError, match=r"n_visible\), received \(8, 5, 2\)"):
        rbm.fit(make(np.zeros((BATCH * BATCHES, 5, 2), "float32")), verbose=0, **fit_arguments)


@pytest.mark.parametrize("source", ["PyDataset", "generator"])
def test_pca_finds_the_components_of_all_the_batches(source):
    x = binary_data(BATCH * BATCHES)
    make, fit_arguments = SOURCES[source]
    from_arrays, from_source = models.PCA(3), models.PCA(3)
    from_arrays.fit(x, batch_size=BATCH, verbose=0)
    history = from_source.fit(make(x), verbose=0, **fit_arguments).history
    np.testing.assert_allclose(np.abs(from_source.get_weights()[0]),
                               np.abs(from_arrays.get_weights()[0]), atol=1e-5)
    assert np.isfinite(history["reconstruction_error"][0])
