"""The input pipeline: pieces → values (and conditioning) → vocabulary → windows → tf.data,
and the facts of the data that `generate` needs."""

import math
import sys
from pathlib import Path

import numpy as np
import tensorflow as tf

from apps.common.data import EpochStream
from apps.jazz.conditioning import encode_conditioned, transpose_roots
from datasets.errors import InputError
from datasets.music import (
    ChordTimeline,
    Piece,
    Vocabulary,
    Windows,
    collect_sources,
    default_pieces,
    encode_piece,
    melody_to_values,
    most_common_meter,
    read_piece,
    split_windows,
)

MAX_PROGRESSION_BARS = 32
REGISTER_SPAN = 24  # semitones


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
    pieces: list[Piece], vocab: Vocabulary, Tx: int, stride: int, chord_input: bool
) -> tuple[Windows, Windows | None]:
    """Windows of Tx values; with `chord_input`, each value's conditioning rows
    (`apps.jazz.conditioning`), else its chord's pitch classes (unused by the model)."""
    encode = encode_conditioned if chord_input else encode_piece
    return split_windows(pieces, vocab, Tx, stride=stride, encode=encode)


def examples(windows: Windows, n_a: int, chord_input: bool) -> tf.data.Dataset:
    """Single examples ({"X", "a0", "c0"[, "chords"]}, Y, weights), in window order.

    The weight of a step is 1 where it holds a value and 0 where it pads a short piece, so
    the accuracy Keras reports (a weighted metric) counts values only. The loss does not
    change: a padded step's target is all zeros, so its cross-entropy is 0 anyway.
    """
    m = len(windows)
    inputs = {"X": windows.X, "a0": np.zeros((m, n_a), np.float32)}
    inputs["c0"] = inputs["a0"]
    if chord_input:
        inputs["chords"] = windows.chords
    weights = (windows.Y.sum(axis=-1) > 0).astype(np.float32)
    return tf.data.Dataset.from_tensor_slices((inputs, windows.Y, weights))


class TransposedEpochs(EpochStream):
    """An `EpochStream` whose every window, each epoch, is moved to a key drawn at random
    (stateless, from the run's seed, the epoch and the batch): over the epochs the model hears
    the material in all 12 keys for the time one key takes. Values are relative to the
    chords, so only the chord root of the conditioning moves."""

    def epoch(self, e):
        key = (self.seed * 1_000_003 + e) % (1 << 31)

        def move(index, batch):
            inputs, targets, weights = batch
            chords = inputs["chords"]
            shift = tf.random.stateless_uniform(
                tf.shape(chords)[:1], seed=tf.stack([tf.constant(key, tf.int64), index]),
                minval=0, maxval=12, dtype=tf.int32,
            )
            return {**inputs, "chords": transpose_roots(chords, shift)}, targets, weights

        return super().epoch(e).enumerate().map(move)


def training_stream(
    windows: Windows, n_a: int, batch_size: int, chord_input: bool, transpose: bool, seed: int
) -> EpochStream:
    """Training batches, shuffled afresh each epoch by (seed, epoch) so --resume is exact."""
    kind = TransposedEpochs if transpose and chord_input else EpochStream
    return kind(examples(windows, n_a, chord_input), lambda d: d.batch(batch_size), seed)


def validation_batches(
    windows: Windows, n_a: int, batch_size: int, chord_input: bool
) -> tf.data.Dataset:
    return examples(windows, n_a, chord_input).batch(batch_size).prefetch(tf.data.AUTOTUNE)


def held_out_nll(model, batches: tf.data.Dataset) -> tuple[float, int]:
    """Mean negative natural-log likelihood per held-out value (padding steps left out), and
    how many values it is the mean of: the held-out log-likelihood is minus the first."""
    total, count = 0.0, 0
    for inputs, Y, _ in batches:
        y_hat = model(inputs, training=False)
        real = tf.reduce_sum(Y, axis=-1) > 0
        p = tf.reduce_sum(Y * y_hat, axis=-1)
        total += float(-tf.reduce_sum(tf.math.log(tf.boolean_mask(p, real) + 1e-12)))
        count += int(tf.reduce_sum(tf.cast(real, tf.int32)))
    return (total / count if count else float("nan")), count


# -- Facts of the data ---------------------------------------------------------------------------


def melody_register(pieces: list[Piece]) -> tuple[int, int]:
    """The 2nd to 98th percentile of the training melodies, at least two octaves wide: the
    range a solo moves in, phrase by phrase (`apps.jazz.phrasing`)."""
    pitches = [note.pitch for piece in pieces for note in piece.melody if not note.is_rest]
    low, high = (int(v) for v in np.percentile(pitches, [2, 98]))
    while high - low < REGISTER_SPAN:
        low, high = low - 1, high + 1
    return max(low, 21), min(high, 108)


def data_facts(pieces: list[Piece]) -> dict:
    """What the training music says, for `generate`: its meter (the one holding the most
    music), the melodies' register, and the chords and tempo of the first piece in that meter.

        meter        "3/4", ...: the time signature generated solos are written in
        bar_length   quarter notes per bar of that meter
        register     [lowest, highest] MIDI pitch of generated solos
        progression  that piece's chord changes (`ChordTimeline.to_json`: offset in quarter
                     notes, root, degrees, bass, figure), at most MAX_PROGRESSION_BARS bars
        progression_bars  the bars the progression spans
        tempo        that piece's quarter notes per minute
        swing        {piece: ratio} of the pieces that were read swung and straightened
    """
    meter = most_common_meter(pieces)
    first = next(piece for piece in pieces if piece.meter == meter)
    end = first.melody[-1].end if first.melody else meter.bar_length
    n_bars = min(MAX_PROGRESSION_BARS, max(1, math.ceil(end / meter.bar_length - 1e-9)))
    length = n_bars * meter.bar_length
    changes = [(0.0, first.chords.at(0.0))] + [
        (offset, chord) for offset, chord in first.chords.changes if 1e-9 < offset < length - 1e-9
    ]
    return {
        "meter": str(meter),
        "bar_length": meter.bar_length,
        "register": list(melody_register(pieces)),
        "progression": ChordTimeline(changes).to_json(),
        "progression_bars": n_bars,
        "tempo": round(first.tempo, 2),
        "swing": {Path(piece.name).name: piece.swing for piece in pieces if piece.swing != 1.0},
    }
