"""The input pipeline: pieces → values → vocabulary → windows → tf.data."""

import math
import sys

import numpy as np
import tensorflow as tf

from apps.common.data import EpochStream
from datasets.errors import InputError
from datasets.music import (
    Chord,
    Piece,
    Vocabulary,
    Windows,
    collect_sources,
    default_pieces,
    in_all_keys,
    melody_to_values,
    read_piece,
    split_windows,
)

MAX_PROGRESSION_BARS = 32


def load_pieces(paths: list[str] | None, melody_part: int | None) -> list[Piece]:
    """The user's files (directories searched), or the embedded corpus when `paths` is None.

    A file that cannot be read, or whose melody has no notes, is skipped with one warning line
    when there are several; the run fails only if none is left. Progress goes to stderr.

    Raises:
        InputError: no file gave a melody (the message names the last problem).
    """
    if not paths:
        if melody_part is not None:
            raise InputError("--melody-part applies to --midi files; none were given")
        return default_pieces()
    sources = collect_sources(paths)
    pieces, problem = [], None
    for i, source in enumerate(sources, 1):
        if len(sources) > 1:
            print(f"jazz: reading {i}/{len(sources)} {source}", file=sys.stderr, flush=True)
        try:
            piece = read_piece(source, melody_part)
            if not any(not note.is_rest for note in piece.melody):
                raise InputError(f"{piece.name}: the melody part has no notes after its first bar")
        except InputError as error:
            if len(sources) == 1:
                raise
            problem = error
            print(f"jazz: warning: skipped {source}: {error}", file=sys.stderr, flush=True)
            continue
        pieces.append(piece)
    if not pieces:
        raise InputError(f"none of the {len(sources)} files gave a melody to learn ({problem})")
    return pieces


def build_vocabulary(pieces: list[Piece]) -> Vocabulary:
    return Vocabulary(value for piece in pieces for value in melody_to_values(piece))


def training_windows(
    pieces: list[Piece], vocab: Vocabulary, Tx: int, stride: int, transpose: bool
) -> tuple[Windows, Windows | None]:
    return split_windows(in_all_keys(pieces) if transpose else pieces, vocab, Tx, stride=stride)


def examples(windows: Windows, n_a: int, chord_input: bool) -> tf.data.Dataset:
    """Single examples ({"X", "a0", "c0"[, "chords"]}, Y), in window order."""
    m = len(windows)
    inputs = {"X": windows.X, "a0": np.zeros((m, n_a), np.float32)}
    inputs["c0"] = inputs["a0"]
    if chord_input:
        inputs["chords"] = windows.chords
    return tf.data.Dataset.from_tensor_slices((inputs, windows.Y))


def training_stream(
    windows: Windows, n_a: int, batch_size: int, chord_input: bool, seed: int
) -> EpochStream:
    """Training batches, shuffled afresh each epoch by (seed, epoch) so --resume is exact."""
    return EpochStream(
        examples(windows, n_a, chord_input), lambda d: d.batch(batch_size), seed
    )


def validation_batches(
    windows: Windows, n_a: int, batch_size: int, chord_input: bool
) -> tf.data.Dataset:
    return examples(windows, n_a, chord_input).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def melody_register(pieces: list[Piece]) -> tuple[int, int]:
    """The 5th to 95th percentile of the training melodies, at least an octave and a half wide."""
    pitches = [note.pitch for piece in pieces for note in piece.melody if not note.is_rest]
    low, high = (int(v) for v in np.percentile(pitches, [5, 95]))
    while high - low < 18:
        low, high = low - 1, high + 1
    return max(low, 21), min(high, 108)


def bar_length(pieces: list[Piece]) -> float:
    """Quarter notes per bar of the first piece: the meter generated solos are written in."""
    return float(pieces[0].bar_length)


def first_progression(pieces: list[Piece], bar_length: float) -> list[list]:
    """The first piece's chords, one per bar of `bar_length`, as JSON-ready lists."""
    piece = pieces[0]
    end = piece.melody[-1].end if piece.melody else bar_length
    n_bars = min(MAX_PROGRESSION_BARS, max(1, math.ceil(end / bar_length)))
    return [
        [chord.root, list(chord.intervals), chord.bass, chord.figure]
        for chord in piece.chords.per_bar(n_bars, bar_length)
    ]


def progression_from_json(rows: list[list]) -> list[Chord]:
    return [Chord(root, tuple(intervals), bass, figure) for root, intervals, bass, figure in rows]
