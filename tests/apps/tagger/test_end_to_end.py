"""`make demo`'s tagger part, run as the demo runs it: the course's sentence must come out right."""

import pytest

COURSE_SENTENCE = "Harry Potter and Hermione Granger invented a new spell"


@pytest.mark.slow
def test_demo_models_tag_the_course_sentence(tmp_path, monkeypatch, capsys):
    from apps.__main__ import MODELS, tagger
    from apps.tagger.export import load_tagger
    from apps.tagger.predict import predict_tags

    monkeypatch.chdir(tmp_path)
    tagger([])
    capsys.readouterr()
    tokens = [COURSE_SENTENCE.split()]
    server, _ = load_tagger(tmp_path / MODELS / "tagger")
    assert predict_tags(server, tokens)[0] == [
        "B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "O", "O", "O"
    ]
    server, config = load_tagger(tmp_path / MODELS / "tagger-binary")
    assert config.binary
    assert predict_tags(server, tokens)[0] == ["1", "1", "0", "1", "1", "0", "0", "0", "0"]
