import json

import numpy as np
import pytest

from datasets.schemes import chunks, convert

from .conftest import FIXTURE, run_cli

COURSE_SENTENCE = "Harry Potter and Hermione Granger invented a new spell"


def one_line_error(status, out, err):
    return status != 0 and out == "" and len(err.strip().splitlines()) == 1


def test_evaluate_json_has_the_documented_keys(trained_dir, capsys):
    status, out, _ = run_cli(
        ["evaluate", "--data", FIXTURE, "--model", trained_dir, "--json"], capsys
    )
    scores = json.loads(out)
    assert status == 0
    assert set(scores) == {"precision", "recall", "f1", "per_type"}
    assert set(scores["per_type"]) <= {"PER", "LOC", "ORG"}
    assert all(0.0 <= scores[key] <= 1.0 for key in ("precision", "recall", "f1"))


def test_tag_json_keeps_casing_and_gives_entity_offsets(trained_dir, capsys):
    text = "  Ron  flew to LONDON "
    status, out, _ = run_cli(
        ["tag", "--model", trained_dir, "--format", "json", COURSE_SENTENCE, text], capsys
    )
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [r["text"] for r in records] == [COURSE_SENTENCE, text]
    assert records[1]["tokens"] == ["Ron", "flew", "to", "LONDON"]
    for record in records:
        assert set(record) == {"text", "tokens", "tags", "entities"}
        assert len(record["tags"]) == len(record["tokens"])
        for entity in record["entities"]:
            assert set(entity) == {"text", "type", "start", "end"}
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]


def test_tag_reads_stdin_one_sentence_per_line_as_conll(trained_dir, capsys, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", __import__("io").StringIO(f"{COURSE_SENTENCE}\n\nHagrid ran\n")
    )
    status, out, _ = run_cli(["tag", "--model", trained_dir], capsys)
    blocks = out.strip("\n").split("\n\n")
    assert status == 0
    assert [len(block.splitlines()) for block in blocks] == [9, 2]
    assert [line.split("\t")[0] for line in blocks[1].splitlines()] == ["Hagrid", "ran"]


def test_evaluate_without_data_scores_the_embedded_test_split_per_source(trained_dir, capsys):
    from datasets.ner import SOURCES, split_ner

    status, out, _ = run_cli(["evaluate", "--model", trained_dir, "--json"], capsys)
    scores = json.loads(out)
    assert status == 0
    assert set(scores["per_source"]) == set(SOURCES)
    test = split_ner(0).test
    for source, row in scores["per_source"].items():
        gold = sum(r["support"] for r in row["per_type"].values())
        assert gold == sum(
            len(chunks(s.tags)) for s in test if s.source == source
        )


@pytest.mark.slow
@pytest.mark.parametrize("decoder", ["crf", "softmax"])
def test_binary_model_tags_ones_and_zeros(tmp_path, capsys, decoder):
    out_dir = tmp_path / "binary"
    argv = ["train", "--train", FIXTURE, "--binary", "--decoder", decoder, "--vectors", "none",
            "--units", "4", "--epochs", "1", "--out", out_dir]
    assert run_cli(argv, capsys)[0] == 0
    status, out, _ = run_cli(
        ["tag", "--model", out_dir, "--format", "json", COURSE_SENTENCE], capsys
    )
    record = json.loads(out)
    assert status == 0
    assert len(record["tags"]) == 9 and set(record["tags"]) <= {"0", "1"}
    assert all(entity["type"] == "person" for entity in record["entities"])


@pytest.mark.slow
def test_softmax_decoder_without_vectors_tags_well_formed_sequences(tmp_path, capsys):
    out_dir = tmp_path / "softmax"
    argv = ["train", "--train", FIXTURE, "--decoder", "softmax", "--vectors", "none",
            "--units", "4", "--epochs", "2", "--out", out_dir]
    assert run_cli(argv, capsys)[0] == 0
    assert json.loads((out_dir / "config.json").read_text())["decoder"] == "softmax"
    status, out, _ = run_cli(["tag", "--model", out_dir, "--format", "json", COURSE_SENTENCE,
                              "Ron flew to London"], capsys)
    assert status == 0
    for record in map(json.loads, out.splitlines()):
        assert convert(record["tags"], "iob2") == record["tags"]
    # A config.json written before --vectors and --decoder existed describes such a model.
    config_path = out_dir / "config.json"
    config = json.loads(config_path.read_text())
    for key in ("vectors", "glove_words", "decoder", "casing_share"):
        del config[key]
    config_path.write_text(json.dumps(config))
    (out_dir / "manifest.json").unlink()  # nor had such a folder a manifest
    status, again, _ = run_cli(["tag", "--model", out_dir, "--format", "json", COURSE_SENTENCE,
                                "Ron flew to London"], capsys)
    assert status == 0 and again == out


def test_malformed_conll_line_is_one_line_naming_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.conll"
    bad.write_text("Harry B-PER\nPotter\n", encoding="utf-8")
    status, out, err = run_cli(["train", "--train", bad, "--out", tmp_path / "m"], capsys)
    assert one_line_error(status, out, err)
    assert "bad.conll, line 2" in err


def test_unknown_scheme_is_one_line(tmp_path, capsys):
    status, out, err = run_cli(["train", "--scheme", "bilou", "--out", tmp_path], capsys)
    assert one_line_error(status, out, err)
    assert "bilou" in err


def test_tags_outside_the_given_scheme_are_one_line(tmp_path, capsys):
    bioes = tmp_path / "bioes.conll"
    bioes.write_text("Harry S-PER\nflies O\n\nRon S-PER\n", encoding="utf-8")
    status, out, err = run_cli(
        ["train", "--train", bioes, "--scheme", "iob2", "--out", tmp_path / "m"], capsys
    )
    assert one_line_error(status, out, err)
    assert "S-PER" in err and "line 1" in err


def test_empty_input_to_tag_is_one_line(trained_dir, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("\n  \n"))
    status, out, err = run_cli(["tag", "--model", trained_dir], capsys)
    assert one_line_error(status, out, err)
    assert "no text to tag" in err


def test_empty_conll_file_is_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.conll"
    empty.write_text("\n", encoding="utf-8")
    status, out, err = run_cli(["train", "--train", empty, "--out", tmp_path / "m"], capsys)
    assert one_line_error(status, out, err)


@pytest.mark.parametrize("verb", [["tag", "Harry"], ["evaluate", "--data", FIXTURE]])
def test_missing_model_is_one_line(tmp_path, capsys, verb):
    status, out, err = run_cli([*verb, "--model", tmp_path / "nothing"], capsys)
    assert one_line_error(status, out, err)
    assert "no trained model here" in err


@pytest.mark.slow
def test_resumed_training_ends_where_an_uninterrupted_run_ends(tmp_path, capsys):
    from apps.tagger.export import load_tagger

    common = ["train", "--train", FIXTURE, "--units", "4"]
    assert run_cli([*common, "--epochs", "2", "--out", tmp_path / "straight"], capsys)[0] == 0
    assert run_cli([*common, "--epochs", "1", "--out", tmp_path / "resumed"], capsys)[0] == 0
    argv = [*common, "--epochs", "2", "--resume", "--out", tmp_path / "resumed"]
    assert run_cli(argv, capsys)[0] == 0
    tokens = np.array([COURSE_SENTENCE.split()], dtype=object)
    straight, resumed = (
        np.asarray(load_tagger(tmp_path / name)[0].tagger(tokens))
        for name in ("straight", "resumed")
    )
    np.testing.assert_allclose(straight, resumed, atol=1e-6)
