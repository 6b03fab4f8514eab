"""Improvising: the trained cell samples a value per step and feeds it back, in a compiled loop,
in time with the band by construction.

The course's inference model takes the argmax from a zero input, so every bar comes out the
same; here each step draws from softmax(log ŷ / temperature) with stateless random numbers
keyed by (seed, t) (`apps.common.sampling.draw`: temperature 0 takes the most likely value), so
one seed always gives one solo and different seeds give different ones.

The loop counts time in twelfths of a quarter note and keeps the line on the meter's grid: a
value may only start where the last one ended, and values whose length would land the next
one off the grid (the 16ths and eighth triplets of the beat: `SIMPLE_GRID`) are left out of the
draw, which is renormalised over the rest. So a triplet figure is completed before an eighth
follows it, whatever the temperature, and the line never drifts from the band. Rests start and
end on a beat or an "and". Given a phrase plan (`apps.jazz.phrasing`), only rests are drawn in
the breaths between phrases, and a note that would run past its phrase's end is cut there.

The loop is a `tf.function` (a graph while loop), exported as the SavedModel signatures
`sample(n_values, temperature, seed) -> {"values"}` and `solo(length, temperature, seed,
phrase_starts, phrase_ends, bar_length, beat_length) -> {"values", "onsets", "durations"}`;
a chord-conditioned model's take the chord changes too and track the onset of each value to
hear the chord and the beat under it (`apps.jazz.conditioning`).
"""

import math

import keras
import numpy as np
import tensorflow as tf

from apps.common.sampling import draw
from apps.common.serving import keep_variables
from apps.jazz.band import Arrangement, arrange, load_style
from apps.jazz.conditioning import Changes, conditioning
from apps.jazz.phrasing import Phrase, plan_phrases, register_plan
from datasets.errors import InputError
from datasets.music import (
    FINEST,
    ChordChart,
    ChordTimeline,
    Meter,
    Note,
    parse_value,
    values_to_notes,
)
from datasets.music.grammar import Value
from datasets.music.rhythm import STEPS_PER_QUARTER, TRIPLET_SWING

DEFAULT_BARS = 12  # without --chords or --bars
DEFAULT_TEMPO = 120.0  # the band alone, with no model to take a tempo from
_STEPS = STEPS_PER_QUARTER
_NEVER = 1 << 30  # twelfths: a phrase end no solo reaches
# Where in the quarter note (in twelfths) a value may start: the 16th and eighth-triplet grid
# of a simple meter; the 16th grid in meters whose beats divide in three (6/8) or in eighths
# (5/8); rests only on a beat or an "and".
SIMPLE_GRID = (0, 3, 4, 6, 8, 9)
EIGHTHS_GRID = (0, 3, 6, 9)
REST_GRID = (0, 6)


def _mask(positions) -> list[bool]:
    return [k in positions for k in range(_STEPS)]


