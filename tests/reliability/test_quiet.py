"""A quiet start: a command that works prints its answer and nothing on stderr, at every call
of every app (no "Could not find cuda drivers", no oneDNN notice, no warnings)."""

import pytest

from tests.reliability.conftest import dinos_args
from tests.reliability.helpers import app_command, assert_quiet_success, run


@pytest.mark.parametrize("app", ["dinos", "jazz", "tagger"])
def test_help_is_quiet(app):
    result = run(app_command(app, "--help"))
    assert_quiet_success(result)
    assert "usage:" in result.stdout


def test_dinos_sample_is_quiet(dinos_model):
    assert_quiet_success(run(app_command("dinos", "sample", "--model", dinos_model, "--num", "3")))


@pytest.mark.slow
def test_dinos_score_is_quiet(dinos_model):
    assert_quiet_success(run(app_command("dinos", "score", "rex", "--model", dinos_model)))


@pytest.mark.slow
def test_dinos_train_is_quiet(names_file, tmp_path):
    result = run(app_command("dinos", "train", *dinos_args(names_file), "--out", tmp_path / "m"))
    assert_quiet_success(result)


@pytest.mark.slow
def test_jazz_generate_is_quiet(jazz_model, tmp_path):
    argv = ["generate", "--model", jazz_model, "--bars", "2", "--seed", "1",
            "--out", tmp_path / "solo.mid"]
    assert_quiet_success(run(app_command("jazz", *argv)))


@pytest.mark.slow
def test_tagger_tag_is_quiet(tagger_model):
    argv = ["tag", "--model", tagger_model, "Harry Potter and Hermione Granger"]
    assert_quiet_success(run(app_command("tagger", *argv)))
