"""Chords named from the accompaniment when a file has no chord symbols: one per bar.

Each bar's pitch classes are weighted by how long they sound; every root and chord quality
below is scored by the weight it explains minus the weight it leaves out, with a penalty for
each of its tones that is silent and a bonus when its root is the lowest note.
"""

import math

from datasets.music.chords import NOTE_NAMES, Chord
from datasets.music.score import Note

_QUALITIES = (
    ("", (0, 4, 7)),
    ("m", (0, 3, 7)),
    ("7", (0, 4, 7, 10)),
    ("maj7", (0, 4, 7, 11)),
    ("m7", (0, 3, 7, 10)),
    ("m7b5", (0, 3, 6, 10)),
    ("dim7", (0, 3, 6, 9)),
    ("dim", (0, 3, 6)),
    ("aug", (0, 4, 8)),
)
_MISSING_TONE_PENALTY = 0.15
_BASS_BONUS = 0.1


def name_chord(weights: list[float], bass: int | None) -> Chord | None:
    """The chord that best explains 12 pitch-class weights, or None when all are zero."""
    total = sum(weights)
    if total <= 0:
        return None
    shares = [w / total for w in weights]
    best, best_score = None, -math.inf
    for root in range(12):
        for suffix, intervals in _QUALITIES:
            tones = {(root + i) % 12 for i in intervals}
            inside = sum(shares[pc] for pc in tones)
            missing = sum(1 for pc in tones if shares[pc] < 0.02)
            score = 2 * inside - 1 - _MISSING_TONE_PENALTY * missing
            if bass == root:
                score += _BASS_BONUS
            if score > best_score:
                best, best_score = (root, suffix, intervals), score
    root, suffix, intervals = best
    return Chord(root, intervals, None, NOTE_NAMES[root] + suffix)


def infer_chords(
    notes: list[Note], start: float, end: float, bar_length: float
) -> list[tuple[float, Chord]]:
    """One (offset, chord) per bar from `start` to `end`, offsets relative to `start`.

    A bar where nothing sounds keeps the chord before it (or the first chord found).
    """
    n_bars = max(1, math.ceil((end - start) / bar_length - 1e-9))
    weights = [[0.0] * 12 for _ in range(n_bars)]
    lowest: list[tuple[int, int] | None] = [None] * n_bars
    for note in notes:
        first = max(0, math.floor((note.offset - start) / bar_length))
        last = min(n_bars - 1, math.floor((note.end - start - 1e-9) / bar_length))
        for bar in range(first, last + 1):
            bar_start = start + bar * bar_length
            overlap = min(note.end, bar_start + bar_length) - max(note.offset, bar_start)
            if overlap <= 0:
                continue
            weights[bar][note.pitch % 12] += overlap
            if lowest[bar] is None or note.pitch < lowest[bar][0]:
                lowest[bar] = (note.pitch, note.pitch % 12)

    named = [name_chord(w, low[1] if low else None) for w, low in zip(weights, lowest, strict=True)]
    fallback = next((chord for chord in named if chord is not None), None)
    if fallback is None:
        fallback = Chord(0, (0, 4, 7), None, "C")
    changes, previous = [], fallback
    for bar, chord in enumerate(named):
        previous = chord or previous
        if not changes or changes[-1][1] != previous:
            changes.append((bar * bar_length, previous))
    return changes
