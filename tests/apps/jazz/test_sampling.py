"""The sampled line keeps its place in the bar whatever the model and the temperature: an
untrained model over a vocabulary full of 16ths, triplets and rests."""

import keras
import pytest

from apps.jazz.model import djmodel
from apps.jazz.phrasing import Phrase
from apps.jazz.sampling import SIMPLE_GRID, Sampler
from datasets.music import Meter, parse_chart, parse_value

VALUES = ["C,0.250", "S,0.250,<-3,+3>", "C,0.333", "A,0.333,<-2,+4>", "C,0.500",
          "S,0.500,<-5,+1>", "X,0.667,<-4,+2>", "C,0.750", "C,1.000", "S,1.500,<-2,+2>",
          "R,0.250", "R,0.333", "R,0.500", "R,1.000", "R,2.000"]
FOUR, SIX_EIGHT = Meter(4, 4), Meter(6, 8)
CHART = parse_chart("Dm7 G7 | Cmaj7 | Fmaj7 Bb7 | E7alt")


@pytest.fixture(scope="module", params=[False, True], ids=["values", "chord-input"])
def sampler(request):
    keras.utils.set_random_seed(3)
    model = djmodel(Tx=4, n_values=len(VALUES), n_a=8, chord_input=request.param)
    return Sampler(model, VALUES, request.param)


def timed(values):
    """(onset, value) of each value, onsets in twelfths of a quarter note."""
    onset, timed_values = 0, []
    for text in values:
        value = parse_value(text)
        timed_values.append((onset, value))
        onset += round(value.duration * 12)
    return timed_values


@pytest.mark.parametrize("temperature", [0.0, 1.0, 5.0])
def test_every_value_starts_on_the_grid_and_the_line_fills_the_length(sampler, temperature):
    timeline = CHART.timeline(FOUR, 8)
    for seed in range(6):
        values = sampler.values(timeline, FOUR, 32.0, temperature, seed)
        line = timed(values)
        assert sum(round(v.duration * 12) for _, v in line) == 32 * 12
        assert all(onset % 12 in SIMPLE_GRID for onset, _ in line)
        for onset, value in line:
            if value.kind == "R":  # rests start and end on a beat or an "and"
                assert onset % 6 == 0 and (onset + round(value.duration * 12)) % 6 == 0


def test_a_triplet_is_completed_before_an_eighth_follows(sampler):
    timeline = CHART.timeline(FOUR, 8)
    for seed in range(10):
        line = timed(sampler.values(timeline, FOUR, 32.0, 5.0, seed))
        for onset, _ in line:
            assert onset % 12 not in (1, 2, 5, 7, 10, 11)  # no drift off the grid, ever
        triplet_starts = [o for o, _ in line if o % 12 in (4, 8)]
        sixteenth_starts = {o // 12 for o, _ in line if o % 12 in (3, 9)}
        assert not {o // 12 for o in triplet_starts} & sixteenth_starts


def test_in_six_eight_values_start_on_the_16th_grid(sampler):
    timeline = CHART.timeline(SIX_EIGHT, 4)
    for seed in range(5):
        line = timed(sampler.values(timeline, SIX_EIGHT, 12.0, 5.0, seed))
        assert all(onset % 3 == 0 for onset, _ in line)


def test_phrases_breathe_with_rests_and_notes_stop_at_their_end(sampler):
    timeline = CHART.timeline(FOUR, 8)
    phrases = [Phrase(0.5, 6.0, (60, 80), 0), Phrase(8.0, 14.5, (60, 80), 0),
               Phrase(17.0, 30.0, (60, 80), 0)]
    for seed in range(8):
        line = timed(sampler.values(timeline, FOUR, 32.0, 2.0, seed, phrases))
        for onset, value in line:
            start, end = onset / 12, onset / 12 + value.duration
            inside = [p for p in phrases if p.start - 1e-9 <= start < p.end - 1e-9]
            if value.kind != "R":
                assert inside, (start, value)  # a note only inside a phrase
                assert end <= inside[0].end + 1e-9  # and never past its end
        assert sum(v.duration for _, v in line) == pytest.approx(32.0)


def test_temperature_zero_takes_the_likeliest_value_whatever_the_seed(sampler):
    timeline = CHART.timeline(FOUR, 8)
    phrases = [Phrase(0.0, 14.0, (60, 80), 0), Phrase(16.0, 30.0, (60, 80), 0)]
    greedy = {tuple(sampler.values(timeline, FOUR, 32.0, 0.0, seed, phrases))
              for seed in range(4)}
    assert len(greedy) == 1
    drawn = {tuple(sampler.values(timeline, FOUR, 32.0, 1.0, seed, phrases))
             for seed in range(4)}
    assert len(drawn) > 1


def test_the_solo_signature_returns_onsets_and_lengths(sampler):
    import numpy as np

    inputs = {"length": 8.0, "temperature": 1.0, "seed": 2,
              "phrase_starts": np.array([0.0], "float32"),
              "phrase_ends": np.array([7.0], "float32"), "bar_length": 4.0, "beat_length": 1.0}
    if sampler.chord_input:
        from apps.jazz.conditioning import Changes

        inputs.update(Changes.of(CHART.timeline(FOUR, 2)).as_inputs())
    result = sampler.solo(**inputs)
    onsets, lengths = result["onsets"].numpy(), result["durations"].numpy()
    assert onsets[0] == 0.0
    np.testing.assert_allclose(onsets[1:], (onsets + lengths)[:-1], atol=1e-6)
    assert (onsets + lengths)[-1] == pytest.approx(7.0)
    assert len(result["values"].numpy()) == len(onsets)
