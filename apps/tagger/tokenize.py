"""Raw text to tokens with character offsets, split the way the WNUT-16 tweets are.

URLs, @mentions, #hashtags, emoticons and numbers stay whole; English clitics split off
(`It's` → `It` `'s`, `don't` → `do` `n't`); any other punctuation mark is a token of its own.
Casing is never changed.
"""

import re
from typing import NamedTuple

_TOKEN = re.compile(
    r"""
      (?:https?://|www\.)\S+                  # URL
    | [@\#]\w+                                # @mention, #hashtag
    | [:;=8][\-o*']?[)\](\[dDpP/\\|@3]        # emoticon
    | \w+(?=n't\b)                            # "do" of "don't"
    | n't\b
    | '(?:s|m|d|ll|re|ve)\b                   # clitic
    | \d+(?:[.,:/]\d+)*                       # number, time, date
    | \w+(?:-\w+|'(?!(?:s|m|d|ll|re|ve)\b)\w+)*  # word, well-known, O'Brien
    | \.{2,}|[!?]{2,}                         # ellipsis, "?!!"
    | \S                                      # any other single character
    """,
    re.VERBOSE | re.IGNORECASE,
)


class Token(NamedTuple):
    """A token and its `[start, end)` character offsets into the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
