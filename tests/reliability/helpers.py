"""What the reliability tests share: running a real command as a user would, capping its memory,
killing it at a chosen moment, a small or read-only disk, and reading a model folder byte for byte.

Every check goes through the real command line: `python -m apps.<app> …` in a fresh process
(`run`, `start`) where the process matters (a kill, memory, stderr at start-up), else the same
`main(argv)` in this process (`run_app`, seconds faster: TensorFlow is imported once). Typical
use:

    result = run_app("dinos", "score", "rex", "--model", folder)
    assert_one_line_error(result, "no trained model here")

    process = start(app_command("dinos", "train", "--out", folder))
    killed = kill_when(process, lambda: staging(folder))   # SIGKILL the moment it appears
"""

import contextlib
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from apps.common.model_folder import RUN_STATE  # the run's state beside the model, not the model

ROOT = Path(__file__).resolve().parents[2]
TEMPORARY = re.compile(r"^\..+\.(tmp|old)-\d+-")
GIB = 2**30


def environment(**extra):
    """The environment a user's shell would give: this checkout importable, TensorFlow's own
    logging level left to the apps, no cluster."""
    env = {key: value for key, value in os.environ.items() if key not in ("TF_CONFIG",)}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def app_command(app, *args):
    """`python -m apps.<app> ARGS…` with this interpreter."""
    return [sys.executable, "-m", f"apps.{app}", *map(str, args)]


