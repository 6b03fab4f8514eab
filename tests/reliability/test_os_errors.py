"""Operating-system errors are one line naming the path, and what was there is left intact."""

import pytest

from tests.reliability.conftest import copy_model, dinos_args
from tests.reliability.helpers import (
    app_command,
    assert_one_line_error,
    can_mount,
    model_files,
    on_small_disk,
    run_app,
    unwritable,
)


def test_out_inside_a_file_is_one_line(names_file, tmp_path):
    parent = tmp_path / "notes.txt"
    parent.write_text("mine", encoding="utf-8")
    out = parent / "model"
    result = run_app("dinos", "train", *dinos_args(names_file), "--out", out)
    assert_one_line_error(result, str(out), "Not a directory", status=2)
    assert parent.read_text(encoding="utf-8") == "mine"


def test_names_given_as_a_folder_is_one_line(names_file, tmp_path):
    argv = ["train", *dinos_args(names_file), "--data", tmp_path, "--out", tmp_path / "m"]
    assert_one_line_error(run_app("dinos", *argv), str(tmp_path), "is a directory")


def test_a_folder_without_write_permission_is_one_line(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path, run_state=False)
    before = model_files(out)
    with unwritable(tmp_path):
        result = run_app("dinos", "train", *dinos_args(names_file), "--out", out)
    assert_one_line_error(result, str(out), "Permission denied", status=2)
    assert model_files(out) == before


@pytest.mark.slow
@pytest.mark.skipif(not can_mount(), reason="needs `unshare -rm` to mount a read-only tmpfs")
def test_a_read_only_disk_is_one_line_and_the_model_is_kept(dinos_model, names_file, tmp_path):
    seed = copy_model(dinos_model, tmp_path, "seed", run_state=False)
    folder = tmp_path / "disk" / "model"
    argv = app_command("dinos", "train", *dinos_args(names_file), "--out", folder)
    result, files, _ = on_small_disk(argv, folder=folder, size=16 * 2**20, seed=seed,
                                     read_only=True)
    assert_one_line_error(result, str(folder), "Read-only file system", status=2)
    assert files.pop("temporaries") == []
    assert files == model_files(seed)