class Sampler(tf.Module):
    """Samples grammar values from a trained djmodel's cell and densor.

    Args:
        model: the training model (its `LSTM_cell` and `densor` layers are reused).
        values: the vocabulary, in index order.
        chord_input: whether the model is chord-conditioned.

    `sample(n_values, temperature, seed)` returns {"values": (n_values,) strings} on the 4/4
    grid, and `solo(...)` a line that fills `length` quarter notes in the given phrases (see
    the module docstring). A chord-conditioned model's signatures also take the changes, in
    absolute pitch classes (`apps.jazz.conditioning.Changes`): `chord_offsets` (n,) where each
    chord starts in quarter notes, `chord_roots` (n,), `chord_pitch_classes` (n, 12)
    multi-hot, `chord_basses` (n,); its `sample` also the meter's `bar_length` and
    `beat_length` in quarter notes.
    """

    def __init__(self, model: keras.Model, values: list[str], chord_input: bool):
        super().__init__(name="jazz_sampler")
        keep_variables(self, model)
        self.cell = model.get_layer("LSTM_cell")
        self.densor = model.get_layer("densor")
        parsed = [parse_value(v) for v in values]
        self.vocabulary = tf.constant(values)
        self.twelfths = tf.constant([round(v.duration * _STEPS) for v in parsed], tf.int32)
        self.is_rest = tf.constant([v.kind == "R" for v in parsed])
        self.n_vocab = len(values)
        self.n_a = self.cell.units
        self.chord_input = chord_input
        scalar = [
            tf.TensorSpec([], tf.int32, name="n_values"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="seed"),
        ]
        meter = [
            tf.TensorSpec([], tf.float32, name="bar_length"),
            tf.TensorSpec([], tf.float32, name="beat_length"),
        ]
        phrases = [
            tf.TensorSpec([], tf.float32, name="length"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="seed"),
            tf.TensorSpec([None], tf.float32, name="phrase_starts"),
            tf.TensorSpec([None], tf.float32, name="phrase_ends"),
            *meter,
        ]
        if chord_input:
            changes = [
                tf.TensorSpec([None], tf.float32, name="chord_offsets"),
                tf.TensorSpec([None], tf.int32, name="chord_roots"),
                tf.TensorSpec([None, 12], tf.float32, name="chord_pitch_classes"),
                tf.TensorSpec([None], tf.int32, name="chord_basses"),
            ]
            self.sample = tf.function(self._sample_over_changes,
                                      input_signature=[*scalar, *changes, *meter])
            self.solo = tf.function(self._solo_over_changes,
                                    input_signature=[*phrases, *changes])
        else:
            self.sample = tf.function(self._sample, input_signature=scalar)
            self.solo = tf.function(self._solo, input_signature=phrases)

    # -- The signatures ------------------------------------------------------------------------

    def _sample(self, n_values, temperature, seed):
        result = self._loop(n_values, temperature, seed, None, *self._whole(), 1.0)
        return {"values": result["values"]}

    def _sample_over_changes(self, n_values, temperature, seed, chord_offsets, chord_roots,
                             chord_pitch_classes, chord_basses, bar_length, beat_length):
        heard = self._hearing(chord_offsets, chord_roots, chord_pitch_classes, chord_basses,
                              bar_length, beat_length)
        result = self._loop(n_values, temperature, seed, heard, *self._whole(), beat_length)
        return {"values": result["values"]}

    def _solo(self, length, temperature, seed, phrase_starts, phrase_ends, bar_length,
              beat_length):
        return self._phrased(length, temperature, seed, phrase_starts, phrase_ends, None,
                             beat_length)

    def _solo_over_changes(self, length, temperature, seed, phrase_starts, phrase_ends,
                           bar_length, beat_length, chord_offsets, chord_roots,
                           chord_pitch_classes, chord_basses):
        heard = self._hearing(chord_offsets, chord_roots, chord_pitch_classes, chord_basses,
                              bar_length, beat_length)
        return self._phrased(length, temperature, seed, phrase_starts, phrase_ends, heard,
                             beat_length)

    # -- The loop ------------------------------------------------------------------------------

    @staticmethod
    def _whole():
        return tf.constant([0], tf.int32), tf.constant([_NEVER], tf.int32)

    @staticmethod
    def _hearing(offsets, roots, pitch_classes, basses, bar_length, beat_length):
        def heard(onset):
            return conditioning(onset[None], offsets, roots, pitch_classes, basses, bar_length,
                                beat_length)

        return heard

    def _phrased(self, length, temperature, seed, starts, ends, heard, beat_length):
        end = tf.minimum(tf.cast(tf.round(ends * _STEPS), tf.int32),
                         tf.cast(tf.round(length * _STEPS), tf.int32))
        start = tf.cast(tf.round(starts * _STEPS), tf.int32)
        max_steps = tf.cast(tf.round(length * _STEPS), tf.int32)
        return self._loop(max_steps, temperature, seed, heard, start, end, beat_length)

    def _loop(self, max_steps, temperature, seed, heard, starts, ends, beat_length):
        """Values drawn until `max_steps` are drawn or the last phrase ends (in twelfths)."""
        beat = tf.cast(tf.round(tf.cast(beat_length, tf.float32) * _STEPS), tf.int32)
        simple = tf.equal(beat % _STEPS, 0)
        grid = tf.where(simple, tf.constant(_mask(SIMPLE_GRID)), tf.constant(_mask(EIGHTHS_GRID)))
        rest_grid = tf.constant(_mask(REST_GRID))
        x = tf.zeros((1, self.n_vocab))
        a = tf.zeros((1, self.n_a))
        c = tf.zeros((1, self.n_a))
        position = tf.constant(0)
        t = tf.constant(0)
        last = tf.reduce_max(ends)
        indices = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        onsets = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        lengths = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        while tf.logical_and(t < max_steps, position < last):
            onset = tf.cast(position, tf.float32) / _STEPS
            step = x if heard is None else tf.concat([x, heard(onset)], axis=-1)
            a, (a, c) = self.cell(step, [a, c])
            logits = tf.math.log(self.densor(a) + 1e-9)
            phrase = tf.searchsorted(ends, position[None], side="right")[0]
            breath = position < tf.gather(starts, phrase)
            limit = tf.where(breath, tf.gather(starts, phrase), tf.gather(ends, phrase))
            landing = position + self.twelfths
            reaches = landing >= limit
            lands = tf.gather(grid, landing % _STEPS) | reaches
            rest_fits = (self.is_rest & tf.gather(rest_grid, position % _STEPS)
                         & (tf.gather(rest_grid, landing % _STEPS) | reaches))
            allowed = lands & (rest_fits | (~self.is_rest & ~breath))
            fallback = tf.where(breath, self.is_rest, tf.ones_like(self.is_rest))
            allowed = tf.where(tf.reduce_any(allowed), allowed, fallback)
            masked = tf.where(allowed[None], logits, tf.fill(tf.shape(logits), -1e9))
            index = draw(masked, temperature, tf.stack([seed, t]))[0]
            length = tf.minimum(tf.gather(self.twelfths, index), limit - position)
            indices = indices.write(t, index)
            onsets = onsets.write(t, position)
            lengths = lengths.write(t, length)
            position += length
            t += 1
            x = tf.one_hot(index[None], self.n_vocab)
        return {
            "values": tf.gather(self.vocabulary, indices.stack()),
            "onsets": tf.cast(onsets.stack(), tf.float32) / _STEPS,
            "durations": tf.cast(lengths.stack(), tf.float32) / _STEPS,
        }

    # -- From Python ---------------------------------------------------------------------------

    def values(self, chords: ChordTimeline, meter: Meter, length: float, temperature: float,
               seed: int, phrases: list[Phrase] | None = None) -> list[str]:
        """Values that fill `length` quarter notes over `chords` in `meter`, each with the
        length it is played (a note cut at its phrase's end is shorter), rests filling the
        breaths and whatever follows the last phrase."""
        if phrases is None:
            phrases = [Phrase(0.0, length, (0, 127), 0)]
        inputs = {
            "length": length, "temperature": temperature, "seed": seed,
            "phrase_starts": np.asarray([p.start for p in phrases], np.float32),
            "phrase_ends": np.asarray([p.end for p in phrases], np.float32),
            "bar_length": meter.bar_length, "beat_length": meter.beat_length,
        }
        if self.chord_input:
            inputs.update(Changes.of(chords).as_inputs())
        result = self.solo(**inputs)
        line, position = [], 0.0
        for text, onset, duration in zip(result["values"].numpy(), result["onsets"].numpy(),
                                         result["durations"].numpy(), strict=True):
            value = parse_value(text.decode())
            line.append(str(Value(value.kind, float(duration), value.bounds)))
            position = float(onset + duration)
        if length - position > FINEST / 2:
            line += _rests(length - position)
        return line


