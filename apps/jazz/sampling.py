"""Improvising: the trained cell samples a value per step and feeds it back, in a compiled loop.

The course's inference model takes the argmax from a zero input, so every bar comes out the
same; here each step draws from softmax(log ŷ / temperature) with stateless random numbers
keyed by (seed, t) (`apps.common.sampling.draw`: temperature 0 takes the most likely value), so
one seed always gives one solo and different seeds give different ones.
The loop is a `tf.function` (a graph while loop), exported as the SavedModel signature
`sample(n_values, temperature, seed) -> {"values": strings}`; a chord-conditioned model's takes
the chord changes too and tracks the onset of each value to hear the chord and the beat under
it (`apps.jazz.conditioning`).
"""

import math

import keras
import tensorflow as tf

from apps.common.sampling import draw
from apps.common.serving import keep_variables
from apps.jazz.band import Arrangement, arrange
from apps.jazz.conditioning import Changes, conditioning
from datasets.music import (
    FINEST,
    ChordChart,
    ChordTimeline,
    Meter,
    Note,
    fit_to_length,
    parse_value,
    values_to_notes,
)
from datasets.music.rhythm import TRIPLET_SWING

DEFAULT_BARS = 12  # without --chords or --bars


class Sampler(tf.Module):
    """Samples grammar values from a trained djmodel's cell and densor.

    Args:
        model: the training model (its `LSTM_cell` and `densor` layers are reused).
        values: the vocabulary, in index order.
        chord_input: whether the model is chord-conditioned.

    `sample(n_values, temperature, seed)` returns {"values": (n_values,) strings}. A
    chord-conditioned model's `sample` also takes the changes, in absolute pitch classes
    (`apps.jazz.conditioning.Changes`): `chord_offsets` (n,) where each chord starts in quarter
    notes, `chord_roots` (n,), `chord_pitch_classes` (n, 12) multi-hot, `chord_basses` (n,),
    and the meter's `bar_length` and `beat_length` in quarter notes.
    """

    def __init__(self, model: keras.Model, values: list[str], chord_input: bool):
        super().__init__(name="jazz_sampler")
        keep_variables(self, model)
        self.cell = model.get_layer("LSTM_cell")
        self.densor = model.get_layer("densor")
        self.vocabulary = tf.constant(values)
        self.durations = tf.constant([parse_value(v).duration for v in values], tf.float32)
        self.n_vocab = len(values)
        self.n_a = self.cell.units
        self.chord_input = chord_input
        scalar = [
            tf.TensorSpec([], tf.int32, name="n_values"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="seed"),
        ]
        if chord_input:
            changes = [
                tf.TensorSpec([None], tf.float32, name="chord_offsets"),
                tf.TensorSpec([None], tf.int32, name="chord_roots"),
                tf.TensorSpec([None, 12], tf.float32, name="chord_pitch_classes"),
                tf.TensorSpec([None], tf.int32, name="chord_basses"),
                tf.TensorSpec([], tf.float32, name="bar_length"),
                tf.TensorSpec([], tf.float32, name="beat_length"),
            ]
            self.sample = tf.function(self._sample_over_changes,
                                      input_signature=[*scalar, *changes])
        else:
            self.sample = tf.function(self._sample, input_signature=scalar)

    def _sample(self, n_values, temperature, seed):
        return self._loop(n_values, temperature, seed, None)

    def _sample_over_changes(self, n_values, temperature, seed, chord_offsets, chord_roots,
                             chord_pitch_classes, chord_basses, bar_length, beat_length):
        def heard(offset):
            return conditioning(offset[None], chord_offsets, chord_roots, chord_pitch_classes,
                                chord_basses, bar_length, beat_length)

        return self._loop(n_values, temperature, seed, heard)

    def _loop(self, n_values, temperature, seed, heard):
        x = tf.zeros((1, self.n_vocab))
        a = tf.zeros((1, self.n_a))
        c = tf.zeros((1, self.n_a))
        offset = tf.constant(0.0)
        indices = tf.TensorArray(tf.int32, size=n_values)
        for t in tf.range(n_values):
            step = x if heard is None else tf.concat([x, heard(offset)], axis=-1)
            a, (a, c) = self.cell(step, [a, c])
            logits = tf.math.log(self.densor(a) + 1e-9)
            index = draw(logits, temperature, tf.stack([seed, t]))[0]
            indices = indices.write(t, index)
            offset += tf.gather(self.durations, index)
            x = tf.one_hot(index[None], self.n_vocab)
        return {"values": tf.gather(self.vocabulary, indices.stack())}

    def values(self, chords: ChordTimeline, meter: Meter, length: float, temperature: float,
               seed: int) -> list[str]:
        """Values that fill `length` quarter notes over `chords` in `meter`."""
        n_values = math.ceil(length / FINEST)  # enough even if every value is the shortest
        if self.chord_input:
            inputs = Changes.of(chords).as_inputs()
            result = self.sample(n_values, temperature, seed, **inputs,
                                 bar_length=meter.bar_length, beat_length=meter.beat_length)
        else:
            result = self.sample(n_values, temperature, seed)
        return fit_to_length([v.decode() for v in result["values"].numpy()], length)


