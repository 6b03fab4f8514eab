import pytest

from apps.tagger.tokenize import tokenize


def texts(text):
    return [token.text for token in tokenize(text)]


def test_course_sentence_splits_on_spaces():
    assert texts("Harry Potter and Hermione Granger invented a new spell") == [
        "Harry",
        "Potter",
        "and",
        "Hermione",
        "Granger",
        "invented",
        "a",
        "new",
        "spell",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's mine", ["It", "'s", "mine"]),
        ("don't stop", ["do", "n't", "stop"]),
        ("see http://bit.ly/x?a=1 now", ["see", "http://bit.ly/x?a=1", "now"]),
        ("@paul_w loves #Denver :)", ["@paul_w", "loves", "#Denver", ":)"]),
        ("ESB=Empire State Building.", ["ESB", "=", "Empire", "State", "Building", "."]),
        ("at 10:30 , O'Brien's well-known", ["at", "10:30", ",", "O'Brien", "'s", "well-known"]),
        ("wait...", ["wait", "..."]),
        ("I DON'T know, IT'S fine", ["I", "DO", "N'T", "know", ",", "IT", "'S", "fine"]),
        ("Mr. Ng of Acme Inc. met Gen. Lee", ["Mr.", "Ng", "of", "Acme", "Inc.", "met", "Gen.",
                                              "Lee"]),
        ("the U.S. Navy, e.g. ships", ["the", "U.S.", "Navy", ",", "e.g.", "ships"]),
        ("John F. Kennedy", ["John", "F.", "Kennedy"]),
        ("say no. Then co. go", ["say", "no", ".", "Then", "co", ".", "go"]),
    ],
)
def test_tweet_tokens_stay_whole_and_clitics_split(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text", ["  Ünïcode  café,  naïve!  ", "a\tb  c", "", "日本 語"])
def test_offsets_point_back_into_the_text(text):
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
    assert "".join(texts(text)) == "".join(text.split())
