"""What a chord-conditioned model hears beside the previous value: the harmony and the beat.

For the value about to be played, starting at `onset` quarter notes from the first bar line:

    root        12  the chord's root, one-hot (the only absolute feature: transposing moves it)
    tones       12  the chord's tones above its root (its quality: C7 and Cm7 differ here)
    bass        12  the bass above the root, one-hot (0 without a slash)
    next_root   12  the next chord's root above this one (G7 → C: a fourth up)
    next_tones  12  the next chord's tones above its root
    beat_phase  12  where in the beat the value starts, in twelfths (the rhythm grid's step)
    beat         8  which beat of the bar (the eighth and later beats share the last slot)
    to_change    1  beats to the next chord change, divided by 8, at most 1

Everything but `root` is relative to the chord, as the values are, so a line learnt over
Bb7 → Eb7 applies over F7 → Bb7. The features are computed with TensorFlow ops, the same code
for the training windows (eagerly, from NumPy arrays) and inside the SavedModel's sampling loop,
which tracks the running onset and looks the chord up in the changes it is given.
"""

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from datasets.music import ChordTimeline, Piece, melody_values_and_onsets

SIZES = {
    "root": 12, "tones": 12, "bass": 12, "next_root": 12, "next_tones": 12,
    "beat_phase": 12, "beat": 8, "to_change": 1,
}
N_CONDITIONING = sum(SIZES.values())
ROOT = slice(0, SIZES["root"])  # the slice that transposition moves
_MAX_BEATS_AHEAD = 8.0
_EPS = 1e-6


@dataclass(frozen=True)
class Changes:
    """A chord timeline as arrays: where each chord starts, its root, all its pitch classes
    (multi-hot) and its bass, in absolute pitch classes; the SavedModel's chord inputs."""

    offsets: np.ndarray  # (n,) float32, sorted
    roots: np.ndarray  # (n,) int32
    pitch_classes: np.ndarray  # (n, 12) float32
    basses: np.ndarray  # (n,) int32

    @classmethod
    def of(cls, timeline: ChordTimeline) -> "Changes":
        pitch_classes = np.zeros((len(timeline.chords), 12), np.float32)
        for row, chord in enumerate(timeline.chords):
            pitch_classes[row, sorted(chord.pitch_classes)] = 1.0
        return cls(
            np.asarray(timeline.offsets, np.float32),
            np.asarray([c.root for c in timeline.chords], np.int32),
            pitch_classes,
            np.asarray([c.bass_class for c in timeline.chords], np.int32),
        )

    def as_inputs(self) -> dict:
        return {
            "chord_offsets": self.offsets, "chord_roots": self.roots,
            "chord_pitch_classes": self.pitch_classes, "chord_basses": self.basses,
        }


def _above(rows, roots):
    """Multi-hot pitch-class rows (T, 12) re-read from each row's root: column k is root + k."""
    index = (roots[:, None] + tf.range(12)[None, :]) % 12
    return tf.gather(rows, index, batch_dims=1)


def conditioning(onsets, offsets, roots, pitch_classes, basses, bar_length, beat_length):
    """The (T, N_CONDITIONING) features of values starting at `onsets` (T,) over the chords
    (`Changes` arrays). Before the first change the first chord holds; the last chord's next
    chord is itself, with no change ahead."""
    onsets = tf.cast(onsets, tf.float32)
    offsets = tf.cast(offsets, tf.float32)
    roots, basses = tf.cast(roots, tf.int32), tf.cast(basses, tf.int32)
    pitch_classes = tf.cast(pitch_classes, tf.float32)
    bar_length, beat_length = tf.cast(bar_length, tf.float32), tf.cast(beat_length, tf.float32)
    last = tf.shape(offsets)[0] - 1
    here = tf.clip_by_value(
        tf.searchsorted(offsets, onsets + _EPS, side="right", out_type=tf.int32) - 1, 0, last
    )
    ahead = tf.minimum(here + 1, last)
    root, next_root = tf.gather(roots, here), tf.gather(roots, ahead)

    beats = onsets / beat_length
    phase = tf.cast(tf.round((beats - tf.floor(beats + _EPS)) * 12), tf.int32) % 12
    in_bar = onsets - tf.floor(onsets / bar_length + _EPS) * bar_length
    beat = tf.minimum(tf.cast(tf.floor(in_bar / beat_length + _EPS), tf.int32), SIZES["beat"] - 1)
    to_change = tf.where(
        ahead > here, (tf.gather(offsets, ahead) - onsets) / beat_length, _MAX_BEATS_AHEAD
    )
    to_change = tf.clip_by_value(to_change / _MAX_BEATS_AHEAD, 0.0, 1.0)
    return tf.concat(
        [
            tf.one_hot(root, 12),
            _above(tf.gather(pitch_classes, here), root),
            tf.one_hot((tf.gather(basses, here) - root) % 12, 12),
            tf.one_hot((next_root - root) % 12, 12),
            _above(tf.gather(pitch_classes, ahead), next_root),
            tf.one_hot(phase, 12),
            tf.one_hot(beat, SIZES["beat"]),
            to_change[:, None],
        ],
        axis=-1,
    )


def encode_conditioned(piece: Piece) -> tuple[list[str], np.ndarray]:
    """A piece's values and their conditioning rows (for `datasets.music.split_windows`)."""
    values, onsets = melody_values_and_onsets(piece)
    changes = Changes.of(piece.chords)
    meter = piece.meter
    rows = conditioning(
        np.asarray(onsets, np.float32), changes.offsets, changes.roots, changes.pitch_classes,
        changes.basses, meter.bar_length, meter.beat_length,
    )
    return values, rows.numpy().reshape(len(values), N_CONDITIONING)


def transpose_roots(chords, semitones):
    """Conditioning rows (..., N_CONDITIONING) of music moved by `semitones` (one per leading
    row of `chords`, broadcast over the rest): only the root one-hot changes."""
    root = chords[..., ROOT]
    shift = tf.reshape(tf.cast(semitones, tf.int32), [-1] + [1] * (len(root.shape) - 1))
    index = (tf.range(12) - shift) % 12
    index = tf.broadcast_to(index, tf.shape(root))
    moved = tf.gather(root, index, batch_dims=len(root.shape) - 1)
    return tf.concat([moved, chords[..., ROOT.stop :]], axis=-1)

