"""Plain UTF-8 text files: running text, or one item per line (a names list).

Every read is bounded: a file larger than `MAX_FILE_BYTES` (or a device that never ends) is
refused after reading one byte more than the bound, never read whole into memory.
"""

from pathlib import Path

from datasets.errors import InputError

MAX_FILE_BYTES = 64 * 2**20


def open_input(path, kind="a text file"):
    """`path` opened to read bytes.

    Raises:
        InputError: the file is missing, a directory or unreadable; the message names it.
    """
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected {kind}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def read_utf8(path, kind="a text file", max_bytes=MAX_FILE_BYTES) -> str:
    """The text of a UTF-8 file, with Windows line ends made "\n".

    Raises:
        InputError: the file is missing, a directory, unreadable, larger than `max_bytes` or
            not UTF-8.
    """
    path = Path(path)
    with open_input(path, kind) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as error:
            raise InputError(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: larger than {max_bytes / 2**20:g} MiB, the most {kind} may be")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    # Windows line ends would otherwise add "\r" to every line and to the vocabulary.
    return text.replace("\r\n", "\n")


def read_text(path) -> str:
    """The whole text of a UTF-8 file.

    Raises:
        InputError: as `read_utf8`, or the file holds only whitespace.
    """
    text = read_utf8(path)
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text


def read_lines(path) -> list[str]:
    """The non-blank lines of a UTF-8 file, stripped of surrounding whitespace.

    Raises:
        InputError: as `read_text`.
    """
    return [line.strip() for line in read_text(path).split("\n") if line.strip()]
