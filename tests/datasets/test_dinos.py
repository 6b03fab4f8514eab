import re

import pytest

from datasets.dinos import DEFAULT_PATH, load_names


def test_the_embedded_list_has_over_a_thousand_distinct_genera():
    lines = DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
    lowered = [line.lower() for line in lines]
    assert len(set(lowered)) == len(lowered) >= 1000
    assert lines == sorted(lines)


def test_the_embedded_names_are_single_latin_words():
    for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines():
        assert re.fullmatch(r"[A-Z][a-z]+", line), repr(line)


def test_load_names_lower_cases_and_keeps_the_first_of_duplicates(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("Anzu\n\n  Zby  \nanzu\r\nMei\n", encoding="utf-8")
    assert load_names(path) == ["anzu", "zby", "mei"]


def test_load_names_defaults_to_the_embedded_list():
    names = load_names()
    assert len(names) >= 1000 and "tyrannosaurus" in names


@pytest.mark.parametrize("genus", ["Tyrannosaurus", "Velociraptor", "Anzu", "Zby", "Mei"])
def test_well_known_genera_are_listed(genus):
    assert genus in DEFAULT_PATH.read_text(encoding="utf-8").splitlines()
