import io
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
        assert set(record) == {"text", "tokens", "tags", "entities", "sentences"}
        assert len(record["tags"]) == len(record["tokens"])
        for entity in record["entities"]:
            assert set(entity) == {"text", "type", "start", "end", "score"}
            assert record["text"][entity["start"] : entity["end"]] == entity["text"]
            assert 0.0 <= entity["score"] <= 1.0
    assert records[1]["sentences"] == [[2, 21]]


def test_tag_reads_stdin_one_sentence_per_line_as_conll(trained_dir, capsys, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO(f"{COURSE_SENTENCE}\n\nHagrid ran\n".encode()))
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
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\n  \n")))
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
    # A run cut short keeps its checkpoints; here, one that ended well keeps them on request.
    assert not (tmp_path / "straight" / "checkpoints").exists()
    resumed = tmp_path / "resumed"
    argv = [*common, "--epochs", "1", "--keep-checkpoints", "--out", resumed]
    assert run_cli(argv, capsys)[0] == 0
    assert (resumed / "checkpoints").is_dir()
    argv = [*common, "--epochs", "2", "--resume", "--out", resumed]
    assert run_cli(argv, capsys)[0] == 0
    tokens = np.array([COURSE_SENTENCE.split()], dtype=object)
    straight, resumed = (
        np.asarray(load_tagger(tmp_path / name)[0].tagger(tokens))
        for name in ("straight", "resumed")
    )
    np.testing.assert_allclose(straight, resumed, atol=1e-6)


def test_tag_file_is_one_document_split_into_sentences(trained_dir, tmp_path, capsys):
    document = tmp_path / "story.txt"
    document.write_text("Ron flew to London. Hagrid ran\nto Hogwarts.\n\nDraco stayed", "utf-8")
    status, out, _ = run_cli(
        ["tag", "--model", trained_dir, "--format", "json", "--file", document], capsys
    )
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert record["file"] == str(document)
    assert record["text"] == document.read_text("utf-8")
    assert [record["text"][a:b] for a, b in record["sentences"]] == [
        "Ron flew to London.", "Hagrid ran\nto Hogwarts.", "Draco stayed"
    ]
    status, out, _ = run_cli(["tag", "--model", trained_dir, "--file", document], capsys)
    assert out.count("\n\n") == 3


def test_tag_tokenized_keeps_the_tokens_given(trained_dir, capsys, monkeypatch):
    line = "Ron  Weasley flew to St.Catchpole"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"{line}\n".encode())))
    status, out, _ = run_cli(
        ["tag", "--model", trained_dir, "--format", "json", "--tokenized"], capsys
    )
    record = json.loads(out)
    assert status == 0
    assert record["tokens"] == ["Ron", "Weasley", "flew", "to", "St.Catchpole"]
    for entity in record["entities"]:
        assert line[entity["start"] : entity["end"]] == entity["text"]


def test_non_utf8_stdin_is_read_with_replacement_and_one_warning(trained_dir, capsys, monkeypatch):
    data = b"Ron flew to London\n" + b"\xff\xfeH\x00i\x00\n" + b"Paris \xe9t\xe9\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, err = run_cli(["tag", "--model", trained_dir, "--format", "json"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert len(records) == 3 and "\ufffd" in records[1]["text"]
    assert err.count("\n") == 1 and "stdin, line 2 is not UTF-8" in err


def test_an_overlong_line_is_one_line_error(trained_dir, capsys, monkeypatch):
    from apps.tagger.reading import MAX_LINE_CHARS

    data = b"a" * (MAX_LINE_CHARS + 5) + b"\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, err = run_cli(["tag", "--model", trained_dir], capsys)
    assert one_line_error(status, out, err)
    assert "stdin, line 1: longer than 1,000,000 characters" in err


