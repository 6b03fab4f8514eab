"""Metrics of a solo, and how close its distributions come to the training material's.

The comparison follows mgeval (Yang and Lerch, 2018) in spirit: per-feature distributions of
the solo and of the reference, compared by histogram intersection (categorical features) and
by the overlapping area of Gaussian kernel density estimates (per-bar continuous features).
"""

import dataclasses
import math
from collections import Counter

import numpy as np

from datasets.music import ChordTimeline, Note, Piece, note_type

PATTERN_NOTES = 8  # "8-note interval sequences": the 7 intervals between 8 consecutive notes
_INTERVAL_CLIP = 12
_TYPES = ("C", "S", "A", "X")


def _sounding(line: list[Note]) -> list[Note]:
    return [note for note in line if not note.is_rest]


def intervals(line: list[Note]) -> list[int]:
    pitches = [note.pitch for note in _sounding(line)]
    return [b - a for a, b in zip(pitches, pitches[1:], strict=False)]


def interval_patterns(line: list[Note], notes: int = PATTERN_NOTES) -> set[tuple[int, ...]]:
    """The distinct interval sequences of `notes` consecutive notes (so notes - 1 intervals)."""
    steps = intervals(line)
    size = notes - 1
    return {tuple(steps[i : i + size]) for i in range(len(steps) - size + 1)}


def _entropy(counts: Counter) -> float:
    total = sum(counts.values())
    return -sum(c / total * math.log2(c / total) for c in counts.values() if c) if total else 0.0


def _duration_key(duration: float) -> str:
    return f"{duration:g}"


def solo_metrics(raw_notes: list[Note], piece: Piece, length: float) -> dict:
    """Metrics of the solo: `raw_notes` as the file holds them, `piece.melody` as one line.

    Args:
        raw_notes: the solo part's notes before any clean-up (for monophony, zero lengths).
        piece: the solo as read (its melody and the chords to judge it against).
        length: the file's length in quarter notes, for the empty-beat rate.
    """
    notes = _sounding(piece.melody)
    pitches = [n.pitch for n in notes]
    types = Counter(note_type(n.pitch, piece.chords.at(n.offset)) for n in notes)
    steps = intervals(piece.melody)
    ordered = sorted(raw_notes, key=lambda n: (n.offset, n.pitch))
    overlaps = sum(
        1 for a, b in zip(ordered, ordered[1:], strict=False) if b.offset < a.end - 1e-6
    )
    n_beats = max(1, math.ceil(length - 1e-9))
    busy = np.zeros(n_beats, bool)
    for note in notes:
        onset, end = note.offset + piece.start, note.end + piece.start
        busy[int(onset) : max(int(onset) + 1, math.ceil(end - 1e-9))] = True
    lengths = Counter(_duration_key(n.duration) for n in notes)
    count = len(notes)
    return {
        "notes": count,
        "bars": round(length / piece.bar_length, 3),
        "lowest_pitch": min(pitches, default=None),
        "highest_pitch": max(pitches, default=None),
        "pitch_range": (max(pitches) - min(pitches)) if pitches else 0,
        "pitch_class_entropy": round(_entropy(Counter(p % 12 for p in pitches)), 4),
        "mean_abs_interval": round(float(np.mean(np.abs(steps))), 4) if steps else 0.0,
        "chord_tone_ratio": round(types["C"] / count, 4) if count else 0.0,
        "scale_tone_ratio": round((types["C"] + types["S"]) / count, 4) if count else 0.0,
        "note_types": {t: round(types[t] / count, 4) if count else 0.0 for t in _TYPES},
        "note_length_histogram": {
            k: round(v / count, 4) for k, v in sorted(lengths.items(), key=lambda kv: float(kv[0]))
        },
        "monophonic": overlaps == 0,
        "overlapping_notes": overlaps,
        "zero_length_notes": sum(1 for n in raw_notes if n.duration <= 0),
        "empty_beat_rate": round(1.0 - float(busy.mean()), 4),
    }


