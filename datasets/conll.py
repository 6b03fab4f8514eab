"""CoNLL column files: one token per line, its tag in the last column, a blank line between
sentences.

The token is the first column and the tag the last, so CoNLL-2003 files (token, POS, chunk, NER)
and two-column files read the same way. Columns are split on any run of tabs or spaces. A line that
holds only whitespace ends a sentence (WNUT-16 ends them with a lone tab), and `-DOCSTART-` lines
mark document boundaries that carry no tokens.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from datasets.errors import InputError
from datasets.text import read_utf8

_DOCSTART = "-DOCSTART-"
# CoNLL-2003's training file is 3.3 MB. A file is read whole and scoring holds every sentence: 15 MB
# took 1.2 GB to evaluate, so 32 MiB stays well under 4 GB.
MAX_BYTES = 32 * 2**20
_TAG = re.compile(r"O|[BIES]-\S+")


class Sentence(NamedTuple):
    """A tagged sentence and the line of its first token (1-based) in its source."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    line: int = 0


def parse_conll(lines: Iterable[str], source: str) -> list[Sentence]:
    """Parses CoNLL lines; `source` names the input in error messages."""
    sentences = []
    tokens, tags, first_line = [], [], 0

    def close_sentence():
        if tokens:
            sentences.append(Sentence(tuple(tokens), tuple(tags), first_line))
        tokens.clear()
        tags.clear()

    for number, line in enumerate(lines, start=1):
        columns = line.split()
        if not columns:
            close_sentence()
            continue
        if columns[0] == _DOCSTART:
            close_sentence()
            continue
        if len(columns) < 2:
            raise InputError(
                f"{source}, line {number}: expected a token and a tag, got {line.strip()!r}"
            )
        tag = columns[-1]
        if not _TAG.fullmatch(tag):
            raise InputError(
                f"{source}, line {number}: tag {tag!r} is neither O nor B-, I-, E- or S- "
                "followed by a type"
            )
        if not tokens:
            first_line = number
        tokens.append(columns[0])
        tags.append(tag)
    close_sentence()
    return sentences


def read_conll(path) -> list[Sentence]:
    """Reads a UTF-8 CoNLL file; a missing, undecodable, empty or larger than `MAX_BYTES` file
    raises InputError."""
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    if size > MAX_BYTES:
        raise InputError(
            f"{path}: {size:,} bytes, more than a CoNLL file may have ({MAX_BYTES:,}); split it"
        )
    text = read_utf8(path, kind="a CoNLL file", max_bytes=MAX_BYTES)
    sentences = parse_conll(text.split("\n"), str(path))
    if not sentences:
        raise InputError(f"{path}: holds no tagged sentences")
    return sentences


def format_conll(tokens: Iterable[str], tags: Iterable[str]) -> str:
    """One sentence as CoNLL text: `token<TAB>tag` lines and a closing blank line."""
    return "".join(f"{token}\t{tag}\n" for token, tag in zip(tokens, tags, strict=True)) + "\n"
