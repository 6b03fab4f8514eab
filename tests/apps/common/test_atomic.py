import os

import pytest

from apps.common.atomic import (
    atomic_dir,
    atomic_file,
    exchange,
    read_json,
    remove_stale,
    write_json,
)
from datasets.errors import InputError


def test_atomic_dir_replaces_the_folder_whole(tmp_path):
    target = tmp_path / "export"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with atomic_dir(target) as tmp:
        (tmp / "new.txt").write_text("new")
        assert not (target / "new.txt").exists()
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_crash_inside_atomic_dir_leaves_the_old_folder(tmp_path):
    target = tmp_path / "export"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("crash")
    assert sorted(p.name for p in target.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_crash_inside_atomic_file_leaves_no_file(tmp_path):
    target = tmp_path / "out.mid"
    with pytest.raises(RuntimeError), atomic_file(target, "wb") as handle:
        handle.write(b"half")
        raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


def test_json_round_trip_and_errors(tmp_path):
    write_json(tmp_path / "config.json", {"units": 64, "cell": "lstm"})
    assert read_json(tmp_path / "config.json") == {"units": 64, "cell": "lstm"}
    with pytest.raises(InputError, match="no such file"):
        read_json(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(InputError, match="bad.json"):
        read_json(tmp_path / "bad.json")


def test_replacing_a_folder_moves_the_carried_entries_and_removes_the_old_one(tmp_path):
    target = tmp_path / "model"
    (target / "checkpoints").mkdir(parents=True)
    (target / "checkpoints" / "epoch.txt").write_text("3")
    (target / "old.txt").write_text("old")
    with atomic_dir(target, carry=("checkpoints",)) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["checkpoints", "new.txt"]
    assert (target / "checkpoints" / "epoch.txt").read_text() == "3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_without_an_atomic_exchange_a_cut_swap_is_undone_by_the_next_writer(tmp_path, monkeypatch):
    import apps.common.atomic as atomic

    target = tmp_path / "model"
    target.mkdir()
    (target / "old.txt").write_text("old")
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    renames = []
    real_replace = os.replace

    def cut_after_the_first_rename(source, destination):
        renames.append((source, destination))
        if len(renames) == 2:  # the process dies between the two renames
            raise KeyboardInterrupt
        real_replace(source, destination)

    monkeypatch.setattr(atomic.os, "replace", cut_after_the_first_rename)
    with pytest.raises(KeyboardInterrupt), atomic_dir(target) as tmp:
        (tmp / "new.txt").write_text("new")
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert not target.exists()  # the old folder is aside, the new one not yet in place
    # A dead process's temporaries: pretend so by renaming them with a pid that cannot run.
    for entry in tmp_path.iterdir():
        entry.rename(tmp_path / entry.name.replace(f"-{os.getpid()}-", "-999999999-"))
    remove_stale(target)
    assert sorted(p.name for p in target.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_stale_temporaries_of_a_dead_process_are_removed_and_a_live_ones_kept(tmp_path):
    (tmp_path / ".model.tmp-999999999-abc").mkdir()
    (tmp_path / ".model.keras.tmp-999999999-x.keras").write_text("half")
    (tmp_path / f".model.tmp-{os.getpid()}-live").mkdir()
    (tmp_path / ".notes.txt").write_text("the user's")
    remove_stale(tmp_path / "model")
    remove_stale(tmp_path / "model.keras")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".model.tmp-{os.getpid()}-live", ".notes.txt"
    ]


def test_the_exchange_swaps_two_folders_where_the_system_can(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "from_a").touch()
    if not exchange(a, b):
        pytest.skip("this file system has no RENAME_EXCHANGE; the two-rename path is tested")
    assert [p.name for p in b.iterdir()] == ["from_a"] and list(a.iterdir()) == []
