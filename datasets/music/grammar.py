"""The course's abstract-note grammar: each note as a "value" relative to the chord under it.

A value is "TYPE,DURATION" or, from the second note of a bar, "TYPE,DURATION,<LOW,HIGH>":
  TYPE      C chord tone, S scale tone, A approach tone (a semitone from a chord tone),
            X any other tone, R rest;
  DURATION  in quarter notes, three decimals as the course writes it ("0.250"; a triplet
            eighth is "0.333" and reads back as exactly 1/3: durations lie on 1/12 steps);
  LOW,HIGH  bounds in semitones on the interval from the previous note: the interval played
            minus and plus a minor third, so a new line may move anywhere in that window.
Values do not name pitches, so the same line over another progression becomes new notes.

Turning values back into notes keeps the line's shape: among the pitches of the right type
inside the bounds, the ones nearest the interval the value was made from (the middle of its
bounds) are the likeliest and the direction is kept, so a step up stays a step up; an approach
tone is placed where it can resolve by step into the next note, and does; the line turns back
from the edges of its register, fills in after a big leap, and avoids holding avoid notes.
"""

import re
from dataclasses import dataclass

import numpy as np

from datasets.music.chords import Chord
from datasets.music.meter import Meter
from datasets.music.rhythm import FINEST, on_steps
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
    duration = float(match[2])
    if abs(on_steps(duration) - duration) < 0.002:  # "0.333" is a triplet eighth, 1/3
        duration = on_steps(duration)
    return Value(match[1], duration, bounds)


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
    return melody_values_and_onsets(piece)[0]


