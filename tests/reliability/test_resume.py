"""`--resume` continues only the run its checkpoints belong to, and a damaged or planted
checkpoint file is one line, never a traceback, never code run."""

import json

import numpy as np
import pytest

from apps.common.checkpoints import WEIGHTS, latest
from tests.reliability.conftest import copy_model, dinos_args
from tests.reliability.helpers import Planted, assert_one_line_error, model_files, run_app


def resume(names_file, out, *changed):
    return run_app("dinos", "train", *dinos_args(names_file), *changed, "--out", out, "--resume")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--units", "16"], "units 8 → 16"),
        (["--cell", "gru"], 'cell "lstm" → "gru"'),
        (["--seed", "3"], "seed 0 → 3"),
    ],
    ids=["units", "cell", "seed"],
)
def test_resume_with_other_settings_is_refused_naming_them(
    flags, message, dinos_model, names_file, tmp_path
):
    out = copy_model(dinos_model, tmp_path)
    before = model_files(out)
    result = resume(names_file, out, *flags)
    assert_one_line_error(result, "--resume", "settings differ", message, status=2)
    assert model_files(out) == before


@pytest.mark.slow
def test_resume_on_changed_data_is_refused(names_file, tmp_path):
    data = tmp_path / "names.txt"
    data.write_text(names_file.read_text(), encoding="utf-8")
    out = tmp_path / "model"
    assert run_app("dinos", "train", *dinos_args(data), "--out", out).returncode == 0
    with data.open("a", encoding="utf-8") as handle:
        handle.write("zuniceratops\n")
    result = resume(data, out)
    assert_one_line_error(result, "--resume", "training data differ", status=2)


def test_resume_on_another_file_is_refused_naming_it(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(names_file.read_text(), encoding="utf-8")
    result = resume(names_file, out, "--data", other)  # the last --data wins
    assert_one_line_error(result, "--resume", "settings differ", "other.txt", status=2)


def test_resume_with_more_epochs_is_allowed(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    result = resume(names_file, out, "--epochs", "3")
    assert result.returncode == 0, result.stderr[-3000:]
    assert latest(out / "checkpoints").name == "epoch-000003"


def test_a_truncated_checkpoint_is_one_line(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    weights = latest(out / "checkpoints") / WEIGHTS
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    result = resume(names_file, out)
    assert_one_line_error(result, str(weights), "damaged checkpoint", status=2)


def test_a_pickle_planted_in_a_checkpoint_is_refused_and_never_run(dinos_model, names_file,
                                                                    tmp_path):
    out = copy_model(dinos_model, tmp_path)
    marker = tmp_path / "code-ran"
    states = latest(out / "checkpoints") / WEIGHTS
    np.savez(states, m0=np.array([Planted(str(marker))], dtype=object))
    assert b"code-ran" in states.read_bytes()  # it holds the pickle
    result = resume(names_file, out)
    assert_one_line_error(result, str(states), "damaged checkpoint", "allow_pickle", status=2)
    assert not marker.exists()


def test_resume_without_checkpoints_is_one_line(names_file, tmp_path):
    result = resume(names_file, tmp_path / "nothing")
    assert_one_line_error(result, "--resume: no checkpoints", status=2)


def test_resume_of_another_apps_checkpoints_is_refused(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    record = out / "checkpoints" / "run.json"
    record.write_text(json.dumps({**json.loads(record.read_text()), "app": "jazz"}))
    result = resume(names_file, out)
    assert_one_line_error(result, "checkpoints of a jazz run", status=2)
