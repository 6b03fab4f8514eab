"""`from apps.tagger import Tagger`: the library API, its results and its refusals."""

import json
import math

import pytest

from apps.tagger import Entity, Tagger
from apps.tagger.export import load_tagger
from apps.tagger.predict import predict_tags
from apps.tagger.tagger import MAX_TEXT_CHARS
from datasets.errors import InputError

from .conftest import run_cli

TEXTS = [
    "Harry Potter and Hermione Granger invented a new spell",
    "Ron flew to London. Albus Dumbledore teaches at Hogwarts. Hagrid ran",
    "  Ron  flew to LONDON ",
    "",
    "Draco flew to Hogwarts!",
]


@pytest.fixture(scope="module")
def tagger(trained_dir):
    return Tagger.load(trained_dir)


def test_entities_carry_offsets_into_the_text_and_a_probability(tagger):
    found = 0
    for text in TEXTS:
        for entity in tagger(text):
            assert isinstance(entity, Entity)
            assert text[entity.start : entity.end] == entity.text
            assert entity.type in tagger.types
            assert 0.0 <= entity.score <= 1.0
            found += 1
    assert found > 0


def test_empty_text_has_no_entities(tagger):
    assert tagger("") == []
    assert tagger("   \n ") == []


def test_entities_never_cross_a_sentence_end(tagger):
    text = "Ron flew to London. Albus Dumbledore teaches at Hogwarts. Hagrid ran"
    document = tagger.analyse([text])[0]
    assert document.sentences == [(0, 19), (20, 57), (58, 68)]
    for entity in document.entities:
        assert any(a <= entity.start and entity.end <= b for a, b in document.sentences)


def test_pipe_gives_one_list_per_text_and_the_same_as_one_call_each(tagger):
    one_by_one = [tagger(text) for text in TEXTS]
    for batch_size in (1, 2, 64):
        assert list(tagger.pipe(TEXTS, batch_size=batch_size)) == one_by_one
    assert list(tagger.pipe(iter(TEXTS))) == one_by_one


def test_tag_tokens_takes_tokens_as_given_and_matches_the_served_graph(tagger, trained_dir):
    sentences = [["Harry", "Potter", "flies"], ["Ron", "Weasley", "lives", "in", "Ottery", "St",
                                                 "Catchpole", "."], ["Hogwarts"]]
    tagged = tagger.tag_tokens(sentences)
    server, _ = load_tagger(trained_dir)
    assert [t.tags for t in tagged] == predict_tags(server, sentences)
    for sentence, result in zip(sentences, tagged, strict=True):
        assert result.tokens == tuple(sentence)
        for entity in result.entities:
            assert entity.text == " ".join(sentence[entity.start : entity.end])
            assert 0.0 <= entity.score <= 1.0



def test_tag_tokens_without_scores_gives_the_same_tags_and_spans(tagger):
    sentences = [["Harry", "Potter", "met", "Ron", "Weasley", "in", "London"], ["Hogwarts"]]
    scored = tagger.tag_tokens(sentences)
    unscored = tagger.tag_tokens(sentences, scores=False)
    assert [t.tags for t in unscored] == [t.tags for t in scored]
    assert sum(len(t.entities) for t in scored) > 0
    for with_scores, without in zip(scored, unscored, strict=True):
        assert [e[:4] for e in without.entities] == [e[:4] for e in with_scores.entities]
        assert all(math.isnan(e.score) for e in without.entities)

def test_an_overlong_sentence_is_tagged_in_pieces(tagger):
    tokens = ["Harry", "Potter", "and", "Ron", "flew", "to", "London"] * 100
    tagged = tagger.tag_tokens([tokens])[0]
    assert len(tagged.tags) == len(tokens)
    text = " ".join(tokens)
    document = tagger.analyse([text])[0]
    assert len(document.tags) == len(document.tokens) == len(tokens)


@pytest.mark.parametrize("bad", [None, 5, b"Harry Potter", ["Harry"]])
def test_a_text_that_is_not_a_string_is_a_type_error(tagger, bad):
    with pytest.raises(TypeError, match="str"):
        tagger(bad)
    with pytest.raises(TypeError):
        list(tagger.pipe(["fine", bad]))


def test_a_huge_text_is_refused_with_its_size(tagger):
    with pytest.raises(InputError, match="at most 1,000,000"):
        tagger("a " * (MAX_TEXT_CHARS // 2 + 1))


@pytest.mark.parametrize(
    ("sentences", "error"),
    [(["Harry Potter"], TypeError), ([["Harry", None]], TypeError), ([["Harry", ""]], InputError),
     ([["Harry", " "]], InputError)],
)
def test_bad_tokens_are_refused(tagger, sentences, error):
    with pytest.raises(error):
        tagger.tag_tokens(sentences)


@pytest.mark.parametrize(("batch_size", "error"), [(0, InputError), (5000, InputError),
                                                   (2.5, TypeError), (True, TypeError)])
def test_a_batch_size_out_of_range_is_refused(tagger, batch_size, error):
    with pytest.raises(error):
        list(tagger.pipe(TEXTS, batch_size=batch_size))


def test_a_folder_that_is_not_a_tagger_is_refused_in_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.json").write_text(json.dumps({"cell": "lstm", "units": 8}))
    (other / "vocab.json").write_text(json.dumps({"chars": ["a"]}))
    (other / "facts.json").write_text("{}")
    (tmp_path / "file").write_text("x")
    for path, message in [(tmp_path / "missing", "no trained model"),
                          (tmp_path / "empty", "no trained model"),
                          (other, "not a tagger"), (tmp_path / "file", "not a model folder")]:
        with pytest.raises(InputError, match=message) as error:
            Tagger.load(path)
        assert "\n" not in str(error.value)


def test_the_command_line_gives_what_the_api_gives(tagger, trained_dir, capsys):
    status, out, _ = run_cli(["tag", "--model", trained_dir, "--format", "json", *TEXTS[:3]],
                             capsys)
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    for record, document in zip(records, tagger.analyse(TEXTS[:3]), strict=True):
        assert record["text"] == document.text
        assert record["tags"] == document.tags
        assert record["sentences"] == [list(span) for span in document.sentences]
        assert [(e["text"], e["type"], e["start"], e["end"]) for e in record["entities"]] == [
            (e.text, e.type, e.start, e.end) for e in document.entities
        ]
