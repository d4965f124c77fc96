"""Worker processes of the platform cells that need them (run by test_platform_processes.py).

`--mode multi_worker`: trains every case of `keras_dl.testing.platform_cases` under a
`MultiWorkerMirroredStrategy` in two local worker processes (`TF_CONFIG` on
127.0.0.1), and the deterministic cases in one plain process with the same global
batch; saves each one's final weights.

`--mode kill_resume`: trains every case with `keras.callbacks.BackupAndRestore`. The
first run stops each case's fit at the end of epoch 2, its backup on disk, and kills
itself with SIGKILL there in the last case's fit; the restarted run resumes every case
from its backup (one restart for all the cases: a start of TensorFlow costs seconds). An
uninterrupted run of the same cases is the reference.

Writes `<out>/summary.json`: `{case: {role: [weight .npy paths]}}`.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys

EPOCHS = 4
GLOBAL_BATCH = 16
SAMPLES = 32


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def role_command(out, role, kinds):
    return [sys.executable, __file__, "--out", out, "--role", role, *kinds]


def run_role(out, role, kinds, check=True):
    return subprocess.run(role_command(out, role, kinds), check=check, timeout=600)


def start_role(out, role, kinds, env=None):
    return subprocess.Popen(role_command(out, role, kinds), env=env)


def wait_for(processes, what):
    codes = [process.wait(timeout=600) for process in processes]
    if any(codes):
        raise SystemExit(f"{what} exit codes {codes}")


def launch(mode, out, kinds):
    """Starts the roles of `mode` and writes the summary of their weight files."""
    if mode == "multi_worker":
        ports = free_ports(2)
        workers = [f"127.0.0.1:{port}" for port in ports]
        processes = [
            start_role(out, f"worker_{index}", kinds, env={**os.environ, "TF_CONFIG": json.dumps(
                {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}}
            )})
            for index in range(2)
        ]
        wait_for(processes, "worker")
        run_role(out, "single", kinds)
        roles = ["worker_0", "worker_1", "single"]
    else:
        # The reference runs beside the killed and restarted runs (one core each).
        uninterrupted = start_role(out, "uninterrupted", kinds)
        while (code := run_role(out, "resumed", kinds, check=False).returncode) == -signal.SIGKILL:
            pass  # killed in a fit: start again, as a job scheduler would
        if code:
            raise SystemExit(f"the resumed run's exit code {code}")
        wait_for([uninterrupted], "uninterrupted run")
        roles = ["uninterrupted", "resumed"]
    summary = {}
    for role in roles:
        for name in sorted(os.listdir(os.path.join(out, role))):
            directory = os.path.join(out, role, name)
            paths = sorted(os.listdir(directory), key=lambda f: int(f.split(".")[0]))
            summary.setdefault(name, {})[role] = [os.path.join(directory, p) for p in paths]
    with open(os.path.join(out, "summary.json"), "w") as file:
        json.dump(summary, file)


def train(out, role, kinds):
    """Trains `kinds` (every case by default) in this process's `role`, saving their final
    weights (TensorFlow is imported here: the launcher of the roles stays small)."""
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_dl.testing.platform_cases import CASES, compile_case

    tf.config.experimental.enable_op_determinism()
    multi_worker = role.startswith("worker")
    strategy = tf.distribute.MultiWorkerMirroredStrategy() if multi_worker else (
        tf.distribute.get_strategy()
    )
    names = list(kinds or CASES)
    for name in names:
        case = CASES[name]
        directory = os.path.join(out, role, name)
        if role == "single" and not case.deterministic or os.path.isdir(directory):
            continue
        keras.utils.set_random_seed(0)
        x, y = case.data(SAMPLES)
        with strategy.scope():
            model = compile_case(name, case.build())
        callbacks = []
        if role == "resumed":
            marker = os.path.join(out, "interrupted", name)
            restarted = os.path.exists(marker)
            callbacks = [keras.callbacks.BackupAndRestore(os.path.join(out, "backup", name)),
                         first_epoch_check(name, 2 if restarted else 0)]
            if not restarted:
                callbacks.append(interrupt_at_epoch_2(marker, kill=name == names[-1]))
        if multi_worker:
            data = tf.data.Dataset.from_tensor_slices(x if y is None else (x, y))
            options = tf.data.Options()
            options.experimental_distribute.auto_shard_policy = (
                tf.data.experimental.AutoShardPolicy.DATA
            )
            model.fit(data.batch(GLOBAL_BATCH).with_options(options), epochs=EPOCHS, verbose=0)
        else:
            try:
                model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=EPOCHS, verbose=0,
                          shuffle=False, callbacks=callbacks)
            except Interrupted:
                continue  # its backup is on disk: the restarted run resumes it
        os.makedirs(directory)
        for index, weight in enumerate(model.trainable_weights):
            np.save(os.path.join(directory, f"{index}.npy"), np.asarray(weight))


def first_epoch_check(name, expected):
    """A callback that stops the run unless `name`'s fit starts at epoch index `expected`
    (2 after the interruption: the backup was used)."""
    import keras

    started = []

    def on_epoch_begin(epoch, logs=None):
        if not started and epoch != expected:
            raise SystemExit(f"{name} started at epoch {epoch + 1}, not {expected + 1}")
        started.append(epoch)

    return keras.callbacks.LambdaCallback(on_epoch_begin=on_epoch_begin)


class Interrupted(Exception):
    """Stops a fit at the end of an epoch without its `on_train_end` (the backup stays)."""


def interrupt_at_epoch_2(marker, kill):
    """A callback that ends its fit at the end of epoch 2 (after `BackupAndRestore` has
    written the epoch's backup), writing `marker` for the restart: with SIGKILL to this
    process if `kill`, else by raising `Interrupted`."""
    import keras

    def on_epoch_end(epoch, logs=None):
        if epoch == 1:
            os.makedirs(os.path.dirname(marker), exist_ok=True)
            open(marker, "w").close()
            if kill:
                os.kill(os.getpid(), signal.SIGKILL)
            raise Interrupted(marker)

    return keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--mode", choices=["multi_worker", "kill_resume"])
    parser.add_argument("--role")
    parser.add_argument("kinds", nargs="*", help="case names (default: all)")
    args = parser.parse_args()
    if args.mode:
        launch(args.mode, args.out, args.kinds)
    else:
        import keras

        keras.config.disable_traceback_filtering()
        train(args.out, args.role, args.kinds)


if __name__ == "__main__":
    main()
