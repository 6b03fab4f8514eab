"""A model folder is the old model, byte for byte, or the new one, whole: whatever stops a
replacement (SIGKILL, Ctrl-C, a full disk), and whatever is changed in it afterwards."""

import json
import os
import signal

import pytest

from tests.reliability.conftest import copy_model, dinos_args
from tests.reliability.helpers import (
    app_command,
    assert_one_line_error,
    assert_quiet_success,
    can_mount,
    finish,
    kill_when,
    model_files,
    on_small_disk,
    run,
    run_app,
    staging,
    start,
    temporaries,
)


def sample(folder):
    return run_app("dinos", "sample", "--model", folder, "--num", "3", "--seed", "0")


# -- Killed while replacing ----------------------------------------------------------------------

MOMENTS = {
    # the first epoch's checkpoint is in place: training is under way
    "training": lambda out: any((out / "checkpoints").glob("epoch-*")),
    # the new folder has begun beside the old one
    "staging": lambda out: bool(staging(out)),
    # the SavedModel is half written into it
    "export": lambda out: any((s / "export" / "1" / "variables").exists() for s in staging(out)),
    # its manifest is written: only the swap is left
    "manifest": lambda out: any((s / "manifest.json").exists() for s in staging(out)),
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_a_replacement_killed_at_any_moment_leaves_the_old_model_or_the_new_one(
    moment, dinos_model, names_file, tmp_path
):
    out = copy_model(dinos_model, tmp_path, run_state=False)
    old = model_files(out)
    argv = ["train", *dinos_args(names_file), "--seed", "7", "--out", out]
    process = start(app_command("dinos", *argv))
    killed = kill_when(process, lambda: MOMENTS[moment](out))
    finish(process)
    # Only the last moment's window (between the manifest and the swap) can be missed.
    assert killed or moment == "manifest"
    if model_files(out) != old:
        assert moment == "manifest"  # the swap was done: the new model, checked whole below
    assert_quiet_success(sample(out))  # sample checks every file against the manifest

    # The killed run resumes from its checkpoints, writes its model and leaves nothing behind.
    resumed = run(app_command("dinos", *argv, "--resume"))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert temporaries(tmp_path) == []
    assert model_files(out) != old
    assert_quiet_success(sample(out))


@pytest.mark.slow
def test_ctrl_c_while_the_new_model_is_written_keeps_the_old_one(dinos_model, names_file, tmp_path):
    out = copy_model(dinos_model, tmp_path, run_state=False)
    old = model_files(out)
    process = start(app_command("dinos", "train", *dinos_args(names_file), "--seed", "3",
                                "--out", out))
    # The run is frozen the moment the new folder appears beside the old one, then Ctrl-C'd:
    # on a quiet machine the whole write takes milliseconds, and a Ctrl-C sent while polling
    # for the moment could otherwise land after it.
    assert kill_when(process, lambda: bool(staging(out)), sig=signal.SIGSTOP)
    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)
    result = finish(process)
    assert_one_line_error(result, "interrupted", status=130)
    assert model_files(out) == old
    assert temporaries(tmp_path) == []


@pytest.mark.slow
@pytest.mark.skipif(not can_mount(), reason="needs `unshare -rm` to mount a small tmpfs")
def test_a_full_disk_leaves_the_old_model_and_one_line(dinos_model, names_file, tmp_path):
    seed = copy_model(dinos_model, tmp_path, "seed", run_state=False)
    old = model_files(seed)
    model_bytes = sum((seed / name).stat().st_size for name in old)
    folder = tmp_path / "disk" / "model"
    argv = app_command("dinos", "train", *dinos_args(names_file), "--seed", "5", "--out", folder)

    # Room enough: the run succeeds, and shows the most the disk must hold.
    result, files, peak = on_small_disk(argv, folder=folder, size=64 * 2**20, seed=seed)
    assert result.returncode == 0, result.stderr[-3000:]
    assert files.pop("temporaries") == [] and files != old

    # Room for all but half of the new model: the disk fills while the new folder is written,
    # after training; room for the old model alone: it fills at the first checkpoint.
    for size, when in ((peak - model_bytes // 2, "the model folder"),
                       (model_bytes + 64 * 1024, "the training checkpoints")):
        result, files, _ = on_small_disk(argv, folder=folder, size=size, seed=seed)
        assert_one_line_error(result, str(folder), "No space left on device", when, status=1)
        assert files.pop("temporaries") == []
        assert files == old


# -- Changed after training ----------------------------------------------------------------------


def _flip_a_byte(out):
    path = out / "model.keras"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _add_a_version(out):
    (out / "export" / "2").mkdir()
    (out / "export" / "2" / "saved_model.pb").write_bytes(b"not a model")


def _remove_vocab(out):
    (out / "vocab.json").unlink()


def _units_as_text_in_an_older_folder(out):
    (out / "manifest.json").unlink()
    config = json.loads((out / "config.json").read_text())
    (out / "config.json").write_text(json.dumps({**config, "units": "lots"}))


def _another_apps_manifest(out):
    manifest = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").write_text(json.dumps({**manifest, "app": "jazz"}))


CHANGES = {
    "a byte of model.keras flipped": (_flip_a_byte, "model.keras: changed since training"),
    "a second SavedModel version added": (_add_a_version, "export/2/saved_model.pb: not written"),
    "vocab.json removed": (_remove_vocab, "vocab.json: missing from the model folder"),
    "a setting of the wrong type": (_units_as_text_in_an_older_folder, "units is 'lots'"),
    "another app's manifest": (_another_apps_manifest, "a jazz model, not a dinos model"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_model_folder_is_one_clear_error(change, dinos_model, tmp_path):
    out = copy_model(dinos_model, tmp_path)
    edit, message = CHANGES[change]
    edit(out)
    result = sample(out)
    assert_one_line_error(result, message, status=2)
    assert result.stdout == ""
