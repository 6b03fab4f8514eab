"""Ranges of pitches written as players write them: "Bb3-F5" (scientific pitch: C4 is middle
C, MIDI 60).

Example:
>>> parse_register("Bb3-F5")
(58, 77)
>>> note_name(61)
'C#4'
"""

import re

from datasets.errors import InputError

_NAME = re.compile(r"([A-Ga-g])([#b♯♭]?)(-?\d+)")
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MIN_SPAN = 12  # semitones: a solo needs at least an octave to move in


def parse_note(text: str, source: str = "note") -> int:
    """The MIDI pitch of a note name with its octave ("C4" = 60, "Bb3" = 58)."""
    match = _NAME.fullmatch(text.strip())
    if not match:
        raise InputError(f"{source}: {text!r} is not a note name with an octave (e.g. Bb3, F#5)")
    letter, accidental, octave = match.groups()
    shift = {"#": 1, "♯": 1, "b": -1, "♭": -1}.get(accidental, 0)
    pitch = (int(octave) + 1) * 12 + _LETTERS[letter.upper()] + shift
    if not 0 <= pitch <= 127:
        raise InputError(f"{source}: {text} is outside MIDI's range (C-1 to G9)")
    return pitch


def parse_register(text: str, source: str = "--register") -> tuple[int, int]:
    """(lowest, highest) MIDI pitch of "LOW-HIGH", at least an octave apart."""
    match = re.fullmatch(r"\s*([A-Ga-g][#b♯♭]?-?\d+|\S+?)\s*-\s*(\S+)\s*", text)
    if not match:
        raise InputError(f"{source}: {text!r} is not a range; write LOW-HIGH, e.g. Bb3-F5")
    low, high = parse_note(match[1], source), parse_note(match[2], source)
    if low >= high:
        raise InputError(f"{source}: {text} is upside down: {match[1]} is not below {match[2]}")
    if high - low < MIN_SPAN:
        raise InputError(f"{source}: {text} spans {high - low} semitones; a solo needs at "
                         f"least an octave ({MIN_SPAN})")
    return low, high


def note_name(pitch: int) -> str:
    """The name of a MIDI pitch with its octave, flats for black keys but C# and F#."""
    return f"{_NAMES[pitch % 12]}{pitch // 12 - 1}"
