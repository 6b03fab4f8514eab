"""Outputs that appear whole or not at all: atomic folders, files and JSON.

Every temporary name starts with ".<name>.tmp-<pid>-" (or ".old-"), beside the output it
becomes, so that a run killed half-way (SIGKILL, a power cut) leaves nothing that looks like an
output, and the next writer of the same output removes what a dead process left
(`remove_stale`).
"""

import contextlib
import ctypes
import errno
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from datasets.errors import InputError

_RENAME_EXCHANGE = 2  # renameat2 flag (Linux 3.15+): swap two paths in one step
_AT_FDCWD = -100


def _prefix(path, kind):
    return f".{Path(path).name}.{kind}-{os.getpid()}-"


def exchange(a, b):
    """Swap the paths `a` and `b` (both existing) in one atomic step; False where the system
    cannot (not Linux, an old kernel or a file system without RENAME_EXCHANGE)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    status = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)-")


def remove_stale(path):
    """Remove the temporary files and folders of `path` that a dead process left beside it.

    A replacement interrupted between its two renames (on a system without an atomic exchange)
    left `path` missing and the old version aside: it is put back first.
    """
    path = Path(path)
    _remove_stale(path.parent, path.name)


def remove_stale_in(folder):
    """`remove_stale` for every output in `folder`."""
    _remove_stale(Path(folder), None)


def _remove_stale(parent, name):
    if not parent.is_dir():
        return
    stale = []
    for entry in os.listdir(parent):
        match = _TEMPORARY.match(entry)
        if match and (name is None or match["name"] == name) and not _alive(int(match["pid"])):
            stale.append((parent / entry, match))
    for entry, match in stale:
        kept = entry / match["name"]
        target = parent / match["name"]
        if match["kind"] == "old" and kept.exists() and not target.exists():
            os.replace(kept, target)
    for entry, _ in stale:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def fsync_tree(folder):
    """Flush every file and folder under `folder` to the disk (a power cut keeps them)."""
    for root, _, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(root)


def _fsync_dir(folder):
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_dir(tmp, path, carry=()):
    """Put the folder `tmp` at `path`, replacing what is there in one step where the system
    allows it, and move the entries named in `carry` from the old folder into the new one.

    The old folder is removed only after the swap. Without an atomic exchange, the old folder
    is renamed aside first: a kill between the two renames leaves it there, and
    `remove_stale(path)` puts it back.
    """
    tmp, path = Path(tmp), Path(path)
    tmp.chmod(0o755)
    fsync_tree(tmp)
    if not path.exists() and not path.is_symlink():
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        return
    if not path.is_dir() or path.is_symlink():
        raise InputError(f"{path}: exists and is not a folder")
    if exchange(tmp, path):
        old = tmp
    else:
        aside = Path(tempfile.mkdtemp(prefix=_prefix(path, "old"), dir=path.parent))
        os.replace(path, aside / path.name)
        os.replace(tmp, path)
        old = aside / path.name
    _fsync_dir(path.parent)
    for name in carry:
        if (old / name).exists() and not (path / name).exists():
            os.replace(old / name, path / name)
    shutil.rmtree(old if old == tmp else old.parent, ignore_errors=True)


@contextlib.contextmanager
def atomic_dir(path, carry=()):
    """Yield an empty temporary folder beside `path`; on success it replaces `path`.

    If the body raises, the temporary folder is removed and `path` is left as it was. Entries
    named in `carry` (a run's checkpoints, say) move from the old folder into the new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)
    tmp = Path(tempfile.mkdtemp(prefix=_prefix(path, "tmp"), dir=path.parent))
    try:
        yield tmp
        replace_dir(tmp, path, carry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary file name beside `path`, with its suffix, for writers that take a name.

    On success the file replaces `path`; if the body raises, it is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(path)
    suffix = "".join(path.suffixes)  # writers such as Keras check ".weights.h5", not ".h5"
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path, "tmp"), suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


@contextlib.contextmanager
def atomic_file(path, mode="w", encoding="utf-8"):
    """Open a temporary file beside `path` for writing; on success it replaces `path`."""
    kwargs = {} if "b" in mode else {"encoding": encoding}
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def write_json(path, obj):
    """Write `obj` as indented JSON, atomically."""
    with atomic_file(path, "w") as handle:
        json.dump(obj, handle, indent=2, sort_keys=True, ensure_ascii=False)
        handle.write("\n")


def read_json(path):
    """Read a JSON file the project wrote; a missing or broken file is the user's to fix."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a JSON file") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not valid JSON ({error})") from None
