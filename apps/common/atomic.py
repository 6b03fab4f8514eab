"""Outputs that appear whole or not at all: atomic folders, files and JSON."""

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from datasets.errors import InputError


@contextlib.contextmanager
def atomic_dir(path):
    """Yield an empty temporary folder beside `path`; on success it replaces `path`.

    If the body raises, the temporary folder is removed and `path` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.tmp-", dir=path.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    tmp.chmod(0o755)
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=path.parent))
        os.replace(path, old / path.name)
    os.replace(tmp, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary file name beside `path`, with its suffix, for writers that take a name.

    On success the file replaces `path`; if the body raises, it is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = "".join(path.suffixes)  # writers such as Keras check ".weights.h5", not ".h5"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.tmp-", suffix=suffix, dir=path.parent)
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
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not valid JSON ({error})") from None
