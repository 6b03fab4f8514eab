import pytest

from datasets.errors import InputError
from datasets.music.register import note_name, parse_note, parse_register


@pytest.mark.parametrize(("text", "pitch"), [("C4", 60), ("Bb3", 58), ("F#5", 78), ("C-1", 0),
                                             ("G9", 127), ("e♭4", 63), ("A0", 21)])
def test_note_names_with_octaves_are_midi_pitches(text, pitch):
    assert parse_note(text) == pitch


@pytest.mark.parametrize(("text", "register"), [("Bb3-F5", (58, 77)), ("C4 - C5", (60, 72)),
                                                ("C-1-G9", (0, 127))])
def test_a_register_is_low_dash_high(text, register):
    assert parse_register(text) == register


@pytest.mark.parametrize(("text", "message"), [
    ("F5-Bb3", "upside down"), ("C-1-C11", "outside MIDI"), ("C4-F4", "at least an octave"),
    ("low-high", "'low' is not a note name"), ("C4", "not a range"), ("H2-C5", "'H2'"),
])
def test_a_bad_register_is_one_line_naming_the_flag(text, message):
    with pytest.raises(InputError) as error:
        parse_register(text)
    assert str(error.value).startswith("--register: ") and message in str(error.value)


def test_names_read_back():
    assert [note_name(p) for p in (60, 61, 70, 0, 127)] == ["C4", "C#4", "Bb4", "C-1", "G9"]
    assert all(parse_note(note_name(p)) == p for p in range(128))
