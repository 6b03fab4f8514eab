"""What `tag` reads, bounded: lines from the arguments or stdin, streamed, and whole documents.

Limits: a line (one text) at most `MAX_LINE_CHARS` characters; a `--file` document at most
`MAX_FILE_BYTES` bytes; stdin has no total limit, as it is read a line at a time. Bytes that are
not UTF-8 are read as U+FFFD, and a warning line on stderr says so once per input.
"""

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from apps.tagger.tagger import MAX_TEXT_CHARS
from datasets.errors import InputError
from datasets.text import open_input

MAX_LINE_CHARS = MAX_TEXT_CHARS
MAX_FILE_BYTES = MAX_TEXT_CHARS


class Decoder:
    """UTF-8 with replacement, warning once on stderr where it first had to replace."""

    def __init__(self, name: str, prog: str):
        self.name, self.prog = name, prog
        self.warned = False

    def __call__(self, data: bytes, line: int | None = None) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            if not self.warned:
                where = f"{self.name}, line {line}" if line else self.name
                print(f"{self.prog}: warning: {where} is not UTF-8 (byte {error.start}); "
                      "undecodable bytes are read as U+FFFD", file=sys.stderr)
                self.warned = True
            return data.decode("utf-8", errors="replace")


def stream_lines(stream, name: str, prog: str) -> Iterator[str]:
    """The lines of a binary stream, decoded, without their line ends; one longer than
    `MAX_LINE_CHARS` characters stops the reading with an InputError."""
    decode = Decoder(name, prog)
    number = 0
    while True:
        # Up to 4 bytes a character; one byte more tells an overlong line from a full one.
        data = stream.readline(4 * MAX_LINE_CHARS + 1)
        if not data:
            return
        number += 1
        line = decode(data, number).rstrip("\r\n")
        if len(line) > MAX_LINE_CHARS or (len(data) > 4 * MAX_LINE_CHARS):
            raise InputError(f"{name}, line {number}: longer than {MAX_LINE_CHARS:,} characters; "
                             "split it into lines")
        yield line


def argument_lines(texts: Iterable[str]) -> Iterator[str]:
    for number, text in enumerate(texts, start=1):
        for line in text.splitlines():
            if len(line) > MAX_LINE_CHARS:
                raise InputError(f"argument {number}: longer than {MAX_LINE_CHARS:,} characters")
            yield line


def file_lines(path: Path, prog: str) -> Iterator[str]:
    with open_input(path) as stream:
        yield from stream_lines(stream, str(path), prog)


def read_document(path: Path, prog: str) -> str:
    """A whole file as one text, at most `MAX_FILE_BYTES` bytes."""
    with open_input(path) as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes, the limit of one "
                         "document; split it, or pipe its lines to stdin")
    return Decoder(str(path), prog)(data).replace("\r\n", "\n")