def improvise(sampler: Sampler, facts: dict, chords: ChordTimeline, meter: Meter, length: float,
              temperature: float, seed: int) -> list[Note]:
    """A solo of `length` quarter notes over `chords` in `meter`: values sampled, then turned
    into pitches that keep the line's shape inside the register in the model's `facts`."""
    values = sampler.values(chords, meter, length, temperature, seed)
    return values_to_notes(values, chords, seed=seed, register=tuple(facts["register"]),
                           meter=meter)


# -- A solo with its band ------------------------------------------------------------------------


def chord_timeline(trained, chart: ChordChart | None, meter: Meter,
                   bars: int | None) -> tuple[ChordTimeline, int]:
    """The chords to play over and the number of bars.

    A typed chart is laid out in `meter`, repeated or cut to `bars` (default: one pass of the
    chart). Without one, the model's progression (the first training piece's chords) repeats:
    change for change in the model's meter, else its chord on each bar's first beat, one a bar.
    """
    if chart is not None:
        n_bars = bars or chart.n_bars(meter)
        return chart.timeline(meter, n_bars), n_bars
    n_bars = bars or DEFAULT_BARS
    progression, period_bars = trained.progression, trained.facts["progression_bars"]
    if meter == trained.meter:
        period = period_bars * meter.bar_length
        changes = [
            (repeat * period + offset, chord)
            for repeat in range(math.ceil(n_bars / period_bars))
            for offset, chord in progression.changes
            if repeat * period + offset < n_bars * meter.bar_length - 1e-9
        ]
        return ChordTimeline(changes), n_bars
    per_bar = progression.per_bar(period_bars, trained.meter.bar_length)
    chords = [per_bar[bar % len(per_bar)] for bar in range(n_bars)]
    return ChordTimeline.one_per_bar(chords, meter.bar_length), n_bars


def perform(trained, sampler: Sampler, *, chart: ChordChart | None = None,
            meter: Meter | None = None, bars: int | None = None, tempo: float | None = None,
            swing: float = TRIPLET_SWING, band: bool = True, temperature: float = 1.0,
            seed: int = 0) -> Arrangement:
    """A solo improvised over the chords, with the band under it unless `band` is False.

    `meter` defaults to the model's (the meter of its training music), `tempo` to its first
    piece's; `swing` is the long-to-short ratio of paired eighths when the MIDI is rendered.
    """
    meter = meter or trained.meter
    chords, n_bars = chord_timeline(trained, chart, meter, bars)
    length = n_bars * meter.bar_length
    notes = improvise(sampler, trained.facts, chords, meter, length, temperature, seed)
    return arrange(notes, chords, meter=meter, length=length,
                   tempo=tempo or trained.facts["tempo"], swing=swing, band=band, seed=seed)
