"""A pytest plugin: the collected tests run in worker processes replaced when they grow large.

TensorFlow keeps native memory of every model a process has trained (about 40 MB for each
GoogLeNet fit, with `keras.backend.clear_session()` and no Python object left), so one
process running the whole suite grows past 6 GB. Here the session's process only collects:
`--workers N` processes (default: one per CPU core, at most two) each take a share of the
test modules, run them with pytest and send every report back as it is made, and a worker
whose memory has grown by more than `--worker-growth-mb` since its first test (what it
imported and collected is its own baseline: torch and TensorFlow together take 1.7 GB)
stops after a test and a fresh process takes over the rest of its share. Tests marked
`slow` start processes of their own (several workers, kill and resume): they run last, in
one worker, so that the machine never holds their processes beside a second worker. Each
test's reports reach this process's terminal, `--durations` and exit status as if it had
run here.

`--workers 0`, a run of one test module, `--pdb`, `-s` and `--collect-only` run in this
process as plain pytest does. The project's conftest.py loads this plugin.
"""

import json
import os
import selectors
import subprocess
import sys
import tempfile

import pytest

REPORTS_FD = "KERAS_DL_TEST_REPORTS_FD"
MEMORY_GROWTH = "KERAS_DL_TEST_WORKER_GROWTH_MB"


def pytest_addoption(parser):
    group = parser.getgroup("keras_dl worker processes")
    group.addoption("--workers", type=int, default=None,
                    help="worker processes to run the tests in (0: this process; default: "
                         "one per CPU core, at most 2)")
    group.addoption("--worker-growth-mb", type=int, default=450,
                    help="a worker whose resident memory has grown by more than this since its "
                         "first test is replaced after a test (default 450)")


def resident_megabytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def in_worker():
    return REPORTS_FD in os.environ


def uses_workers(session):
    option = session.config.option
    if in_worker() or option.collectonly or option.usepdb or option.capture == "no":
        return False
    if option.workers == 0 or not sys.platform.startswith("linux"):
        return False
    return len({item.path for item in session.items}) > 1


def shares(items, count):
    """`count` lists of node ids: whole modules, each to the share with the fewest tests."""
    modules = {}
    for item in items:
        modules.setdefault(item.path, []).append(item.nodeid)
    result = [[] for _ in range(count)]
    for nodeids in sorted(modules.values(), key=len, reverse=True):
        min(result, key=len).extend(nodeids)
    order = {item.nodeid: index for index, item in enumerate(items)}
    return [sorted(share, key=order.get) for share in result if share]


class Worker:
    """One pytest process running `nodeids`; reports arrive as JSON lines on a pipe."""

    def __init__(self, config, nodeids):
        self.nodeids = nodeids
        self.finished = set()
        self.started = None
        read_end, write_end = os.pipe()
        self.output = tempfile.TemporaryFile()
        environment = {**os.environ, REPORTS_FD: str(write_end),
                       MEMORY_GROWTH: str(config.option.worker_growth_mb)}
        with tempfile.NamedTemporaryFile("w", suffix=".args", delete=False) as arguments:
            arguments.write("\n".join(nodeids))
        self.arguments = arguments.name
        command = [sys.executable, "-m", "pytest", "-q", f"--rootdir={config.rootpath}",
                   f"@{self.arguments}"]
        self.process = subprocess.Popen(command, env=environment, pass_fds=(write_end,),
                                        stdout=self.output, stderr=subprocess.STDOUT,
                                        cwd=config.invocation_params.dir)
        os.close(write_end)
        self.reports = os.fdopen(read_end, "r")

    def remaining(self):
        return [nodeid for nodeid in self.nodeids if nodeid not in self.finished]

    def output_tail(self, characters=4000):
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-characters:]

    def close(self):
        self.process.wait()
        self.reports.close()
        self.output.close()
        os.unlink(self.arguments)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    if session.testsfailed or not uses_workers(session):
        return None  # pytest's own loop (it also stops on collection errors)
    run_in_workers(session)
    return True


def pytest_configure(config):
    if in_worker():
        config.pluginmanager.register(WorkerSide(config), "keras_dl_worker_side")


def run_in_workers(session):
    count = session.config.option.workers or min(2, os.cpu_count() or 1)
    starting_processes = [item for item in session.items if item.get_closest_marker("slow")]
    others = [item for item in session.items if not item.get_closest_marker("slow")]
    for items, workers in ((others, count), (starting_processes, 1)):
        if items and not session.shouldfail:
            run_phase(session, items, workers)


def run_phase(session, test_items, count):
    """Runs `test_items` in `count` workers at a time, replacing those that stop early."""
    config = session.config
    items = {item.nodeid: item for item in test_items}
    selector = selectors.DefaultSelector()

    def start(nodeids):
        worker = Worker(config, nodeids)
        selector.register(worker.reports, selectors.EVENT_READ, worker)

    for share in shares(test_items, count):
        start(share)
    while selector.get_map():
        for key, _ in selector.select():
            worker = key.data
            line = worker.reports.readline()
            if line:
                deliver(config, items, worker, json.loads(line))
                if session.shouldfail:  # --maxfail reached
                    for key in list(selector.get_map().values()):
                        key.data.process.kill()
                continue
            selector.unregister(worker.reports)
            worker.process.wait()
            if worker.started is not None and not session.shouldfail:  # it died in a test
                report_crash(config, items[worker.started], worker)
            remaining = worker.remaining()
            worker.close()
            if remaining and not session.shouldfail:
                start(remaining)


def deliver(config, items, worker, data):
    if isinstance(data.get("longrepr"), list):  # a skip's (path, line, reason); JSON made it a list
        data["longrepr"] = tuple(data["longrepr"])
    report = config.hook.pytest_report_from_serializable(config=config, data=data)
    item = items[report.nodeid]
    if report.when == "setup":
        worker.started = report.nodeid
        item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    item.ihook.pytest_runtest_logreport(report=report)
    if report.when == "teardown":
        worker.started = None
        worker.finished.add(report.nodeid)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


def report_crash(config, item, worker):
    worker.finished.add(item.nodeid)
    report = pytest.TestReport(
        item.nodeid, item.location, {}, "failed",
        f"the worker process running this test exited with status {worker.process.returncode}"
        f"; its last output:\n{worker.output_tail()}",
        "call",
    )
    item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


class WorkerSide:
    """In a worker: sends each report to the session's process, and stops after a test
    when the process has grown by more than its allowance since its first test."""

    def __init__(self, config):
        self.config = config
        self.channel = os.fdopen(int(os.environ[REPORTS_FD]), "w")
        self.growth = int(os.environ[MEMORY_GROWTH])
        self.baseline = None

    def pytest_runtest_logreport(self, report):
        data = self.config.hook.pytest_report_to_serializable(config=self.config, report=report)
        self.channel.write(json.dumps(data) + "\n")
        self.channel.flush()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if self.baseline is None:
            self.baseline = resident_megabytes()
        yield
        if nextitem is not None and resident_megabytes() - self.baseline > self.growth:
            item.session.shouldstop = "the worker outgrew its allowance; a fresh one goes on"
