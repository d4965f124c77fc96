"""A pytest plugin: the collected tests run in worker processes replaced when they grow large.

TensorFlow keeps native memory of every model a process has trained (about 40 MB for each
GoogLeNet fit, with `keras.backend.clear_session()` and no Python object left), so one
process running the whole suite grows past 6 GB. Here the session's process only collects:
`--workers N` processes (default: one per CPU core, at most two) run the test modules with
pytest and send every report back as it is made. Each worker is offered every module, the
modules with the most tests first, and claims them one at a time from this process, so
the workers keep busy until the last module whatever each one takes. A worker whose memory
has grown by more than `--worker-growth-mb` since its first test (what it imported and
collected is its own baseline: torch and TensorFlow together take 1.7 GB) stops after a
test, and a fresh process takes over its module and the unclaimed ones. Tests marked
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
ANSWERS_FD = "KERAS_DL_TEST_ANSWERS_FD"
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


def modules_by_size(items):
    """`{module path: [node ids]}`, the modules with the most tests first (so that the long
    modules start early and the short ones fill in at the end)."""
    modules = {}
    for item in items:
        modules.setdefault(str(item.path), []).append(item.nodeid)
    return dict(sorted(modules.items(), key=lambda module: -len(module[1])))


class Worker:
    """One pytest process offered `nodeids`; it claims each module before running its tests
    (the answer comes back on a second pipe), and its reports arrive as JSON lines."""

    def __init__(self, config, nodeids):
        self.started = None
        self.spoke = False  # whether it claimed a module or sent a report
        read_end, write_end = os.pipe()
        answers_read, answers_write = os.pipe()
        self.output = tempfile.TemporaryFile()
        environment = {**os.environ, REPORTS_FD: str(write_end), ANSWERS_FD: str(answers_read),
                       MEMORY_GROWTH: str(config.option.worker_growth_mb)}
        with tempfile.NamedTemporaryFile("w", suffix=".args", delete=False) as arguments:
            arguments.write("\n".join(nodeids))
        self.arguments = arguments.name
        command = [sys.executable, "-m", "pytest", "-q", f"--rootdir={config.rootpath}",
                   f"@{self.arguments}"]
        self.process = subprocess.Popen(command, env=environment,
                                        pass_fds=(write_end, answers_read),
                                        stdout=self.output, stderr=subprocess.STDOUT,
                                        cwd=config.invocation_params.dir)
        os.close(write_end)
        os.close(answers_read)
        self.reports = read_end
        self.unfinished_line = b""
        self.answers = os.fdopen(answers_write, "w")

    def messages(self):
        """The messages that have arrived (the pipe is read directly: a buffered reader
        could hold a claim the worker is waiting on); None once the worker has closed it."""
        chunk = os.read(self.reports, 1 << 16)
        if not chunk:
            return None
        *lines, self.unfinished_line = (self.unfinished_line + chunk).split(b"\n")
        if lines:
            self.spoke = True
        return [json.loads(line) for line in lines]

    def answer(self, granted):
        try:
            self.answers.write("1\n" if granted else "0\n")
            self.answers.flush()
        except BrokenPipeError:  # it died after asking
            pass

    def output_tail(self, characters=4000):
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-characters:]

    def close(self):
        self.process.wait()
        os.close(self.reports)
        try:
            self.answers.close()
        except BrokenPipeError:
            pass
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
    """Runs `test_items` in `count` workers at a time. Each worker is offered every module
    not yet claimed and claims them one at a time, so the workers finish together however
    long each module takes; a worker that stops early hands its unfinished tests (its
    claim included) to a fresh one."""
    config = session.config
    items = {item.nodeid: item for item in test_items}
    modules = modules_by_size(test_items)
    claimed = {}  # module path -> the worker running it
    finished = set()  # node ids whose teardown report has arrived
    selector = selectors.DefaultSelector()

    def start(own_modules=()):
        unclaimed = [path for path in modules if path not in claimed]
        nodeids = [nodeid for path in [*own_modules, *unclaimed] for nodeid in modules[path]
                   if nodeid not in finished]
        if not nodeids:
            return
        worker = Worker(config, nodeids)
        for path in own_modules:
            claimed[path] = worker
        selector.register(worker.reports, selectors.EVENT_READ, worker)

    for _ in range(min(count, len(modules))):
        start()
    while selector.get_map():
        for key, _ in selector.select():
            worker = key.data
            messages = worker.messages()
            if messages is not None:
                for data in messages:
                    if "claim" in data:
                        worker.answer(claimed.setdefault(data["claim"], worker) is worker)
                        continue
                    deliver(config, items, worker, data)
                    if data["when"] == "teardown":
                        finished.add(data["nodeid"])
                if session.shouldfail:  # --maxfail reached
                    for key in list(selector.get_map().values()):
                        key.data.process.kill()
                continue
            selector.unregister(worker.reports)
            worker.process.wait()
            if worker.started is not None and not session.shouldfail:  # it died in a test
                report_crash(config, items[worker.started], worker)
                finished.add(worker.started)
            if not worker.spoke and not session.shouldfail:  # a fresh one would fail alike
                raise RuntimeError("a test worker process exited before its first test; its "
                                   f"output:\n{worker.output_tail()}")
            own = [path for path, owner in claimed.items() if owner is worker
                   and any(nodeid not in finished for nodeid in modules[path])]
            worker.close()
            if not session.shouldfail:
                start(own)


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
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


def report_crash(config, item, worker):
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
        self.answers = os.fdopen(int(os.environ[ANSWERS_FD]), "r")
        self.growth = int(os.environ[MEMORY_GROWTH])
        self.baseline = None
        self.granted = {}  # module path -> whether this worker runs it
        self.left_to_others = set()  # node ids of the tests of modules another worker claimed

    def send(self, data):
        self.channel.write(json.dumps(data) + "\n")
        self.channel.flush()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        """Claims the item's module at its first test. The tests of a module another worker
        claimed are skipped before their setup, so pytest still tears down what the
        previous test set up, and their reports stay here."""
        path = str(item.path)
        if path not in self.granted:
            self.send({"claim": path})
            self.granted[path] = self.answers.readline().strip() == "1"
        if not self.granted[path]:
            self.left_to_others.add(item.nodeid)
            pytest.skip("another worker runs this module")

    def pytest_runtest_logreport(self, report):
        if report.nodeid not in self.left_to_others:
            self.send(self.config.hook.pytest_report_to_serializable(config=self.config,
                                                                     report=report))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        if self.baseline is None:
            self.baseline = resident_megabytes()
        yield
        if nextitem is not None and resident_megabytes() - self.baseline > self.growth:
            item.session.shouldstop = "the worker outgrew its allowance; a fresh one goes on"
