"""`train --out` asks before it destroys: the user's files, another app's model and a folder in
use by another run are refused with one line, unless --force; the model of the same app, or an
empty or missing folder, is replaced."""

import json
import time

import pytest

from tests.reliability.conftest import copy_model, dinos_args
from tests.reliability.helpers import (
    app_command,
    assert_one_line_error,
    finish,
    model_files,
    run,
    run_app,
    start,
)


def train(names_file, out, *extra):
    return run_app("dinos", "train", *dinos_args(names_file), "--out", out, *extra)


def test_a_folder_holding_the_users_files_is_refused_and_kept(names_file, tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious", encoding="utf-8")
    (out / "figures").mkdir()
    result = train(names_file, out)
    assert_one_line_error(result, str(out), "chapter1.tex, figures", "--force", status=2)
    assert sorted(p.name for p in out.iterdir()) == ["chapter1.tex", "figures"]


def test_another_apps_model_is_refused_naming_the_app(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "app": "tagger"}))
    before = model_files(out)
    result = train(names_file, out)
    assert_one_line_error(result, "holds a tagger model", "--force", status=2)
    assert model_files(out) == before


@pytest.mark.slow
def test_another_apps_real_model_is_refused_and_force_replaces_it(
    jazz_model, names_file, tmp_path
):
    out = copy_model(jazz_model, tmp_path)
    before = model_files(out)
    assert_one_line_error(train(names_file, out), "holds a jazz model", status=2)
    assert model_files(out) == before
    sampled = run_app("dinos", "sample", "--model", out)
    assert_one_line_error(sampled, "a jazz model, not a dinos model", "apps.jazz", status=2)

    forced = train(names_file, out, "--force")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert json.loads((out / "manifest.json").read_text())["app"] == "dinos"
    assert not (out / "facts.json").read_text().strip("{}\n")  # jazz's facts are gone


def test_a_file_given_as_out_is_refused(names_file, tmp_path):
    out = tmp_path / "model.keras"
    out.write_bytes(b"mine")
    assert_one_line_error(train(names_file, out, "--force"), str(out), "not a folder", status=2)
    assert out.read_bytes() == b"mine"


@pytest.mark.slow
def test_an_empty_folder_and_an_earlier_versions_model_are_replaced(dinos_model, names_file,
                                                                    tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert train(names_file, empty).returncode == 0
    earlier = copy_model(dinos_model, tmp_path, "earlier", run_state=False)
    (earlier / "manifest.json").unlink()  # as written before manifests
    result = train(names_file, earlier)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (earlier / "manifest.json").is_file()


@pytest.mark.slow
def test_a_second_run_into_a_folder_in_use_is_refused_and_the_first_ends_well(
    names_file, tmp_path
):
    out = tmp_path / "model"
    first = start(app_command("dinos", "train", *dinos_args(names_file), "--epochs", "4",
                              "--out", out))
    lock = tmp_path / ".model.lock"
    deadline = time.monotonic() + 300
    while not lock.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock.exists(), "the first run never took the folder"
    second = run(app_command("dinos", "train", *dinos_args(names_file), "--out", out))
    assert_one_line_error(second, str(out), "in use by another run", status=2)
    result = finish(first)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "manifest.json").is_file()
    assert not lock.exists()
