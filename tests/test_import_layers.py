"""The package's import graph: no cycles between modules, and no module imports from a layer
above its own (README, "Layout")."""

import ast
import os
import subprocess
import sys

import pytest

import keras_dl

PACKAGE = os.path.dirname(keras_dl.__file__)
# Lower layers first; a module may import from its own layer and those before it.
LAYERS = [
    {"utils"},
    {"layers", "losses", "metrics", "optimizers", "datasets"},
    {"models"},
    {"applications", "callbacks", "testing"},
]


def module_name(path):
    relative = os.path.relpath(path, os.path.dirname(PACKAGE))[: -len(".py")]
    return relative.replace(os.sep, ".").removesuffix(".__init__")


def imports_of(path):
    """The keras_dl modules that the module at `path` imports at its top level or in a
    function (what `from keras_dl.x import y` names: `keras_dl.x.y` if that is a module)."""
    with open(path) as file:
        tree = ast.parse(file.read())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("keras_dl"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("keras_dl"))
    return names


def graph():
    modules = {}
    for directory, _, files in os.walk(PACKAGE):
        for file in files:
            if file.endswith(".py"):
                path = os.path.join(directory, file)
                modules[module_name(path)] = imports_of(path)
    return {name: {target for target in targets if target in modules and target != name}
            for name, targets in modules.items()}


def layer_of(module):
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else None
    return next((index for index, layer in enumerate(LAYERS) if top in layer), None)


def test_no_module_imports_from_a_higher_layer():
    violations = [
        (module, target) for module, targets in graph().items() for target in targets
        if layer_of(module) is not None and layer_of(target) is not None
        and layer_of(target) > layer_of(module)
    ]
    assert not violations, violations


def test_the_import_graph_has_no_cycles():
    # Package `__init__` modules re-export their contents; a cycle through them is no cycle
    # of code, so they are left out.
    edges = {module: targets - PACKAGES for module, targets in graph().items()
             if module not in PACKAGES}
    visiting, done = set(), set()

    def visit(module, path):
        if module in done:
            return
        assert module not in visiting, " -> ".join(path + [module])
        visiting.add(module)
        for target in edges.get(module, ()):
            visit(target, path + [module])
        visiting.discard(module)
        done.add(module)

    for module in edges:
        visit(module, [])


PACKAGES = {module_name(os.path.join(directory, "__init__.py"))
            for directory, _, files in os.walk(PACKAGE) if "__init__.py" in files}


# Run in a fresh process where importing TensorFlow fails, as on a machine without it.
WITHOUT_TENSORFLOW = """
import importlib.abc, sys

class NoTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("tensorflow", "tensorflow_datasets"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)

sys.meta_path.insert(0, NoTensorFlow())
import keras, numpy as np, keras_dl
model = keras_dl.models.Autoencoder(keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)]),
                                    keras.Sequential([keras.Input((4,)), keras.layers.Dense(8)]))
model.compile(optimizer="sgd")
model.fit(np.random.default_rng(0).random((16, 8), "float32"), epochs=1, verbose=0)
print(keras.backend.backend(), sorted(m for m in sys.modules if m.startswith("tensorflow")))
"""


@pytest.mark.parametrize("backend", ["jax"])
def test_the_package_imports_and_trains_without_tensorflow_on_other_backends(backend):
    """TensorFlow is needed only for tf.data, tfds, SavedModel export, TensorBoard images
    and tf.distribute (README, "Backends"): on JAX `import keras_dl` and a fit do without it."""
    pytest.importorskip(backend, reason=f"the {backend} backend is not installed")
    environment = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": os.path.dirname(PACKAGE)}
    result = subprocess.run([sys.executable, "-c", WITHOUT_TENSORFLOW], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-2:] == [backend, "[]"]
