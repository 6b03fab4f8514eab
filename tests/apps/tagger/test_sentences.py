import pytest

from apps.tagger.sentences import MAX_SENTENCE_TOKENS, pieces, split_sentences
from apps.tagger.tokenize import tokenize


def sentences(text):
    tokens = tokenize(text)
    return [" ".join(t.text for t in tokens[a:b]) for a, b in split_sentences(text, tokens)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He moved to Cupertino. Google is based there",
         ["He moved to Cupertino .", "Google is based there"]),
        ("Mr. Smith met Dr. Jones in the U.S. on Dec. 5. They talked.",
         ["Mr. Smith met Dr. Jones in the U.S. on Dec. 5 .", "They talked ."]),
        ("John F. Kennedy flew to Dallas. J.R.R. Tolkien wrote.",
         ["John F. Kennedy flew to Dallas .", "J.R.R. Tolkien wrote ."]),
        ('She said "Stop." Then she ran!', ['She said " Stop . "', "Then she ran !"]),
        ("Really?! 3 people came... and left.", ["Really ?!", "3 people came ... and left ."]),
        ("e.g. apples, i.e. fruit. Fine", ["e.g. apples , i.e. fruit .", "Fine"]),
        ("first part\n\nsecond part\nsame part", ["first part", "second part same part"]),
        ("no punctuation at all here", ["no punctuation at all here"]),
        ("", []),
    ],
)
def test_sentences_end_at_full_stops_but_not_after_abbreviations(text, expected):
    assert sentences(text) == expected


def test_what_the_splitter_does_not_handle_is_as_documented():
    # An abbreviation at the end of a sentence does not end it.
    assert sentences("She moved to the U.S. Then she left.") == [
        "She moved to the U.S. Then she left ."
    ]


def test_spans_cover_every_token_once():
    text = "A b. C d! E f? G (h). I"
    tokens = tokenize(text)
    spans = split_sentences(text, tokens)
    assert spans[0][0] == 0 and spans[-1][1] == len(tokens)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


@pytest.mark.parametrize("length", [1, 199, 200, 201, 450, 10_000])
def test_pieces_are_consecutive_and_never_longer_than_the_limit(length):
    parts = pieces(5, 5 + length)
    assert parts[0][0] == 5 and parts[-1][1] == 5 + length
    assert all(parts[i][1] == parts[i + 1][0] for i in range(len(parts) - 1))
    assert all(0 < b - a <= MAX_SENTENCE_TOKENS for a, b in parts)
    assert len(parts) == -(-length // MAX_SENTENCE_TOKENS)
