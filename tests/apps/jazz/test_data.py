import shutil

import pytest

from apps.jazz.data import load_pieces
from datasets.errors import InputError
from datasets.music import default_sources


def abc_sources():
    return [s for s in default_sources() if s.endswith(".abc")]


def test_an_unreadable_file_in_a_folder_is_skipped_with_one_warning(tmp_path, capsys):
    shutil.copy(abc_sources()[0], tmp_path / "good.abc")
    (tmp_path / "broken.mid").write_bytes(b"not a midi file")
    pieces = load_pieces([str(tmp_path)], None)
    err = capsys.readouterr().err
    assert len(pieces) == 1 and pieces[0].name.endswith("good.abc")
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "broken.mid" in warnings[0]
    assert "reading 1/2" in err and "reading 2/2" in err


def test_a_folder_with_nothing_readable_fails_with_one_line(tmp_path):
    (tmp_path / "a.mid").write_bytes(b"junk")
    (tmp_path / "b.mid").write_bytes(b"more junk")
    with pytest.raises(InputError, match="none of the 2 files") as raised:
        load_pieces([str(tmp_path)], None)
    assert "\n" not in str(raised.value)


def test_a_single_unreadable_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "a.mid").write_bytes(b"junk")
    with pytest.raises(InputError, match="a.mid"):
        load_pieces([str(tmp_path / "a.mid")], None)
