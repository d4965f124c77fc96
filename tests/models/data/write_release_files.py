"""Writes one trained `.keras` file per model kind, and their predictions, with the code of
the release at hand: `python tests/models/data/write_release_files.py DIR`.

`keras_dl_0_1_0/` was written by keras_dl 0.1.0 (commit 1f3c7eb), before the models package
was split into families; `tests/models/test_release_files.py` checks that today's code loads
those files and predicts the same.
"""

import os
import sys

import keras
import numpy as np


def main(out):
    from keras_dl import models
    from keras_dl.testing import platform_cases

    keras.utils.set_random_seed(0)
    arrays = {}
    for name, case in platform_cases.CASES.items():
        model = case.build()
        x, y = case.data(16)
        platform_cases.compile_case(name, model)
        model.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
        inputs = platform_cases.serving_inputs(name, x, y)
        model.save(os.path.join(out, f"{name}.keras"))
        flat = inputs if isinstance(inputs, list) else [inputs]
        for i, a in enumerate(flat):
            arrays[f"{name}/input_{i}"] = np.asarray(a)
        arrays[f"{name}/output"] = keras.ops.convert_to_numpy(model.predict(inputs, verbose=0))
    dbn = models.DeepBeliefNetwork([6, 3], seed=0)
    x = platform_cases._binary(16)
    dbn.pretrain(x, epochs=1, batch_size=8)
    dbn.compile()
    dbn.save(os.path.join(out, "DeepBeliefNetwork.keras"))
    arrays["DeepBeliefNetwork/input_0"] = x
    arrays["DeepBeliefNetwork/output"] = keras.ops.convert_to_numpy(dbn.predict(x, verbose=0))
    np.savez_compressed(os.path.join(out, "predictions.npz"), **arrays)
    print(sorted(os.listdir(out)))


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    main(sys.argv[1])