def _rests(length: float) -> list[str]:
    """Rest values that fill `length` quarter notes: whole beats, then what is left."""
    whole = math.floor(length + 1e-9)
    rests = [str(Value("R", float(whole)))] if whole else []
    if length - whole > 1e-9:
        rests.append(str(Value("R", length - whole)))
    return rests


def improvise(sampler: Sampler, chords: ChordTimeline, meter: Meter, length: float,
              temperature: float, seed: int, phrases: list[Phrase],
              register: tuple[int, int], ending: bool = False) -> list[Note]:
    """A solo of `length` quarter notes over `chords` in `meter`, in `phrases`: values sampled,
    then turned into pitches that keep the line's shape inside each phrase's register and aim
    at the changes; with `ending`, a last chord tone held on the chord at `length`."""
    values = sampler.values(chords, meter, length, temperature, seed, phrases)
    if ending:
        values.append(str(Value("C", meter.bar_length)))
    return values_to_notes(values, chords, seed=seed, register=register_plan(phrases, register),
                           meter=meter, aim=True)


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


def perform(trained, sampler: Sampler | None, *, chart: ChordChart | None = None,
            meter: Meter | None = None, bars: int | None = None, choruses: int | None = None,
            tempo: float | None = None, swing: float = TRIPLET_SWING, band: bool = True,
            temperature: float = 1.0, seed: int = 0, style=None, count_in: bool = False,
            ending: bool = False, solo: bool = True,
            register: tuple[int, int] | None = None) -> Arrangement:
    """A solo improvised over the chords, with the band under it unless `band` is False.

    Args:
        trained: the model folder read back (`apps.jazz.export.TrainedJazz`); None only for the
            band alone (`solo` False) over a `chart`, in 4/4 unless `meter` says otherwise.
        sampler: the model's `Sampler` (None when `solo` is False).
        chart: the chords (default: the model's progression, repeated).
        meter: default the model's (the meter of its training music).
        bars, choruses: the length, in bars or in passes of the chart (default one pass).
        tempo: default the style's, else the model's first piece's.
        swing: the long-to-short ratio of paired eighths when the MIDI is rendered.
        style: `apps.jazz.styles.Style` (default swing).
        count_in: a bar of the drums alone first.
        ending: the chart's first chord once more after the last pass, held, the solo's last
            note on it.
        solo: False for the band alone (a minus-one track).
        register: (lowest, highest) MIDI pitch of the solo (default: the model's).
    """
    style = style or load_style("swing")
    meter = meter or (trained.meter if trained is not None else Meter(4, 4))
    if chart is not None:
        chorus_bars = chart.n_bars(meter)
    elif trained is not None:
        chorus_bars = trained.facts["progression_bars"] if meter == trained.meter else None
        chorus_bars = chorus_bars or DEFAULT_BARS
    else:
        raise InputError("give --chords (or --chords-from) for the band without a model")
    if choruses is not None:
        bars = choruses * chorus_bars
    chords, n_bars = chord_timeline(trained, chart, meter, bars)
    length = n_bars * meter.bar_length
    closing = next((c for _, c in chords.changes if not c.is_no_chord), None) if ending else None
    notes = []
    if solo:
        try:
            heard = chords.without_breaks()
        except ValueError:
            source = chart.source if chart is not None else "the chords"
            raise InputError(f"{source}: every chord is N.C.; the solo needs at least one "
                             "chord (or use --no-solo)") from None
        if closing is not None:
            heard = ChordTimeline([*heard.changes, (length, closing)])
        register = register or tuple(trained.facts["register"])
        phrases = plan_phrases(meter, n_bars, chorus_bars, register, seed,
                               to_the_end=closing is not None)
        notes = improvise(sampler, heard, meter, length, temperature, seed, phrases, register,
                          ending=closing is not None)
    default_tempo = trained.facts["tempo"] if trained is not None else DEFAULT_TEMPO
    return arrange(notes, chords, meter=meter, length=length,
                   tempo=tempo or style.tempo or default_tempo, swing=swing, band=band,
                   seed=seed, style=style, count_in=count_in, ending=closing,
                   chorus_bars=chorus_bars, solo_track=solo)
