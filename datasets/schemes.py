"""Tag schemes for entity chunks: IOB1, IOB2 (BIO) and BIOES.

- IOB1 (CoNLL-2003's own): every token of a chunk is `I-`; `B-` only starts a chunk that directly
  follows another chunk of the same type.
- IOB2 / BIO: the first token of every chunk is `B-`, the rest `I-`.
- BIOES: `S-` for a one-token chunk, otherwise `B-`, `I-`…, `E-`.

Chunks are read with conlleval's rules, whatever the scheme, so an ill-formed `I-X` that follows `O`
or another type simply starts a chunk; converting a sequence to its own scheme therefore repairs it.
A chunk is `(type, start, end)` with `end` exclusive.
"""

from collections.abc import Iterable, Sequence

from datasets.errors import InputError

SCHEMES = ("iob1", "iob2", "bioes")
_PREFIXES = {"iob1": {"B", "I", "O"}, "iob2": {"B", "I", "O"}, "bioes": {"B", "I", "E", "S", "O"}}


def split_tag(tag: str) -> tuple[str, str]:
    """`"B-PER"` → `("B", "PER")`; `"O"` → `("O", "")`."""
    if tag == "O":
        return "O", ""
    prefix, _, type_ = tag.partition("-")
    return prefix, type_


def _ends_chunk(previous: str, previous_type: str, prefix: str, type_: str) -> bool:
    if previous in {"E", "S"}:
        return True
    if previous in {"B", "I"}:
        return prefix in {"B", "S", "O"} or type_ != previous_type
    return False


def _starts_chunk(previous: str, previous_type: str, prefix: str, type_: str) -> bool:
    if prefix in {"B", "S"}:
        return True
    if prefix in {"I", "E"}:
        return previous in {"E", "S", "O"} or type_ != previous_type
    return False


def chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The chunks of one sentence's tags, with conlleval's reading of every scheme."""
    found = []
    start = None
    previous, previous_type = "O", ""
    for position, tag in enumerate(tags):
        prefix, type_ = split_tag(tag)
        if start is not None and _ends_chunk(previous, previous_type, prefix, type_):
            found.append((previous_type, start, position))
            start = None
        if _starts_chunk(previous, previous_type, prefix, type_):
            start = position
        previous, previous_type = prefix, type_
    if start is not None:
        found.append((previous_type, start, len(tags)))
    return found


def from_chunks(chunk_list: Iterable[tuple[str, int, int]], length: int, scheme: str) -> list[str]:
    """Writes non-overlapping chunks as `length` tags in `scheme`."""
    check_scheme(scheme)
    tags = ["O"] * length
    previous_end, previous_type = -1, ""
    for type_, start, end in sorted(chunk_list, key=lambda chunk: chunk[1]):
        if scheme == "bioes" and end - start == 1:
            tags[start] = f"S-{type_}"
            continue
        inside = [f"I-{type_}"] * (end - start)
        follows_same_type = start == previous_end and type_ == previous_type
        if scheme == "iob2" or scheme == "bioes" or follows_same_type:
            inside[0] = f"B-{type_}"
        if scheme == "bioes":
            inside[-1] = f"E-{type_}"
        tags[start:end] = inside
        previous_end, previous_type = end, type_
    return tags


def convert(tags: Sequence[str], scheme: str) -> list[str]:
    """The same chunks in `scheme`; ill-formed `I-` tags in the input are repaired on the way."""
    return from_chunks(chunks(tags), len(tags), scheme)


def detect_scheme(tag_sequences: Iterable[Sequence[str]]) -> str:
    """Guesses the scheme of a corpus: BIOES if `E-`/`S-` occur, IOB1 if chunks start with `I-`
    and never with a `B-` after `O`, IOB2 otherwise."""
    starts_with_inside = starts_with_begin = False
    for tags in tag_sequences:
        previous, previous_type = "O", ""
        for tag in tags:
            prefix, type_ = split_tag(tag)
            if prefix in {"E", "S"}:
                return "bioes"
            new_chunk = previous == "O" or type_ != previous_type
            if prefix == "I" and new_chunk:
                starts_with_inside = True
            if prefix == "B" and new_chunk:
                starts_with_begin = True
            previous, previous_type = prefix, type_
    return "iob1" if starts_with_inside and not starts_with_begin else "iob2"


def check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise InputError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")


def foreign_tag(tags: Iterable[str], scheme: str) -> str | None:
    """The first tag whose prefix `scheme` does not use (`E-`/`S-` in IOB), or None."""
    check_scheme(scheme)
    for tag in tags:
        if split_tag(tag)[0] not in _PREFIXES[scheme]:
            return tag
    return None
