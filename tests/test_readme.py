"""Runs every ```python block of README.md, so that the README cannot drift from the code.

Each block runs on its own, in a fresh namespace and a temporary working
directory (the files it writes go there). The block that reads MNIST's IDX
files finds the shared MNIST test set under the `data_dir` it names, and is
skipped when that set is absent.
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIR = os.path.join(ROOT, "..", "shared", "data", "mnist")


def python_blocks(path):
    """`[(line, code)]`: each ```python block of the Markdown file and its first code line."""
    with open(path, encoding="utf-8") as file:
        text = file.read()
    return [
        (text.count("\n", 0, match.start(1)) + 1, match.group(1))
        for match in re.finditer(r"^```python\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    ]


BLOCKS = python_blocks(os.path.join(ROOT, "README.md"))


def serving_blocks(path):
    """The ```python block that exports models and the ```bash block of clients that follows
    it in the README's "Serving" section."""
    with open(path, encoding="utf-8") as file:
        section = file.read().split("## Serving\n", 1)[1].split("\n## ", 1)[0]
    export = re.search(r"^```python\n(.*?)^```$", section, re.MULTILINE | re.DOTALL).group(1)
    clients = re.search(r"^```bash\n(.*?)^```$", section, re.MULTILINE | re.DOTALL).group(1)
    return export, clients


def test_the_readme_shows_every_family():
    code = "\n".join(block for _, block in BLOCKS)
    for name in [
        "layers.Mlpconv",
        "models.RBM",
        "models.Autoencoder",
        "models.GAN",
        "models.DomainAdversarialModel",
        "keras.saving.load_model",
        "tf.saved_model.load",
        "datasets.load_idx",
    ]:
        assert name in code, name


@pytest.mark.parametrize("line, code", BLOCKS, ids=[f"README.md:{line}" for line, _ in BLOCKS])
def test_readme_block_runs(line, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if "load_idx" in code:
        if not os.path.isdir(MNIST_DIR):
            pytest.skip(f"the shared MNIST test set is absent ({os.path.abspath(MNIST_DIR)})")
        data_dir = re.search(r'^data_dir = "([^"]+)"', code, re.MULTILINE)
        assert data_dir, 'the IDX block names its folder in a line `data_dir = "..."`'
        os.symlink(os.path.abspath(MNIST_DIR), tmp_path / data_dir.group(1))
    # Running the README's code is the point; padded so that a traceback names its lines.
    exec(compile("\n" * (line - 1) + code, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102


def test_readme_serving_clients_run_in_fresh_processes(tmp_path, monkeypatch):
    export, clients = serving_blocks(os.path.join(ROOT, "README.md"))
    monkeypatch.chdir(tmp_path)
    exec(export, {"__name__": "readme"})  # noqa: S102
    bin_dir = os.path.dirname(sys.executable)  # python and saved_model_cli of this environment
    environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"],
                   "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run(["bash", "-ec", clients], capture_output=True, text=True,
                         env=environment, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    output = run.stdout
    assert "(2, 16)" in output and "(2, 4)" in output, output
    for key in ("reconstructions", "samples"):
        assert f"Result for output key {key}" in output, output
    # The same seed, the same samples: the Python client's first values of seed 7 are the
    # command-line client's.
    python_client = re.search(r"tf.Tensor\(\[([^\]]+)\]", output).group(1).split()
    command_line = output.split("Result for output key samples:")[1].split()[:3]
    np.testing.assert_allclose([float(v.strip("[],")) for v in command_line],
                               [float(v) for v in python_client], rtol=1e-5)