@pytest.mark.parametrize("problem", ["too large", "missing", "folder"])
def test_a_bad_document_is_one_line_error(trained_dir, tmp_path, capsys, problem):
    from apps.tagger.reading import MAX_FILE_BYTES

    path = tmp_path / "doc.txt"
    if problem == "too large":
        path.write_bytes(b"Ron flew. " * (MAX_FILE_BYTES // 10 + 1))
    elif problem == "folder":
        path.mkdir()
    status, out, err = run_cli(["tag", "--model", trained_dir, "--file", path], capsys)
    assert one_line_error(status, out, err)
    assert str(path) in err


def test_text_and_file_together_is_one_line_error(trained_dir, tmp_path, capsys):
    status, out, err = run_cli(["tag", "--model", trained_dir, "--file", tmp_path, "Ron"], capsys)
    assert one_line_error(status, out, err)


@pytest.mark.parametrize("flag", [["--batch-size", "0"], ["--batch-size", "5000"],
                                  ["--format", "xml"]])
def test_out_of_range_tag_flags_are_one_line(trained_dir, capsys, flag):
    status, out, err = run_cli(["tag", "--model", trained_dir, *flag, "Ron"], capsys)
    assert one_line_error(status, out, err)


def test_evaluate_types_keeps_only_the_types_named(trained_dir, capsys):
    status, out, _ = run_cli(["evaluate", "--data", FIXTURE, "--model", trained_dir, "--json",
                              "--types", "PER"], capsys)
    assert status == 0
    assert set(json.loads(out)["per_type"]) <= {"PER"}


def test_evaluate_map_renames_the_files_types(trained_dir, tmp_path, capsys):
    renamed = tmp_path / "renamed.conll"
    text = FIXTURE.read_text("utf-8")
    renamed.write_text(text.replace("-PER", "-person").replace("-LOC", "-location"), "utf-8")
    plain = run_cli(["evaluate", "--data", FIXTURE, "--model", trained_dir, "--json"], capsys)
    mapped = run_cli(["evaluate", "--data", renamed, "--model", trained_dir, "--json",
                      "--map", "person=PER,location=LOC"], capsys)
    assert plain[0] == mapped[0] == 0
    assert json.loads(plain[1]) == json.loads(mapped[1])


def test_evaluate_with_no_type_in_common_is_one_line_instead_of_zeros(trained_dir, tmp_path,
                                                                       capsys):
    foreign = tmp_path / "foreign.conll"
    foreign.write_text("Acme B-corporation\nsells O\n\nParis B-location\n", "utf-8")
    status, out, err = run_cli(["evaluate", "--data", foreign, "--model", trained_dir], capsys)
    assert one_line_error(status, out, err)
    assert "none in common" in err and "--map" in err


@pytest.mark.parametrize("flags", [["--map", "person"], ["--map", "a=B-X"], ["--types", ","],
                                   ["--types", "GPE"]])
def test_bad_types_or_map_are_one_line(trained_dir, capsys, flags):
    status, out, err = run_cli(["evaluate", "--data", FIXTURE, "--model", trained_dir, *flags],
                               capsys)
    assert one_line_error(status, out, err)


def test_a_long_gold_sentence_is_scored_in_pieces(trained_dir, tmp_path, capsys):
    long = tmp_path / "long.conll"
    long.write_text("Harry B-PER\nPotter I-PER\nflies O\n" * 500, "utf-8")
    status, out, _ = run_cli(["evaluate", "--data", long, "--model", trained_dir, "--json"],
                             capsys)
    assert status == 0
    assert json.loads(out)["per_type"]["PER"]["support"] == 500


@pytest.mark.slow
def test_the_same_seed_trains_to_the_same_scores(trained_dir, tmp_path, capsys):
    argv = ["train", "--train", FIXTURE, "--units", "8", "--epochs", "2", "--glove-words", "2000",
            "--out", tmp_path / "again"]
    assert run_cli(argv, capsys)[0] == 0
    scores = [
        run_cli(["evaluate", "--data", FIXTURE, "--model", model, "--json"], capsys)[1]
        for model in (trained_dir, tmp_path / "again")
    ]
    assert scores[0] == scores[1]
