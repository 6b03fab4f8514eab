"""Raw text to tokens with character offsets, split the way tweets and news are tokenized.

URLs, @mentions, #hashtags, emoticons and numbers stay whole; English clitics split off
(`It's` → `It` `'s`, `don't` → `do` `n't`); abbreviations keep their full stop, as CoNLL-2003 and
GloVe write them (`Mr.`, `Dec.`, `U.S.`, `e.g.`, the initial in `John F. Kennedy`), so that the
stop is not read as the end of a sentence; any other punctuation mark is a token of its own.
Casing is never changed.
"""

import re
from typing import NamedTuple

# Abbreviations that take a full stop and rarely end a sentence: titles, months, days, company
# suffixes, places. Case-sensitive, so that "no." or "co." in running text stay two tokens.
ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Col", "Capt",
    "Cmdr", "Lt", "Sgt", "Maj", "Adm", "Rev", "Fr", "Gov", "Sen", "Rep", "Pres", "Hon", "Supt",
    "Insp", "Det", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
    "Inc", "Ltd", "Co", "Corp", "Bros", "Assn", "Dept", "Univ", "Ave", "Blvd", "Rd", "vs",
    "etc", "approx", "No", "Nos", "Vol", "Fig",
)

_TOKEN = re.compile(
    rf"""
      (?i:https?://|www\.)\S+                 # URL
    | [@\#]\w+                                # @mention, #hashtag
    | [:;=8][\-o*']?[)\](\[dDpP/\\|@3]        # emoticon
    | \b(?:[^\W\d_]\.){{2,}}                  # U.S., e.g., J.R.R.
    | \b(?:{"|".join(ABBREVIATIONS)})\.       # Mr., Dec., Inc.
    | \b[^\W\d_]\.(?=[ \t]+[^\W\d_])          # an initial before a name: John F. Kennedy
    | \w+(?=(?i:n't)\b)                       # "do" of "don't"
    | (?i:n't)\b
    | '(?i:s|m|d|ll|re|ve)\b                  # clitic
    | \d+(?:[.,:/]\d+)*                       # number, time, date
    | \w+(?:-\w+|'(?!(?i:s|m|d|ll|re|ve)\b)\w+)*  # word, well-known, O'Brien
    | \.{{2,}}|[!?]{{2,}}                     # ellipsis, "?!!"
    | \S                                      # any other single character
    """,
    re.VERBOSE,  # case-sensitive but for the (?i:…) parts: "DON'T" splits, "no." does not
)


class Token(NamedTuple):
    """A token and its `[start, end)` character offsets into the text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
