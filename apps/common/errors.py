"""The exception for a run that failed on good input (the command line exits 1), and operating-
system errors that TensorFlow reports as its own."""

import contextlib
import errno
import os

# The reasons the operating system gives, as TensorFlow's errors quote them in their message.
_REASONS = {
    os.strerror(code): code
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                 errno.EISDIR, errno.ENOTDIR, errno.EIO, errno.EFBIG)
}


class TrainingError(Exception):
    """Training stopped without a usable model (the loss became NaN), described in one line."""


def os_error(error):
    """The `OSError` behind `error`: itself, or one rebuilt from a TensorFlow error whose
    message quotes an operating-system reason ("No space left on device", …); None for
    anything else (a bug keeps its traceback)."""
    if isinstance(error, OSError):
        return error
    message = str(error)
    for reason, code in _REASONS.items():
        if reason in message:
            return OSError(code, reason)
    return None


@contextlib.contextmanager
def writing(path, what):
    """Turn an operating-system failure in the body (a full or read-only disk) into an
    `OSError` naming `path` that says `what` could not be written (`writing_error`), not a
    traceback from the library that wrote."""
    try:
        yield
    except Exception as error:
        failure = writing_error(error, path, what)
        if failure is None:
            raise
        raise failure from None


def writing_error(error, path, what):
    """An `OSError` naming `path` that says `what` could not be written and why, or None when
    `error` is not an operating-system failure."""
    found = os_error(error)
    if found is None:
        return None
    reason = found.strerror or str(found)
    return OSError(found.errno, f"cannot write {what} ({reason}); what was there is unchanged",
                   str(path))
