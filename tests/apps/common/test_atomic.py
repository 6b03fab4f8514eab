import pytest

from apps.common.atomic import atomic_dir, atomic_file, read_json, write_json
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