def melody_values_and_onsets(piece: Piece) -> tuple[list[str], list[float]]:
    """`melody_to_values` and where each value starts in the piece (quarter notes from its
    first bar line). After a dropped whole-bar rest the onsets are no longer the running sum
    of the durations; the chord and bar position under a value are those at its onset."""
    values: list[str] = []
    onsets: list[float] = []
    previous_pitch, previous_bar = None, None
    whole_bar_rest = str(Value("R", piece.bar_length))
    for note in piece.melody:
        if note.is_rest:
            value = str(Value("R", note.duration))
            if not (value == whole_bar_rest and values and values[-1] == whole_bar_rest):
                values.append(value)
                onsets.append(note.offset)
            continue
        bar = int(note.offset // piece.bar_length + 1e-9)
        bounds = None
        if previous_pitch is not None and bar == previous_bar:
            interval = note.pitch - previous_pitch
            bounds = (interval - BOUND, interval + BOUND)
        kind = note_type(note.pitch, piece.chords.at(note.offset))
        values.append(str(Value(kind, note.duration, bounds)))
        onsets.append(note.offset)
        previous_pitch, previous_bar = note.pitch, bar
    return values, onsets


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


# How values become pitches (see the module docstring). Weights multiply; the draw is seeded.
_INTERVAL_SPREAD = 0.75  # semitones: how closely a pitch keeps the interval of its value
_FREE_SPREAD = 2.0  # at the start of a bar (no bounds): how far a line tends to jump
_WRONG_WAY = 0.1  # a pitch that moves against the direction of the value's interval
_RESOLVES_BY_HALF_STEP, _RESOLVES_BY_STEP = 8.0, 3.0  # an approach tone with somewhere to go
_EDGE, _EDGE_WEIGHT = 4, 0.3  # semitones from the register's edge where the line turns back
_LEAP, _FILL_IN = 7, 2.0  # after a leap of a fifth or more, moving back the other way
_HELD_AVOID = 0.03  # an avoid note held (a beat or more) or on a strong beat
# Aiming at the changes (`aim=True`): the note sounding on a change is a chord tone of the new
# chord, its guide tones (3rd, 7th) favoured; the note before it leans to a step from them.
_GUIDE_TONE, _LEADS_IN, _ANTICIPATION_FITS = 4.0, 3.0, 2.0
_NEW_PHRASE_SPREAD = 3.0  # a phrase after a breath starts near the middle of its register
_BREATH = 1.0  # quarter notes of rest that end a phrase


@dataclass
class _Slot:
    offset: float
    value: Value
    follows_rest: float  # quarter notes of rest just before this note (0: none)
    change: float | None = None  # a chord change this note sounds over (starts on or holds)

    @property
    def end(self) -> float:
        return self.offset + self.value.duration


def _slots(values: list[str]) -> list[_Slot]:
    slots, offset, rest = [], 0.0, 0.0
    for text in values:
        value = parse_value(text)
        if value.kind == "R":
            rest += value.duration
        else:
            slots.append(_Slot(offset, value, rest))
            rest = 0.0
        offset += value.duration
    return slots


def _mark_changes(slots: list[_Slot], chords: ChordTimeline) -> None:
    """Each note that sounds when a chord changes (after the first chord) knows the change."""
    changes = [o for o in chords.offsets if o > 1e-9]
    for slot in slots:
        slot.change = next((t for t in changes if slot.offset - 1e-9 <= t < slot.end - 1e-9),
                           None)


def _register_at(register):
    return register if callable(register) else (lambda offset: register)


def values_to_notes(
    values: list[str],
    chords: ChordTimeline,
    seed: int = 0,
    register=DEFAULT_REGISTER,
    *,
    meter: Meter | None = None,
    shape: bool = True,
    aim: bool = False,
) -> list[Note]:
    """Concrete notes for a value sequence over a chord progression, then cleaned up.

    Each note gets a pitch of its type over the chord sounding at its offset, inside its
    interval bounds from the previous note (or within a fourth of it at the start of a bar),
    never the previous pitch when another fits. With `shape` (the default) the pitch is drawn
    with weights that keep the line's shape (module docstring); without it, uniformly among
    the fitting pitches, as the course does. With `aim`, a note that sounds when the chord
    changes is a chord tone of the new chord (its 3rd or 7th preferred; a note held into the
    change also fits the chord it starts over), and the note before it leans to a step from
    those. Draws come from a generator seeded by `seed`, so the same seed gives the same notes.

    Args:
        register: (lowest, highest) MIDI pitch, or a function of the offset giving them (a
            register that moves with the form); with a function, a phrase that starts after a
            rest of a beat or more starts near the middle of its register.
        meter: says which beats are strong (default 4/4).
    """
    rng = np.random.default_rng(seed)
    meter = meter or Meter(4, 4)
    register_at = _register_at(register)
    moving = callable(register)
    slots = _slots(values)
    if aim:
        _mark_changes(slots, chords)
    notes: list[Note] = []
    previous, last_step, previous_kind = None, 0, None
    for i, slot in enumerate(slots):
        value = slot.value
        kind, chord = _target_of(slot, chords)
        reg = register_at(slot.offset)
        centre = (reg[0] + reg[1]) // 2
        new_phrase = moving and (previous is None or slot.follows_rest >= _BREATH - 1e-9)
        target = None
        if new_phrase:
            target = centre if previous is None else round((previous + centre) / 2)
        fitting, low, high = _fitting(kind, value.bounds, chord, previous, reg, centre, target)
        if shape:
            after_approach = previous_kind == "A" and not slot.follows_rest
            steps = [p for p in fitting if abs(p - previous) <= 2] if after_approach else []
            fitting = steps or fitting
            following = slots[i + 1] if i + 1 < len(slots) else None
            weights = _weights(fitting, slot, kind, chord, previous, last_step, low, high, reg,
                               meter, following, chords, centre, target)
            if aim:
                weights = weights * _aiming(fitting, slot, chord, following, chords, register_at)
                weights = weights / weights.sum()
            pitch = int(rng.choice(fitting, p=weights))
        else:
            pitch = int(fitting[rng.integers(len(fitting))])
        notes.append(Note(slot.offset, value.duration, pitch))
        last_step = 0 if previous is None else pitch - previous
        previous, previous_kind = pitch, kind
    return clean_up(notes)


def _fitting(kind, bounds, chord: Chord, previous, register, centre, target=None):
    candidates = pitches_of_type(kind, chord, register)
    if target is not None:
        low, high = target - 6, target + 6
    elif previous is None:
        low, high = centre - 6, centre + 6
    elif bounds is not None:
        low, high = previous + bounds[0], previous + bounds[1]
    else:
        low, high = previous - 5, previous + 5
    fitting = [p for p in candidates if low <= p <= high and p != previous]
    if not fitting:
        others = [p for p in candidates if p != previous] or candidates
        nearest = min(abs(p - (low + high) / 2) for p in others)
        fitting = [p for p in others if abs(p - (low + high) / 2) == nearest]
    return fitting, low, high


def _weights(fitting, slot, kind, chord, previous, last_step, low, high, register, meter,
             following, chords, centre, target=None) -> np.ndarray:
    value = slot.value
    pitches = np.asarray(fitting, float)
    if target is not None:
        weights = np.exp(-0.5 * ((pitches - target) / _NEW_PHRASE_SPREAD) ** 2)
    elif previous is None:
        weights = np.exp(-0.5 * ((pitches - centre) / _FREE_SPREAD) ** 2)
    elif value.bounds is not None:
        interval = (value.bounds[0] + value.bounds[1]) / 2
        weights = np.exp(-0.5 * ((pitches - previous - interval) / _INTERVAL_SPREAD) ** 2)
        if interval:
            weights[np.sign(pitches - previous) != np.sign(interval)] *= _WRONG_WAY
    else:
        weights = np.exp(-0.5 * ((pitches - previous) / _FREE_SPREAD) ** 2)
    if previous is not None:
        moves = np.sign(pitches - previous)
        weights[(pitches > register[1] - _EDGE) & (moves > 0)] *= _EDGE_WEIGHT
        weights[(pitches < register[0] + _EDGE) & (moves < 0)] *= _EDGE_WEIGHT
        if abs(last_step) >= _LEAP:
            weights[moves == -np.sign(last_step)] *= _FILL_IN
    if kind == "S" and chord.avoid_classes and _held_or_strong(slot, value, meter):
        weights[[p % 12 in chord.avoid_classes for p in fitting]] *= _HELD_AVOID
    if kind == "A" and following is not None and not following.follows_rest:
        weights *= _resolution_weights(fitting, following, chords, register)
    weights = np.maximum(weights, 1e-12)
    return weights / weights.sum()


def _held_or_strong(slot: _Slot, value: Value, meter: Meter) -> bool:
    if value.duration >= meter.beat_length - 1e-9:
        return True
    position = (slot.offset % meter.bar_length) / meter.beat_length
    return abs(position - round(position)) < 1e-6 and round(position) in meter.strong_beats()


def _target_of(slot: _Slot, chords: ChordTimeline) -> tuple[str, Chord]:
    """The type and chord a note will be chosen by: a chord tone of the new chord when it
    sounds over a change (after `_mark_changes`), else its value's type over its chord."""
    if slot.change is not None:
        return "C", chords.at(slot.change)
    return slot.value.kind, chords.at(slot.offset)


def _resolution_weights(fitting, following: _Slot, chords, register) -> np.ndarray:
    """Favour approach tones that have a pitch of the next note's type a step away, inside
    the next value's bounds: the approach can then resolve."""
    kind, chord = _target_of(following, chords)
    targets = set(pitches_of_type(kind, chord, register))
    bounds = following.value.bounds
    weights = np.ones(len(fitting))
    for index, pitch in enumerate(fitting):
        for step, weight in ((1, _RESOLVES_BY_HALF_STEP), (2, _RESOLVES_BY_STEP)):
            landing = [
                q for q in (pitch - step, pitch + step)
                if q in targets and (bounds is None or bounds[0] <= q - pitch <= bounds[1])
            ]
            if landing:
                weights[index] = weight
                break
    return weights


def _aiming(fitting, slot: _Slot, chord: Chord, following, chords, register_at) -> np.ndarray:
    """Weights that aim the line at the changes (see `values_to_notes`, `aim`)."""
    classes = np.asarray([p % 12 for p in fitting])
    weights = np.ones(len(fitting))
    if slot.change is not None:
        weights[np.isin(classes, sorted(chord.guide_classes))] *= _GUIDE_TONE
        if slot.offset < slot.change - 1e-9:  # held into the change: fit where it starts too
            before = chords.at(slot.offset)
            weights[np.isin(classes, sorted(before.pitch_classes | before.scale_classes))] *= (
                _ANTICIPATION_FITS)
    if (following is not None and following.change is not None and not following.follows_rest
            and following.offset >= slot.offset + 1e-9):
        new = chords.at(following.change)
        low, high = register_at(following.offset)
        goals = [q for q in range(low, high + 1) if q % 12 in new.guide_classes]
        leads = [any(1 <= abs(p - q) <= 2 for q in goals) for p in fitting]
        weights[np.asarray(leads, bool)] *= _LEADS_IN
    return weights


def clean_up(notes: list[Note]) -> list[Note]:
    """Notes on the 1/12-quarter grid, sorted, with no zero length, overlap or repeated pitch.

    A note that starts with another is dropped, one that overlaps the next is shortened to
    meet it, and a note that continues the previous one at the same pitch is merged into it.
    """
    snapped = []
    for note in sorted(notes, key=lambda n: n.offset):
        if note.is_rest:
            continue
        onset = on_steps(note.offset)
        duration = max(FINEST, on_steps(note.duration))
        if snapped and snapped[-1].offset == onset:
            continue
        snapped.append(Note(onset, duration, note.pitch))

    cleaned: list[Note] = []
    for i, note in enumerate(snapped):
        end = note.end if i + 1 == len(snapped) else min(note.end, snapped[i + 1].offset)
        note = Note(note.offset, on_steps(end - note.offset), note.pitch)
        if (
            cleaned
            and cleaned[-1].pitch == note.pitch
            and abs(cleaned[-1].end - note.offset) < 1e-9
        ):
            last = cleaned.pop()
            note = Note(last.offset, on_steps(note.end - last.offset), note.pitch)
        cleaned.append(note)
    return cleaned
