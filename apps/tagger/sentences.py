"""Raw text to sentences, so that no entity crosses a full stop, and overlong sentences to pieces.

A sentence ends after a `.`, `!`, `?`, `…` or `...` token (with any closing quotes or brackets
that follow it) when the next token starts with a capital letter, a digit or an opening quote or
bracket; and at a blank line (a paragraph break). The tokenizer keeps the full stop of an
abbreviation inside its token (`Mr.`, `U.S.`, `Dec.`, `e.g.`, an initial such as `F.` in "John
F. Kennedy"), so those never end a sentence.

What it does not handle: an abbreviation that does end a sentence ("She moved to the U.S. Then
…" stays one sentence), an initial-like capital before a name ("Plan B. Then" is read as an
initial), a sentence that starts in lower case after a full stop ("… fine. and then" stays one),
and text without punctuation (one line of chat is one sentence).
"""

import re
from collections.abc import Sequence

from apps.tagger.tokenize import Token

# A sentence longer than this is tagged in pieces (the model has seen nothing near it: CoNLL-2003's
# longest sentence has 124 tokens), which keeps memory bounded whatever the input.
MAX_SENTENCE_TOKENS = 200

_END = re.compile(r"[.!?…]+")
_CLOSING = frozenset("\"')]}»”’")
_OPENING = frozenset("\"'([{«“‘")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


def _starts_sentence(token: str) -> bool:
    first = token[0]
    return first.isupper() or first.isdigit() or first in _OPENING


def split_sentences(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """`[start, end)` token ranges of the sentences of `text`, whose `tokens` are given."""
    spans, start, i, n = [], 0, 0, len(tokens)
    while i < n:
        end = i + 1
        if _END.fullmatch(tokens[i].text):
            while end < n and tokens[end].text in _CLOSING and _touches(tokens, end):
                end += 1
            boundary = end < n and (
                _starts_sentence(tokens[end].text) or _paragraph_before(text, tokens, end)
            )
        else:
            boundary = end < n and _paragraph_before(text, tokens, end)
        if boundary:
            spans.append((start, end))
            start = end
        i = end
    if start < n:
        spans.append((start, n))
    return spans


def _touches(tokens: Sequence[Token], i: int) -> bool:
    """Whether token i follows token i − 1 without a space: a closing quote, not an opening one."""
    return tokens[i].start == tokens[i - 1].end


def _paragraph_before(text: str, tokens: Sequence[Token], i: int) -> bool:
    return _PARAGRAPH.search(text, tokens[i - 1].end, tokens[i].start) is not None


def pieces(start: int, end: int, limit: int = MAX_SENTENCE_TOKENS) -> list[tuple[int, int]]:
    """`[start, end)` cut into consecutive ranges of at most `limit` tokens, of near-equal size."""
    count = -(-(end - start) // limit)
    if count <= 1:
        return [(start, end)]
    bounds = [start + round(k * (end - start) / count) for k in range(count + 1)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))
