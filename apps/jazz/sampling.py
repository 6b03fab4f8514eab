"""Improvising: the trained cell samples a value per step and feeds it back, in a compiled loop.

The course's inference model takes the argmax from a zero input, so every bar comes out the
same; here each step draws from softmax(log ŷ / temperature) with stateless random numbers
keyed by (seed, t) (`apps.common.sampling.draw`: temperature 0 takes the most likely value), so
one seed always gives one solo and different seeds give different ones.
The loop is a `tf.function` (a graph while loop), exported as the SavedModel signature
`sample(n_values, temperature, seed[, chords]) -> {"values": strings}`.
"""

import math

import keras
import numpy as np
import tensorflow as tf

from apps.common.sampling import draw
from datasets.music import (
    N_CHORD_FEATURES,
    ChordTimeline,
    chord_vector,
    fit_to_length,
    parse_value,
    values_to_notes,
)
from datasets.music.melody import GRID


class Sampler(tf.Module):
    """Samples grammar values from a trained djmodel's cell and densor.

    Args:
        model: the training model (its `LSTM_cell` and `densor` layers are reused).
        values: the vocabulary, in index order.
        chord_input: whether the model takes the chord under each step.

    `sample(n_values, temperature, seed[, chords (n_values, 12)])` returns {"values": (n_values,)
    strings}. `sample_over_bars(n_values, temperature, seed, bar_chords (n_bars, 12),
    bar_length)` is the same loop for a chord-conditioned model when only one chord per bar is
    known: it tracks the running offset to find the chord under each step.
    """

    def __init__(self, model: keras.Model, values: list[str], chord_input: bool):
        super().__init__(name="jazz_sampler")
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
            per_step = tf.TensorSpec([None, N_CHORD_FEATURES], tf.float32, name="chords")
            self.sample = tf.function(self._sample_with_chords, input_signature=[*scalar, per_step])
            per_bar = [
                tf.TensorSpec([None, N_CHORD_FEATURES], tf.float32, name="bar_chords"),
                tf.TensorSpec([], tf.float32, name="bar_length"),
            ]
            self.sample_over_bars = tf.function(
                self._sample_over_bars, input_signature=[*scalar, *per_bar]
            )
        else:
            self.sample = tf.function(self._sample, input_signature=scalar)

    def _sample(self, n_values, temperature, seed):
        return self._loop(n_values, temperature, seed, None)

    def _sample_with_chords(self, n_values, temperature, seed, chords):
        def chord_at(t, offset):
            return chords[tf.minimum(t, tf.shape(chords)[0] - 1)]  # the last chord holds

        return self._loop(n_values, temperature, seed, chord_at)

    def _sample_over_bars(self, n_values, temperature, seed, bar_chords, bar_length):
        def chord_at(t, offset):
            bar = tf.cast(tf.floor(offset / bar_length), tf.int32)
            return bar_chords[tf.minimum(bar, tf.shape(bar_chords)[0] - 1)]

        return self._loop(n_values, temperature, seed, chord_at)

    def _loop(self, n_values, temperature, seed, chord_at):
        x = tf.zeros((1, self.n_vocab))
        a = tf.zeros((1, self.n_a))
        c = tf.zeros((1, self.n_a))
        offset = tf.constant(0.0)
        indices = tf.TensorArray(tf.int32, size=n_values)
        for t in tf.range(n_values):
            step = x if chord_at is None else tf.concat([x, chord_at(t, offset)[None]], axis=-1)
            a, (a, c) = self.cell(step, [a, c])
            logits = tf.math.log(self.densor(a) + 1e-9)
            index = draw(logits, temperature, tf.stack([seed, t]))[0]
            indices = indices.write(t, index)
            offset += tf.gather(self.durations, index)
            x = tf.one_hot(index[None], self.n_vocab)
        return {"values": tf.gather(self.vocabulary, indices.stack())}


def improvise(config, facts, sampler, bar_chords, temperature: float, seed: int) -> list:
    """Sample values for len(bar_chords) bars and turn them into notes over those chords.

    `facts` are the model folder's: its `bar_length` and `register`.
    """
    bar_length = facts["bar_length"]
    length = len(bar_chords) * bar_length
    n_values = math.ceil(length / GRID)  # enough even if every value is the shortest
    if config.chord_input:
        vectors = np.stack([chord_vector(chord) for chord in bar_chords])
        result = sampler.sample_over_bars(n_values, temperature, seed, vectors, bar_length)
    else:
        result = sampler.sample(n_values, temperature, seed)
    values = fit_to_length([v.decode() for v in result["values"].numpy()], length)
    timeline = ChordTimeline.one_per_bar(bar_chords, bar_length)
    return values_to_notes(values, timeline, seed=seed, register=tuple(facts["register"]))
