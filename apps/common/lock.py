"""One run at a time per output folder: a lock file beside it, held while the run writes there."""

import contextlib
import errno
import fcntl
import os
from pathlib import Path

from datasets.errors import InputError

_HELD = {}  # folders this process holds, so a run may take its own lock again


def lock_file(path):
    """The lock file of the output `path`: `.<name>.lock` beside it, so it outlives a swap of the
    folder itself."""
    path = Path(path)
    return path.parent / f".{path.name}.lock"


@contextlib.contextmanager
def exclusive(path):
    """Hold the lock of the output `path` for the body; another process that asks meanwhile
    gets an `InputError` at once (no waiting). The lock goes with the process, however it ends.

    Raises:
        InputError: another process holds it.
        OSError: the folder that would hold the lock file cannot be written.
    """
    key = os.path.abspath(path)
    if key in _HELD:
        yield
        return
    lock = lock_file(path)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = _acquire(lock, Path(path))
    except FileExistsError:  # a file where a folder of the path should be
        raise OSError(errno.ENOTDIR, "cannot write here (a file stands in its path: Not a "
                      "directory)", str(path)) from None
    except OSError as error:  # before any work: the folder cannot be written at all
        raise OSError(error.errno, f"cannot write here ({error.strerror})", str(path)) from None
    _HELD[key] = fd
    try:
        yield
    finally:
        del _HELD[key]
        # Unlinked before it is unlocked: a process that opened it meanwhile sees another file
        # at the path once it gets the lock, and tries again (`_acquire`).
        with contextlib.suppress(FileNotFoundError):
            lock.unlink()
        os.close(fd)


def _acquire(lock, path):
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            by = f"process {holder}" if holder.isdigit() else "another process"
            raise InputError(
                f"{path}: in use by another run ({by}); wait for it to end or choose another "
                "folder"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)
