import json
import subprocess
import sys

import keras
import pytest

from apps.common.lock import exclusive, lock_file
from apps.common.model_folder import (
    check_model_folder,
    check_replaceable,
    claim,
    export_path,
    read_model_folder,
    write_model_folder,
)
from datasets.errors import InputError
from tests.apps.common.helpers import ROOT


def tiny_model():
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(2)(inputs))


def write(out, app="toy", **overrides):
    def export(path):
        (path / "saved_model.pb").write_bytes(b"graph")

    settings = dict(model=tiny_model(), config={"units": 2}, vocabularies={"chars": ["a", "b"]},
                    facts={"meter": "4/4"}, export=export, texts={"names.txt": "rex\n"}, app=app)
    write_model_folder(out, **{**settings, **overrides})


def test_a_written_folder_reads_back_with_its_manifest(tmp_path):
    write(tmp_path / "m")
    trained = read_model_folder(tmp_path / "m", "toy")
    assert trained.config == {"units": 2} and trained.vocabularies == {"chars": ["a", "b"]}
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert manifest["app"] == "toy"
    assert sorted(manifest["files"]) == [
        "config.json", "export/1/saved_model.pb", "facts.json", "model.keras", "names.txt",
        "vocab.json",
    ]
    assert export_path(tmp_path / "m") == tmp_path / "m" / "export" / "1"


def test_a_folder_from_before_version_folders_keeps_its_export_path(tmp_path):
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "saved_model.pb").write_bytes(b"graph")
    assert export_path(tmp_path) == tmp_path / "export"


def test_the_run_state_moves_into_the_new_folder(tmp_path):
    out = tmp_path / "m"
    write(out)
    (out / "checkpoints").mkdir()
    (out / "checkpoints" / "run.json").write_text("{}")
    write(out, config={"units": 3})
    assert (out / "checkpoints" / "run.json").read_text() == "{}"
    assert json.loads((out / "config.json").read_text()) == {"units": 3}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


def test_a_failed_export_leaves_the_old_folder_byte_for_byte(tmp_path):
    out = tmp_path / "m"
    write(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def fails(path):
        (path / "saved_model.pb").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="cannot write the model folder") as raised:
        write(out, export=fails, config={"units": 9})
    assert raised.value.filename == str(out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: (m / "vocab.json").write_text('{"chars": ["b", "a"]}'), "changed since"),
        (lambda m: (m / "facts.json").unlink(), "missing from the model folder"),
        (lambda m: (m / "export" / "1" / "extra.pb").write_bytes(b"x"), "not written by"),
        (lambda m: (m / "manifest.json").write_text("[]"), "expected a JSON object"),
    ],
    ids=["edited", "missing", "extra export file", "broken manifest"],
)
def test_a_changed_folder_is_one_input_error(change, message, tmp_path):
    write(tmp_path / "m")
    change(tmp_path / "m")
    with pytest.raises(InputError, match=message):
        check_model_folder(tmp_path / "m", "toy")


def test_another_apps_folder_names_that_app(tmp_path):
    write(tmp_path / "m", app="jazz")
    with pytest.raises(InputError, match="a jazz model, not a toy model"):
        read_model_folder(tmp_path / "m", "toy")


def test_replaceable_folders(tmp_path):
    check_replaceable(tmp_path / "missing", "toy")
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty", "toy")
    write(tmp_path / "ours")
    check_replaceable(tmp_path / "ours", "toy")
    write(tmp_path / "jazz", app="jazz")
    with pytest.raises(InputError, match="holds a jazz model"):
        check_replaceable(tmp_path / "jazz", "toy")
    check_replaceable(tmp_path / "jazz", "toy", force=True)
    (tmp_path / "ours" / "notes.md").write_text("mine")
    with pytest.raises(InputError, match=r"files training did not write \(notes.md\)"):
        check_replaceable(tmp_path / "ours", "toy")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        check_replaceable(tmp_path / "file", "toy", force=True)


def test_write_model_folder_needs_to_know_the_app(tmp_path):
    with pytest.raises(ValueError, match="app="):
        write(tmp_path / "m", app=None)


HOLD = """
import sys, time
from apps.common.lock import exclusive
with exclusive(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_folder_claimed_by_another_process_is_refused_at_once(tmp_path):
    out = tmp_path / "m"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        # Refused at once: a lock that waited would get the folder when the holder ends.
        message = rf"in use by another run \(process {holder.pid}\)"
        with pytest.raises(InputError, match=message), claim(out, "toy"):
            pass
    finally:
        holder.kill()
        holder.wait()
    with claim(out, "toy"), exclusive(out):  # free again; a run may take its own lock twice
        assert lock_file(out).exists()
    assert not lock_file(out).exists()
