"""Rhythm that survives reading: a grid with triplets, and swing taken out and put back.

Jazz is written in straight eighths and played swung: each pair of eighths in a beat becomes a
long and a short note, the long one R times the short (R = 2 is triplet swing, the off-beat
eighth at 2/3 of the beat; R = 1 is straight). A 16th-note grid turns a swung eighth into a
dotted eighth and a sixteenth, and a triplet into whatever is nearest. So reading

1. finds the swing of a line (`detect_swing`): the off-beat onsets of beats that hold a pair;
2. straightens those beats (`straighten`), so the grammar sees the eighths players write;
3. puts every time on the union of the 16th and the eighth-triplet grids (`snap`): positions
   k/4 and k/3 of a beat, so written and played triplets survive. Durations are then multiples
   of 1/12 of a quarter (`FINEST`).

Rendering does the opposite (`swing_time`, `swing_notes`): the ratio R the user asks for moves
every straight off-beat eighth to R/(R+1) of its beat; beats that hold triplets or 16ths are
played as written (players swing eighths and keep double-time runs even). Compound meters
(6/8, 12/8) already divide their beats in three and are neither straightened nor swung.
"""

import math
from dataclasses import replace

import numpy as np

from datasets.music.score import Note

STEPS_PER_QUARTER = 12
FINEST = 1.0 / STEPS_PER_QUARTER
STRAIGHT = 1.0  # the swing ratio of straight eighths
TRIPLET_SWING = 2.0
_MIN_SWUNG_BEATS = 4
_OFFBEAT_WINDOW = (0.4, 0.8)  # where a lone off-beat onset counts as a straight or swung eighth
_SWUNG_FROM = 0.54  # a median off-beat later than this is swing (a ratio above about 1.17)
_CLOSE = 1e-6


def on_steps(time: float) -> float:
    """`time` rounded to the nearest 1/12 of a quarter, as an exact float of that step."""
    return round(time * STEPS_PER_QUARTER) / STEPS_PER_QUARTER


def snap(time: float) -> float:
    """The nearest position on the 16th or eighth-triplet grid (k/4 or k/3 of a quarter)."""
    sixteenth, triplet = round(time * 4) / 4, round(time * 3) / 3
    best = sixteenth if abs(time - sixteenth) <= abs(time - triplet) + _CLOSE else triplet
    return on_steps(best)


def is_straight(time: float) -> bool:
    """Whether `time` lies on the 16th-note grid."""
    return abs(time * 4 - round(time * 4)) < 1e-6


def offbeat_place(ratio: float) -> float:
    """Where the off-beat eighth falls in the beat at swing ratio `ratio`: R / (R + 1)."""
    return ratio / (ratio + 1.0)


def swing_position(fraction: float, ratio: float) -> float:
    """A position in a beat (0-1) moved as swing moves it: 0.5 goes to R/(R+1), linearly."""
    p = offbeat_place(ratio)
    if fraction <= 0.5:
        return fraction * p / 0.5
    return p + (fraction - 0.5) * (1 - p) / 0.5


def straight_position(fraction: float, ratio: float) -> float:
    """The inverse of `swing_position`."""
    p = offbeat_place(ratio)
    if fraction <= p:
        return fraction * 0.5 / p
    return 0.5 + (fraction - p) * 0.5 / (1 - p)


def swing_time(time: float, ratio: float, beat: float = 1.0) -> float:
    """A straight time (quarter notes) played at swing ratio `ratio`, beats of `beat` quarters.

    Example:
    >>> swing_time(2.5, 2.0)   # the "and" of beat 3, triplet swing
    2.6666666666666665
    """
    index = math.floor(time / beat + _CLOSE)
    fraction = time / beat - index
    if fraction < _CLOSE:
        return index * beat
    return (index + swing_position(fraction, ratio)) * beat


