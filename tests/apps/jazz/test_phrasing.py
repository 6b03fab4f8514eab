"""The phrase plan: 2- and 4-bar units, starts and ends on a beat or an "and", breaths of a beat
or more, and a register that climbs in one chorus and answers in the next."""

import pytest

from apps.jazz.phrasing import plan_phrases, register_plan, units
from datasets.music import Meter

FOUR, THREE, SIX_EIGHT = Meter(4, 4), Meter(3, 4), Meter(6, 8)


@pytest.mark.parametrize(("n_bars", "chorus_bars"), [(12, 12), (36, 12), (32, 32), (10, 5)])
def test_units_of_two_and_four_bars_fill_each_chorus(n_bars, chorus_bars):
    import numpy as np

    for seed in range(5):
        found = units(n_bars, chorus_bars, np.random.default_rng(seed))
        assert sum(size for _, size, _ in found) == n_bars
        for first, size, chorus in found:
            assert first // chorus_bars == chorus
            assert (first + size - 1) // chorus_bars == chorus  # no unit crosses a chorus
            assert size in (2, 4) or size == chorus_bars % 4 or size == 1


@pytest.mark.parametrize("meter", [FOUR, THREE, SIX_EIGHT])
def test_phrases_start_and_end_on_a_beat_or_an_and_and_breathe_between(meter):
    for seed in range(10):
        phrases = plan_phrases(meter, 24, 12, (55, 84), seed)
        assert len(phrases) >= 4
        for phrase in phrases:
            for time in (phrase.start, phrase.end):
                assert (time * 2) == pytest.approx(round(time * 2))  # eighth grid
            assert phrase.end - phrase.start >= meter.beat_length
        for before, after in zip(phrases, phrases[1:], strict=False):
            assert after.start - before.end >= meter.beat_length - 1e-9
        assert phrases[-1].end <= 24 * meter.bar_length - meter.beat_length + 1e-9


def test_before_an_ending_the_last_phrase_runs_to_the_end_of_the_form():
    phrases = plan_phrases(FOUR, 12, 12, (55, 84), 3, to_the_end=True)
    assert phrases[-1].end == 48.0


def test_the_register_climbs_in_the_first_chorus_and_answers_in_the_second():
    phrases = plan_phrases(FOUR, 24, 12, (55, 84), 1)
    first = [p for p in phrases if p.chorus == 0]
    second = [p for p in phrases if p.chorus == 1]
    assert first[0].register[0] < first[-1].register[0]
    assert second[0].register[0] > second[-1].register[0]
    for phrase in phrases:
        low, high = phrase.register
        assert 55 <= low < high <= 84 and high - low >= 15
    at = register_plan(phrases, (55, 84))
    assert at(first[0].start) == first[0].register
    assert at(second[-1].end + 1.0) == second[-1].register


def test_the_same_seed_gives_the_same_plan():
    assert plan_phrases(FOUR, 24, 12, (55, 84), 5) == plan_phrases(FOUR, 24, 12, (55, 84), 5)
    assert any(plan_phrases(FOUR, 24, 12, (55, 84), s) != plan_phrases(FOUR, 24, 12, (55, 84), 5)
               for s in range(6, 10))
