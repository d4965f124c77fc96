"""Training on several machines: a keras_dl model under MultiWorkerMirroredStrategy.

Each machine (here: each local process) runs this same script with its own
`TF_CONFIG`, which names every worker's address and this worker's index:

    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}' python examples/multi_worker.py

Worker 0 is the chief: it writes the checkpoints and the final model; the others
write to temporary folders (all workers must save, since saving runs collective
operations). `keras.callbacks.BackupAndRestore` makes a restarted job resume from
the last finished epoch. Without `TF_CONFIG` the script starts two local workers
on 127.0.0.1 itself, waits for them, and checks that both ended with the same
weights.

The model is a denoising autoencoder on scikit-learn's digits; the global batch
is split between the workers, and `AutoShardPolicy.DATA` gives each worker its
share of every batch.

Run: python examples/multi_worker.py [--output-dir runs/multi_worker] [--epochs 5]
"""

import argparse
import json
import os
import socket
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

GLOBAL_BATCH = 64


def train(output_dir, epochs):
    import keras
    import numpy as np
    import tensorflow as tf

    import keras_dl

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    task = json.loads(os.environ["TF_CONFIG"])["task"]
    chief = task["index"] == 0
    images = np.stack([x for x, _ in keras_dl.datasets.load("digits", "all").as_numpy_iterator()])
    flat = images.reshape(len(images), -1)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    data = tf.data.Dataset.from_tensor_slices(flat).batch(GLOBAL_BATCH).with_options(options)
    keras.utils.set_random_seed(0)  # the same initial weights on every worker
    with strategy.scope():
        encoder = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"),
                                    keras.layers.Dense(8)])
        decoder = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"),
                                    keras.layers.Dense(64, activation="sigmoid")])
        model = keras_dl.models.DenoisingAutoencoder(encoder, decoder, noise="masking",
                                                     noise_level=0.2, seed=0)
        model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="binary_crossentropy")
    own_dir = output_dir if chief else os.path.join(output_dir, f"worker_{task['index']}_tmp")
    history = model.fit(data, epochs=epochs, verbose=2 if chief else 0, callbacks=[
        keras.callbacks.BackupAndRestore(os.path.join(own_dir, "backup")),
        keras.callbacks.TensorBoard(os.path.join(own_dir, "logs")),
    ])
    model.save(os.path.join(own_dir, "denoising_autoencoder.keras"))
    np.save(os.path.join(own_dir, "final_weights.npy"),
            np.concatenate([np.ravel(w) for w in model.get_weights()]))
    if chief:
        print(f"final loss {history.history['loss'][-1]:.4f}; model and logs under {own_dir}")


def start_local_workers(output_dir, epochs, count=2):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    workers = [f"127.0.0.1:{sock.getsockname()[1]}" for sock in sockets]
    for sock in sockets:
        sock.close()
    processes = []
    for index in range(count):
        config = {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
        processes.append(subprocess.Popen(
            [sys.executable, __file__, "--output-dir", output_dir, "--epochs", str(epochs)],
            env={**os.environ, "TF_CONFIG": json.dumps(config)},
        ))
    if any(process.wait() for process in processes):
        raise SystemExit("a worker failed")
    import numpy as np

    chief = np.load(os.path.join(output_dir, "final_weights.npy"))
    other = np.load(os.path.join(output_dir, "worker_1_tmp", "final_weights.npy"))
    print(f"{count} workers, largest weight difference between them: "
          f"{float(np.max(np.abs(chief - other))):.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=os.path.join("runs", "multi_worker"))
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    if "TF_CONFIG" in os.environ:
        train(args.output_dir, args.epochs)
    else:
        start_local_workers(args.output_dir, args.epochs)


if __name__ == "__main__":
    main()