def _unswung_beats(notes: list[Note]) -> set[int]:
    """Beats (of a quarter) played as written: those where some onset or end is off the 16th
    grid (triplets) or some onset falls a 16th after the beat (a double-time figure)."""
    beats = set()
    for note in notes:
        for time in (note.offset, note.end):
            if not is_straight(time):
                beats.add(math.floor(time + _CLOSE))
        index = math.floor(note.offset + _CLOSE)
        if abs(note.offset - index - 0.25) < 1e-6:
            beats.add(index)
    return beats


def swing_notes(notes: list[Note], ratio: float) -> list[Note]:
    """Notes written straight, played at swing ratio `ratio` (quarter-note beats).

    Every onset and end moves with `swing_time` (the off-beat eighth to R/(R+1), two 16ths after
    it into the short part), except inside beats that hold triplets or start with 16ths, which
    are played as written. Order and lengths stay positive: each beat's map is monotone.
    """
    if abs(ratio - STRAIGHT) < _CLOSE:
        return list(notes)
    unswung = _unswung_beats(notes)

    def move(time: float) -> float:
        if math.floor(time + _CLOSE) in unswung:
            return time
        return swing_time(time, ratio)

    return [_moved(note, move, FINEST / 2) for note in notes]


def _inner_onsets(notes: list[Note], beat: float) -> dict[int, list[float]]:
    """Beats holding onsets inside them, mapped to where those fall (0-1)."""
    inner: dict[int, list[float]] = {}
    for note in notes:
        position = note.offset / beat
        index = math.floor(position + _CLOSE)
        fraction = position - index
        if fraction > 0.05:
            inner.setdefault(index, []).append(fraction)
    return inner


def _pair_beats(notes: list[Note], beat: float) -> dict[int, float]:
    """Beats holding exactly one onset inside them, mapped to where it falls (0-1)."""
    return {index: f[0] for index, f in _inner_onsets(notes, beat).items() if len(f) == 1}


def detect_swing(notes: list[Note], beat: float = 1.0) -> float:
    """The swing ratio of a line: from beats that hold one off-beat onset, its median position.

    Returns 1.0 (straight) when fewer than four beats hold a swung-looking pair, or when the
    off-beats sit in the middle of their beats.
    """
    low, high = _OFFBEAT_WINDOW
    positions = [f for f in _pair_beats(notes, beat).values() if low <= f <= high]
    if len(positions) < _MIN_SWUNG_BEATS:
        return STRAIGHT
    p = float(np.median(positions))
    if p < _SWUNG_FROM:
        return STRAIGHT
    return round(p / (1 - p), 3)


def straighten(notes: list[Note], ratio: float, beat: float = 1.0) -> list[Note]:
    """Swung pairs written back as straight eighths.

    Only beats whose inner onsets are the swung off-beat near R/(R+1), and possibly the 16th
    after it as `swing_notes` plays it, move (by `straight_position`); triplets and other
    rhythms stay as they are.
    """
    if abs(ratio - STRAIGHT) < _CLOSE:
        return list(notes)
    p, q = offbeat_place(ratio), swing_position(0.75, ratio)

    def swung_figure(fractions: list[float]) -> bool:
        off = [f for f in fractions if abs(f - p) <= 0.1]
        after = [f for f in fractions if abs(f - q) <= 0.05 and f > p + 0.05]
        return len(off) == 1 and len(after) <= 1 and len(off) + len(after) == len(fractions)

    swung = {
        index for index, fractions in _inner_onsets(notes, beat).items()
        if swung_figure(fractions)
    }

    def move(time: float) -> float:
        position = time / beat
        index = math.floor(position + _CLOSE)
        fraction = position - index
        if index not in swung or fraction < _CLOSE:
            return time
        return (index + straight_position(fraction, ratio)) * beat

    return [_moved(note, move, 0.0) for note in notes]


def _moved(note: Note, move, shortest: float) -> Note:
    onset, end = move(note.offset), move(note.end)
    if onset == note.offset and end == note.end:
        return note
    return replace(note, offset=onset, duration=max(end - onset, shortest))