@dataclass
class Result:
    """A finished command: exit status, outputs, peak resident memory and wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def error_lines(self):
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limits(memory_limit):
    def apply():
        os.setsid()  # its own process group: a kill reaches what it started too
        # Ctrl-C as at a terminal: a run started in the background (`make test &`, a CI job)
        # inherits SIGINT ignored, and Python then never raises KeyboardInterrupt.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return apply


def start(argv, *, cwd=None, env=None, memory_limit=None):
    """Start `argv` as a user would (its own process group); `memory_limit` caps its address
    space (bytes, `RLIMIT_AS`): past it, allocations fail instead of the machine swapping."""
    return subprocess.Popen(
        [str(a) for a in argv], cwd=cwd or ROOT, env=env or environment(),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=_limits(memory_limit),
    )


def finish(process, timeout=600, started=None):
    """Wait for `process` and return its `Result` (killing its group on timeout)."""
    started = started or time.monotonic()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError(
            f"{process.args[:4]} did not end within {timeout} s: {err.decode()[-2000:]}"
        ) from None
    return Result(
        process.returncode,
        (out or b"").decode("utf-8", "replace"),
        (err or b"").decode("utf-8", "replace"),
        time.monotonic() - started,
    )


def run_app(app, *args):
    """`python -m apps.<app> ARGS…` run in this process by its `main`: the `Result` of its exit
    status, stdout and stderr."""
    import importlib
    import io

    main = importlib.import_module(f"apps.{app}.__main__").main
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in args])
            status = 0
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return Result(status, out.getvalue(), err.getvalue(), time.monotonic() - started)


def run(argv, *, timeout=600, **options):
    """Run `argv` to the end (see `start`) and return its `Result` (its memory: `peak_rss`)."""
    started = time.monotonic()
    return finish(start(argv, **options), timeout, started)


def peak_rss(argv, *, timeout=600, **options):
    """`(Result, peak resident bytes of this command alone)`, measured from /proc while it runs
    (RUSAGE_CHILDREN would include earlier children)."""
    started = time.monotonic()
    process = start(argv, **options)
    peak = 0
    while process.poll() is None and time.monotonic() - started < timeout:
        peak = max(peak, group_rss(process.pid))
        time.sleep(0.05)
    return finish(process, timeout, started), peak


def group_rss(pgid):
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # the fifth field, after pid and comm: the group
                continue
            rss_pages = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += rss_pages * os.sysconf("SC_PAGE_SIZE")
    return total


def kill_when(process, condition, *, sig=signal.SIGKILL, timeout=600, poll=0.002):
    """Send `sig` to the process group the moment `condition()` holds; True if it was sent,
    False if the process ended first (then the moment never came)."""
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        if condition():
            os.killpg(process.pid, sig)
            return True
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError(f"{process.args[:4]}: the moment never came in {timeout} s")
        time.sleep(poll)
    return False


def assert_one_line_error(result, *fragments, status=None):
    """A failure a user can read: a non-zero exit, one line on stderr holding every fragment,
    and no traceback."""
    assert result.returncode != 0, result.stdout[-500:]
    if status is not None:
        assert result.returncode == status, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(result.error_lines) == 1, result.stderr[-3000:]
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def assert_quiet_success(result):
    """Exit 0 with nothing on stderr: the answer alone."""
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == "", result.stderr[-3000:]


# -- Model folders, byte for byte -------------------------------------------------------------


def model_files(folder):
    """{relative path: SHA-256} of every file of a model folder, the run's state left out."""
    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and rel.parts[0] not in RUN_STATE:
            files[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def temporaries(parent):
    """The temporary files and folders writers left in `parent`."""
    return sorted(p.name for p in Path(parent).iterdir() if TEMPORARY.match(p.name))


def staging(folder):
    """The temporary folders beside `folder` in which a new model is being written."""
    folder = Path(folder)
    prefix = f".{folder.name}.tmp-"
    return [p for p in folder.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()]


# -- Disks that fill up or cannot be written ------------------------------------------------------


def can_mount():
    """Whether this machine lets an unprivileged user namespace mount a tmpfs (`unshare -rm`)."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"],
        capture_output=True, timeout=30,
    )
    return probe.returncode == 0


def on_small_disk(argv, *, folder, size, seed=None, read_only=False, timeout=600):
    """Run `argv` with `folder` on a tmpfs of `size` bytes (read-only with `read_only`), in a
    private mount namespace (`unshare -rm`, no privileges needed), holding a copy of `seed`
    (a folder) first. Returns `(Result, files, peak)`: `files` is `model_files` of `folder`
    after the command, read before the tmpfs goes away, plus the names of its temporaries
    under the key "temporaries"; `peak` the most bytes the disk held while it ran.
    """
    folder = Path(folder)
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "report.json"
        driver = (
            "import json, os, subprocess, sys, threading, time\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "from pathlib import Path\n"
            "from tests.reliability.helpers import model_files, temporaries\n"
            f"folder = Path({str(folder)!r})\n"
            "peak, done = [0], []\n"
            "def used():\n"
            "    s = os.statvfs(folder.parent)\n"
            "    return (s.f_blocks - s.f_bfree) * s.f_frsize\n"
            "def watch():\n"
            "    while not done:\n"
            "        peak[0] = max(peak[0], used())\n"
            "        time.sleep(0.002)\n"
            "threading.Thread(target=watch, daemon=True).start()\n"
            f"result = subprocess.run({[str(a) for a in argv]!r}, capture_output=True)\n"
            "done.append(True)\n"
            "files = model_files(folder) if folder.is_dir() else {}\n"
            "files['temporaries'] = temporaries(folder.parent)\n"
            f"Path({str(report)!r}).write_text(json.dumps({{'rc': result.returncode, "
            "'out': result.stdout.decode('utf-8', 'replace'), 'peak': max(peak[0], used()), "
            "'err': result.stderr.decode('utf-8', 'replace'), 'files': files}))\n"
        )
        mount = folder.parent
        script = (
            f"mount -t tmpfs -o size={size} tmpfs {mount} && "
            + (f"cp -a {seed} {folder} && " if seed is not None else "")
            + (f"mount -o remount,ro {mount} && " if read_only else "")
            + f"exec {sys.executable} -c \"$DRIVER\""
        )
        mount.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        process = subprocess.run(
            ["unshare", "-rm", "sh", "-c", script], env=environment(DRIVER=driver),
            capture_output=True, timeout=timeout, cwd=ROOT,
        )
        assert process.returncode == 0 and report.exists(), process.stderr.decode()[-3000:]
        import json

        data = json.loads(report.read_text())
    result = Result(data["rc"], data["out"], data["err"], time.monotonic() - started)
    return result, data["files"], data["peak"]


@contextlib.contextmanager
def unwritable(folder):
    """`folder` made read-only for the body (chmod; root ignores it, so skip there)."""
    import pytest

    if os.geteuid() == 0:
        pytest.skip("root writes through file modes; the tmpfs test covers read-only disks")
    folder = Path(folder)
    mode = folder.stat().st_mode
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(mode)


class Planted:
    """Pickled, it opens `marker` for writing when loaded: a file left there is proof that a
    reader ran code from the pickle."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))