def with_chords(piece: Piece, chords: ChordTimeline) -> Piece:
    return dataclasses.replace(piece, chords=chords)


# -- Overlap with a reference ----------------------------------------------------------------


def _histograms(pieces: list[Piece]) -> dict[str, Counter]:
    histograms = {k: Counter() for k in ("pitch_class", "interval", "note_length", "note_type")}
    for piece in pieces:
        notes = _sounding(piece.melody)
        histograms["pitch_class"].update(n.pitch % 12 for n in notes)
        histograms["interval"].update(
            max(-_INTERVAL_CLIP, min(_INTERVAL_CLIP, s)) for s in intervals(piece.melody)
        )
        histograms["note_length"].update(_duration_key(n.duration) for n in notes)
        histograms["note_type"].update(note_type(n.pitch, piece.chords.at(n.offset)) for n in notes)
    return histograms


def _per_bar(pieces: list[Piece]) -> dict[str, list[float]]:
    features = {"notes_per_bar": [], "pitch_range_per_bar": [], "mean_abs_interval_per_bar": []}
    for piece in pieces:
        bars: dict[int, list[int]] = {}
        for note in _sounding(piece.melody):
            bars.setdefault(int(note.offset // piece.bar_length), []).append(note.pitch)
        for pitches in bars.values():
            features["notes_per_bar"].append(len(pitches))
            features["pitch_range_per_bar"].append(max(pitches) - min(pitches))
            steps = np.abs(np.diff(pitches))
            features["mean_abs_interval_per_bar"].append(float(steps.mean()) if len(steps) else 0)
    return features


def histogram_intersection(p: Counter, q: Counter) -> float:
    """Σ min(p, q) of the two normalised histograms: 1 for identical, 0 for disjoint."""
    p_total, q_total = sum(p.values()), sum(q.values())
    if not p_total or not q_total:
        return 0.0
    return float(sum(min(p[k] / p_total, q[k] / q_total) for k in set(p) | set(q)))


def kde_overlap(a: list[float], b: list[float], points: int = 512) -> float:
    """Overlapping area of two Gaussian KDEs (Scott's bandwidth), integrated on a grid."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    a_arr, b_arr = np.asarray(a, float), np.asarray(b, float)
    low = min(a_arr.min(), b_arr.min())
    high = max(a_arr.max(), b_arr.max())
    spread = max(high - low, 1.0)
    grid = np.linspace(low - spread / 2, high + spread / 2, points)

    def density(samples):
        bandwidth = max(samples.std(ddof=1), 0.5) * len(samples) ** (-1 / 5)
        z = (grid[:, None] - samples[None, :]) / bandwidth
        return np.exp(-0.5 * z**2).sum(axis=1) / (len(samples) * bandwidth * math.sqrt(2 * math.pi))

    step = grid[1] - grid[0]
    return float(np.minimum(density(a_arr), density(b_arr)).sum() * step)


def overlap_with(solo: Piece, reference: list[Piece]) -> dict:
    """How much of each solo distribution the reference shares, and its share of known patterns."""
    solo_h, ref_h = _histograms([solo]), _histograms(reference)
    solo_f, ref_f = _per_bar([solo]), _per_bar(reference)
    result = {f"{k}_intersection": round(histogram_intersection(solo_h[k], ref_h[k]), 4)
              for k in solo_h}
    result.update({f"{k}_kde_overlap": round(kde_overlap(solo_f[k], ref_f[k]), 4)
                   for k in solo_f})
    result["mean_overlap"] = round(float(np.mean(list(result.values()))), 4)
    patterns = interval_patterns(solo.melody)
    known = set().union(*(interval_patterns(piece.melody) for piece in reference))
    result["interval_patterns"] = len(patterns)
    result["seen_interval_pattern_ratio"] = (
        round(len(patterns & known) / len(patterns), 4) if patterns else 0.0
    )
    return result
