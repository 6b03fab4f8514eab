"""The course's abstract-note grammar: each note as a "value" relative to the chord under it.

A value is "TYPE,DURATION" or, from the second note of a bar, "TYPE,DURATION,<LOW,HIGH>":
  TYPE      C chord tone, S scale tone, A approach tone (a semitone from a chord tone),
            X any other tone, R rest;
  DURATION  in quarter notes, three decimals as the course writes it ("0.250");
  LOW,HIGH  bounds in semitones on the interval from the previous note: the interval played
            minus and plus a minor third, so a new line may move anywhere in that window.
Values do not name pitches, so the same line over another progression becomes new notes.
"""

import re
from dataclasses import dataclass

import numpy as np

from datasets.music.chords import Chord
from datasets.music.melody import GRID
from datasets.music.score import ChordTimeline, Note, Piece

TYPES = ("C", "S", "A", "X", "R")
BOUND = 3  # a minor third, as in the course
DEFAULT_REGISTER = (55, 84)  # G3 to C6: a guitar, saxophone or trumpet solo range
_VALUE = re.compile(r"([CSAXR]),(\d+\.\d{3})(?:,<([+-]\d+),([+-]\d+)>)?")


@dataclass(frozen=True)
class Value:
    kind: str
    duration: float
    bounds: tuple[int, int] | None = None

    def __str__(self) -> str:
        text = f"{self.kind},{self.duration:.3f}"
        if self.bounds is not None:
            text += f",<{self.bounds[0]:+d},{self.bounds[1]:+d}>"
        return text


def parse_value(text: str) -> Value:
    match = _VALUE.fullmatch(text)
    if not match or float(match[2]) <= 0:
        raise ValueError(f"not a grammar value: {text!r}")
    bounds = (int(match[3]), int(match[4])) if match[3] is not None else None
    return Value(match[1], float(match[2]), bounds)


def note_type(pitch: int, chord: Chord) -> str:
    """C, S, A or X: what the pitch is over the chord, checked in the course's order."""
    pitch_class = pitch % 12
    chord_tones = chord.pitch_classes
    if pitch_class in chord_tones:
        return "C"
    if pitch_class in chord.scale_classes:
        return "S"
    if (pitch_class + 1) % 12 in chord_tones or (pitch_class - 1) % 12 in chord_tones:
        return "A"
    return "X"


def melody_to_values(piece: Piece) -> list[str]:
    """Values of a piece's melody, one per note or rest.

    Runs of silent bars keep only their first whole-bar rest: long tacets teach the model
    nothing but silence.
    """
    values: list[str] = []
    previous_pitch, previous_bar = None, None
    whole_bar_rest = str(Value("R", piece.bar_length))
    for note in piece.melody:
        if note.is_rest:
            value = str(Value("R", note.duration))
            if not (value == whole_bar_rest and values and values[-1] == whole_bar_rest):
                values.append(value)
            continue
        bar = int(note.offset // piece.bar_length + 1e-9)
        bounds = None
        if previous_pitch is not None and bar == previous_bar:
            interval = note.pitch - previous_pitch
            bounds = (interval - BOUND, interval + BOUND)
        kind = note_type(note.pitch, piece.chords.at(note.offset))
        values.append(str(Value(kind, note.duration, bounds)))
        previous_pitch, previous_bar = note.pitch, bar
    return values


def pitches_of_type(kind: str, chord: Chord, register: tuple[int, int]) -> list[int]:
    """Every pitch in the register that has this type over the chord.

    When the chord leaves no pitch of that type (over a dominant seventh every non-scale tone
    is an approach tone) the nearest stricter type stands in: X -> A -> S -> C.
    """
    low, high = register
    for candidate in TYPES[TYPES.index(kind) :: -1]:
        pitches = [p for p in range(low, high + 1) if note_type(p, chord) == candidate]
        if pitches:
            return pitches
    return list(range(low, high + 1))


def values_to_notes(
    values: list[str],
    chords: ChordTimeline,
    seed: int = 0,
    register: tuple[int, int] = DEFAULT_REGISTER,
) -> list[Note]:
    """Concrete notes for a value sequence over a chord progression, then cleaned up.

    Each note gets a pitch of its type over the chord sounding at its offset, inside its
    interval bounds from the previous note (or within a fourth of it at the start of a bar),
    never the previous pitch when another fits. Choices among fitting pitches are drawn from
    a generator seeded by `seed`, so the same seed gives the same notes.
    """
    rng = np.random.default_rng(seed)
    notes, offset, previous = [], 0.0, None
    centre = (register[0] + register[1]) // 2
    for text in values:
        value = parse_value(text)
        if value.kind == "R":
            offset += value.duration
            continue
        candidates = pitches_of_type(value.kind, chords.at(offset), register)
        if previous is None:
            low, high = centre - 6, centre + 6
        elif value.bounds is not None:
            low, high = previous + value.bounds[0], previous + value.bounds[1]
        else:
            low, high = previous - 5, previous + 5
        fitting = [p for p in candidates if low <= p <= high and p != previous]
        if not fitting:
            others = [p for p in candidates if p != previous] or candidates
            nearest = min(abs(p - (low + high) / 2) for p in others)
            fitting = [p for p in others if abs(p - (low + high) / 2) == nearest]
        pitch = int(fitting[rng.integers(len(fitting))])
        notes.append(Note(offset, value.duration, pitch))
        offset += value.duration
        previous = pitch
    return clean_up(notes)


def clean_up(notes: list[Note]) -> list[Note]:
    """Notes on the 0.25 grid, sorted, with no zero length, overlap or repeated pitch.

    A note that starts with another is dropped, one that overlaps the next is shortened to
    meet it, and a note that continues the previous one at the same pitch is merged into it.
    """
    snapped = []
    for note in sorted(notes, key=lambda n: n.offset):
        if note.is_rest:
            continue
        onset = round(note.offset / GRID) * GRID
        duration = max(GRID, round(note.duration / GRID) * GRID)
        if snapped and snapped[-1].offset == onset:
            continue
        snapped.append(Note(onset, duration, note.pitch))

    cleaned: list[Note] = []
    for i, note in enumerate(snapped):
        end = note.end if i + 1 == len(snapped) else min(note.end, snapped[i + 1].offset)
        note = Note(note.offset, end - note.offset, note.pitch)
        if cleaned and cleaned[-1].pitch == note.pitch and cleaned[-1].end == note.offset:
            last = cleaned.pop()
            note = Note(last.offset, note.end - last.offset, note.pitch)
        cleaned.append(note)
    return cleaned


def fit_to_length(values: list[str], length: float) -> list[str]:
    """The leading values that fill `length` quarter notes, the last one shortened to fit."""
    fitted, total = [], 0.0
    for text in values:
        if total >= length - 1e-9:
            break
        value = parse_value(text)
        duration = min(value.duration, length - total)
        fitted.append(str(Value(value.kind, duration, value.bounds)))
        total += duration
    return fitted
