import pytest

from datasets.errors import InputError
from datasets.text import read_lines, read_text


def test_read_text_keeps_the_text_and_normalises_windows_line_ends(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("Once upon\r\na time — é\n".encode())
    assert read_text(path) == "Once upon\na time — é\n"


def test_read_lines_drops_blank_lines_and_surrounding_spaces(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("  anzu \n\n\tzby\n \n", encoding="utf-8")
    assert read_lines(path) == ["anzu", "zby"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty file"),
        (b" \n\t\n", "empty file"),
        ("anzu\nélan\n".encode("latin-1"), r"not UTF-8 text \(byte 5\)"),
    ],
    ids=["missing", "empty", "whitespace", "latin-1"],
)
def test_unreadable_files_raise_one_line_naming_the_file(tmp_path, content, message):
    path = tmp_path / "names.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read_lines(path)
    assert str(error.value).startswith(str(path))
    assert "\n" not in str(error.value)


def test_a_folder_is_not_a_text_file(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)
