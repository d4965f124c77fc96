"""The worker-process plugin, run on a small suite of its own in a fresh pytest session.

The plugin is loaded as a top-level module from its folder, so these sessions start
without Keras (a worker starts in a fraction of a second) and test only the scheduling.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from keras_dl.testing import worker_processes

PLUGIN_FOLDER = os.path.dirname(worker_processes.__file__)

# Each test appends {"test", "pid"} to runs.jsonl; each module's module-scoped fixture
# appends {"setup"/"teardown": module, "pid"}.
CONFTEST = """
import json, os
import pytest

pytest_plugins = ["worker_processes"]

def record(**entry):
    with open(os.environ["RUNS_FILE"], "a") as file:
        file.write(json.dumps({**entry, "pid": os.getpid()}) + "\\n")

@pytest.fixture(scope="module", autouse=True)
def module_state(request):
    record(setup=request.module.__name__)
    yield
    record(teardown=request.module.__name__)

@pytest.fixture(autouse=True)
def recorded(request):
    record(test=request.node.nodeid)
"""

MODULES = {
    # the long module has the most tests: it is offered first
    "test_long.py": "import time\n" + "".join(
        f"def test_long_{index}():\n    time.sleep(0.4)\n" for index in range(4)
    ),
    "test_short.py": "def test_short_a():\n    pass\ndef test_short_b():\n    pass\n",
    "test_one.py": "def test_one():\n    pass\n",
    "test_more.py": "def test_more_a():\n    pass\ndef test_more_b():\n    assert 1 == 2\n",
}
TESTS = 9


def run_session(directory, *arguments, modules=MODULES):
    for name, text in {"conftest.py": CONFTEST, **modules}.items():
        (directory / name).write_text(textwrap.dedent(text))
    runs = directory / "runs.jsonl"
    environment = {name: value for name, value in os.environ.items()  # this suite's own
                   if not name.startswith("KERAS_DL_TEST_")}             # worker's variables
    environment.update(PYTHONPATH=PLUGIN_FOLDER, RUNS_FILE=str(runs))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         *arguments],
        cwd=directory, env=environment, capture_output=True, text=True, timeout=120,
    )
    entries = [json.loads(line) for line in runs.read_text().splitlines()] if runs.exists() else []
    return result, entries


def test_every_test_runs_once_each_module_in_one_worker(tmp_path):
    result, entries = run_session(tmp_path, "--workers", "2")
    assert result.returncode == 1, result.stdout  # test_more_b fails
    assert "1 failed, 8 passed" in result.stdout, result.stdout
    assert "test_more.py::test_more_b" in result.stdout and "assert 1 == 2" in result.stdout
    tests = [entry for entry in entries if "test" in entry]
    assert sorted(entry["test"] for entry in tests) == sorted(
        {entry["test"] for entry in tests}
    ) and len(tests) == TESTS
    by_module = {}
    for entry in tests:
        by_module.setdefault(entry["test"].split("::")[0], set()).add(entry["pid"])
    assert all(len(pids) == 1 for pids in by_module.values()), by_module
    # Two workers shared the modules: one ran the long module while the other ran the rest.
    assert len({entry["pid"] for entry in tests}) == 2, by_module
    assert by_module["test_long.py"].isdisjoint(by_module["test_short.py"] |
                                                by_module["test_one.py"]), by_module
    # Each module's fixture was set up and torn down once, in the process that ran it.
    setups = [entry for entry in entries if "setup" in entry]
    teardowns = [entry for entry in entries if "teardown" in entry]
    assert sorted(entry["setup"] for entry in setups) == sorted(
        entry["teardown"] for entry in teardowns
    ) and len(setups) == len(MODULES)


def test_a_worker_that_outgrows_its_allowance_hands_on_its_module(tmp_path):
    # An allowance below zero: every worker stops after its first test.
    result, entries = run_session(tmp_path, "--workers", "2", "--worker-growth-mb", "-1")
    assert "1 failed, 8 passed" in result.stdout, result.stdout
    tests = [entry for entry in entries if "test" in entry]
    assert len(tests) == TESTS and len({entry["test"] for entry in tests}) == TESTS
    assert len({entry["pid"] for entry in tests}) == TESTS  # a fresh process for each test


def test_a_worker_that_dies_fails_its_test_and_the_rest_go_on(tmp_path):
    modules = {**MODULES, "test_crash.py": "import os\ndef test_crash():\n    os._exit(3)\n"}
    result, entries = run_session(tmp_path, "--workers", "2", modules=modules)
    assert "2 failed, 8 passed" in result.stdout, result.stdout
    assert "exited with status 3" in result.stdout, result.stdout


def test_a_worker_that_cannot_start_its_tests_stops_the_session(tmp_path):
    # A worker collects its tests again; here a module that imported in the session's
    # process fails to in the workers.
    modules = {**MODULES, "test_flaky_import.py": (
        "import os\nif os.environ.get('KERAS_DL_TEST_REPORTS_FD'):\n    raise ImportError('x')\n"
        "def test_x():\n    pass\n"
    )}
    result, _ = run_session(tmp_path, "--workers", "2", modules=modules)
    assert result.returncode != 0
    assert "exited before its first test" in result.stdout + result.stderr


@pytest.mark.parametrize("arguments", [["--workers", "0"], ["-s"]])
def test_in_process_runs(tmp_path, arguments):
    result, entries = run_session(tmp_path, *arguments)
    assert "1 failed, 8 passed" in result.stdout, result.stdout
    assert {entry["pid"] for entry in entries} == {entries[0]["pid"]}


def test_the_first_failure_stops_every_worker_with_exitfirst(tmp_path):
    result, entries = run_session(tmp_path, "--workers", "2", "-x")
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout and "test_more_b" in result.stdout, result.stdout
    assert len([entry for entry in entries if "test" in entry]) < TESTS
