"""Metrics of a solo, and how close its distributions come to the training material's.

`evaluate_file` is `python -m apps.jazz evaluate`: the solo's own metrics (`solo_metrics`, the
line's shape from `datasets.music.contour`) and, against reference files, two comparisons:

- `overlap_with`: per-feature distributions of the solo and of the reference, compared by
  histogram intersection (categorical features) and by the overlapping area of Gaussian kernel
  density estimates (per-bar continuous features);
- `set_comparison`: mgeval's (Yang and Lerch, 2020; `apps.jazz.set_comparison`) with the solo's
  two-bar stretches as the generated set, beside the same for the solo's rhythm with random
  pitches (`random_pitch_baseline`). Over one file the sets are small; the benchmark
  (`benchmarks/jazz.py`) compares the solos of ten seeds.
"""

import dataclasses
import math
from collections import Counter
from pathlib import Path

import numpy as np

from apps.jazz import listening
from apps.jazz.set_comparison import compare_sets, random_pitches
from datasets.music import (
    ChordChart,
    ChordTimeline,
    Note,
    Piece,
    collect_sources,
    contour,
    note_type,
    piece_from_score,
    read_piece,
    read_score,
)
from datasets.music.reader import MIDI_SUFFIXES

FILE_SEGMENT_BARS = 2  # samples of one file for the set comparison
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
    shape = contour(notes)
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
        "stepwise_share": round(shape.stepwise_share, 4),
        "direction_change_share": round(shape.direction_change_share, 4),
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


# -- One file, as `evaluate` prints it ----------------------------------------------------------


def evaluate_file(path, *, chart: ChordChart | None = None, melody_part: int | None = None,
                  against: list | None = None) -> dict:
    """The JSON `python -m apps.jazz evaluate` prints for the solo in `path`.

    Args:
        path: a MIDI, MusicXML or ABC file.
        chart: the chords to judge the solo against, laid out in the file's meter from its
            first bar line (default: the file's chord symbols or markers, else inferred).
        melody_part: the solo's part (default: picked as for training).
        against: reference files or folders: adds "against" (overlaps, the set comparison and
            its random-pitch baseline).
    """
    score = read_score(path)
    piece = piece_from_score(score, melody_part)
    length = max(note.end for part in score.parts for note in part.notes)
    if chart is not None:
        n_bars = max(1, math.ceil((length - piece.start) / piece.bar_length - 1e-9))
        timeline = chart.timeline(piece.meter, n_bars)
        piece = with_chords(piece, ChordTimeline(
            [(offset - piece.start, chord) for offset, chord in timeline.changes]
        ))
    result = {"file": str(path), "meter": str(piece.meter), "swing": piece.swing}
    result.update(solo_metrics(score.parts[piece.melody_part].notes, piece, length))
    result["musician"] = musician(path, piece, chart)
    if against:
        reference = [read_piece(source) for source in collect_sources(against)]
        result["against"] = overlap_with(piece, reference)
        result["against"].update(set_comparison(piece, reference))
    return result


def musician(path, piece: Piece, chart: ChordChart | None) -> dict:
    """`apps.jazz.listening.listen` for the solo of `path`: a MIDI file as it sounds (its own
    timing and swing, the passes of the chart from its "Chorus" cue points, the chords from its
    markers or `chart`), any other file as its melody is written."""
    if Path(path).suffix.lower() not in MIDI_SUFFIXES:
        notes = [(n.offset, n.end, n.pitch) for n in _sounding(piece.melody)]
        end = max((n[1] for n in notes), default=0.0)
        return listening.listen(notes, piece.chords, piece.meter, 1.0, [(0.0, end)])
    from apps.jazz.band import read_back

    events = read_back(path)
    tracks = events["tracks"]
    names = [t["name"] for t in tracks]
    index = names.index(piece.melody_name) if piece.melody_name in names else min(
        piece.melody_part, len(tracks) - 1)
    solo = [(on, end, pitch) for on, end, pitch, _ in tracks[index]["notes"]]
    end = max(e for t in tracks for _, e, _, _ in t["notes"])
    sections = listening.sections_of(events["cues"], end)
    start = sections[0][0] if sections else piece.start
    if chart is not None:
        passes = max(1, math.ceil((end - start) / chart.length(piece.meter) - 1e-9))
        laid = chart.timeline(piece.meter, passes * chart.n_bars(piece.meter))
        chords = ChordTimeline([(o + start, c) for o, c in laid.changes])
        length = chart.length(piece.meter)
        sections = sections or [(start + k * length, start + (k + 1) * length)
                                for k in range(passes)]
    else:
        chords = ChordTimeline([(o + piece.start, c) for o, c in piece.chords.changes])
    sections = sections or [(start, end)]
    swing = listening.band_swing(tracks, index)
    return listening.listen(solo, chords, piece.meter, swing, sections)


def set_comparison(solo: Piece, reference: list[Piece],
                   segment_bars: int = FILE_SEGMENT_BARS) -> dict:
    """{"set_comparison", "random_pitch_baseline"}: the solo's stretches against the reference
    (`compare_sets`), and the same rhythm with random pitches in the solo's range; a solo too
    short for two samples gets {"error": why} instead."""
    result = {}
    for key, generated in (("set_comparison", [solo]),
                           ("random_pitch_baseline", random_pitches([solo]))):
        try:
            result[key] = compare_sets(generated, reference, segment_bars=segment_bars)
        except ValueError as error:
            result[key] = {"error": str(error)}
    return result
