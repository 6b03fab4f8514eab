"""The built-in name lists, chosen by name or by path, and their place in the package."""

import configparser
import fnmatch
import re
from pathlib import Path

import pytest

from datasets.dinos import DEFAULT_PATH, builtin_lists, load_names, names_path
from datasets.errors import InputError

REPO = Path(__file__).resolve().parents[2]
SHARED_NAMES = REPO.parent / "shared" / "data" / "names.txt"


def test_the_built_in_lists_are_the_dinosaurs_first_then_the_baby_names():
    lists = builtin_lists()
    assert list(lists) == ["dinosaurs", "names"]
    assert lists["dinosaurs"] == DEFAULT_PATH
    assert all(path.is_file() for path in lists.values())


def test_a_built_in_list_is_chosen_by_its_name():
    assert load_names("dinosaurs") == load_names()
    names = load_names("names")
    assert {"emma", "olivia", "zzyzx"} <= set(names)
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+", name) for name in names)


def test_repeated_names_are_kept_on_request_as_makemore_trains_on_them():
    every = load_names("names", distinct=False)
    distinct = load_names("names")
    assert len(every) == 32033 > len(distinct) == len(set(every))
    assert distinct == list(dict.fromkeys(every))


def test_the_shipped_names_are_makemores_file():
    if not SHARED_NAMES.is_file():
        pytest.skip(f"{SHARED_NAMES} is absent (it is outside a fresh clone)")
    assert builtin_lists()["names"].read_bytes() == SHARED_NAMES.read_bytes()


def test_any_other_source_is_a_path(tmp_path, monkeypatch):
    path = tmp_path / "mine.txt"
    path.write_text("Anzu\nZby\n", encoding="utf-8")
    assert load_names(path) == load_names(str(path)) == ["anzu", "zby"]
    # A file named like a built-in list is read when written as a path.
    (tmp_path / "names").write_text("Mei\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_names("./names") == load_names(Path("names")) == ["mei"]
    assert names_path("names") == builtin_lists()["names"]


def test_an_unknown_source_is_refused_in_one_line_naming_it_and_the_built_in_lists(tmp_path):
    with pytest.raises(InputError) as error:
        load_names("nmaes")
    message = str(error.value)
    assert message.startswith("nmaes: no such file")
    assert "dinosaurs" in message and "names" in message and "\n" not in message
    with pytest.raises(InputError, match="missing.txt: no such file"):
        load_names(tmp_path / "missing.txt")


def test_the_package_ships_every_built_in_list():
    setup = configparser.ConfigParser()
    setup.read(REPO / "setup.cfg")
    patterns = [p.strip() for p in setup["options.package_data"]["datasets"].split(",")]
    package = REPO / "datasets"
    for path in builtin_lists().values():
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
