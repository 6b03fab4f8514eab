"""Where the soloist plays and breathes, and in which register: the plan a solo is sampled in.

A chorus (one pass of the chart) is cut into units of four bars, some of them two bars of
question and two of answer, and a chart whose length is not a multiple of four ends with a
shorter unit. In each unit the line starts on a beat or an "and" near the unit's first bar line
(sometimes a pickup half a beat before it) and stops on a beat or an "and" early enough to
breathe: a rest of a beat or more before the next phrase. With an ending, the last phrase runs
to the end of the form and lands on the final chord.

The register moves with the form: each phrase gets a window of the instrument's range whose
place follows an arc over the chorus. The first chorus starts low and climbs, the next answers
from the top, the one after climbs again from the middle, and so on.
"""

from dataclasses import dataclass

import numpy as np

from apps.jazz.band.parts import beat_time
from datasets.music.meter import Meter

UNIT_BARS = 4
# Where a phrase starts after its unit's first bar line, in beats (-0.5: a pickup), and how
# long it breathes before the next unit, in beats, with how often each is drawn.
_STARTS = ((0.0, 0.45), (0.5, 0.25), (1.0, 0.2), (-0.5, 0.1))
_BREATHS = ((1.0, 0.2), (1.5, 0.2), (2.0, 0.3), (3.0, 0.2), (4.0, 0.1))
_QUESTION_AND_ANSWER = 0.3  # a four-bar unit played as two two-bar phrases
# The arc of each chorus: where its phrases' windows sit in the range, from its first phrase
# to its last (0: the bottom of the range, 1: the top).
_ARCS = ((0.0, 1.0), (1.0, 0.3), (0.35, 1.0))
_WINDOW_SHARE, _MIN_WINDOW = 0.65, 15  # a phrase's window: this share of the range, at least


@dataclass(frozen=True)
class Phrase:
    """Where the line may sound, in quarter notes from the form's first bar line, the register
    it moves in there, and the chorus it belongs to (0-based)."""

    start: float
    end: float
    register: tuple[int, int]
    chorus: int


def units(n_bars: int, chorus_bars: int, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """(first bar, bars, chorus) of each phrase unit: fours (some split in two twos), then
    what is left of the chorus."""
    found = []
    for chorus_start in range(0, n_bars, chorus_bars):
        chorus = chorus_start // chorus_bars
        end = min(chorus_start + chorus_bars, n_bars)
        bar = chorus_start
        while bar < end:
            size = min(UNIT_BARS, end - bar)
            if size == UNIT_BARS and rng.random() < _QUESTION_AND_ANSWER:
                found += [(bar, 2, chorus), (bar + 2, 2, chorus)]
            else:
                found.append((bar, size, chorus))
            bar += size
    return found


def _choice(options, rng: np.random.Generator) -> float:
    values, weights = zip(*options, strict=True)
    weights = np.asarray(weights, float)
    return float(values[int(rng.choice(len(values), p=weights / weights.sum()))])


def plan_phrases(meter: Meter, n_bars: int, chorus_bars: int, register: tuple[int, int],
                 seed: int, *, to_the_end: bool = False) -> list[Phrase]:
    """The phrases of a solo of `n_bars` bars in `meter` (see the module docstring).

    Args:
        chorus_bars: bars of one pass of the chart.
        register: (lowest, highest) MIDI pitch of the instrument.
        seed: the same seed gives the same plan.
        to_the_end: the last phrase runs to the end of the form (an ending follows).
    """
    rng = np.random.default_rng([seed, 4242])
    bar, beat = meter.bar_length, meter.beat_length
    planned = units(n_bars, chorus_bars, rng)
    phrases: list[Phrase] = []
    previous_end = -beat
    for index, (first, size, chorus) in enumerate(planned):
        unit_start, unit_end = first * bar, (first + size) * bar
        delay = _choice(_STARTS, rng)
        if delay < 0 and unit_start > 0:  # a pickup into the unit
            start = unit_start - beat_time(0.5, meter)
        else:
            start = unit_start + beat_time(max(delay, 0.0), meter)
        start = max(start, previous_end + beat)
        last = index == len(planned) - 1
        if last and to_the_end:
            end = unit_end
        else:
            breath = min(_choice(_BREATHS, rng), size * meter.beats_per_bar / 2)
            end = unit_end - beat_time(max(breath, 1.0), meter)
        if end - start < beat:  # no room to play: leave the unit silent
            continue
        phrases.append(Phrase(start, end, (0, 127), chorus))
        previous_end = end
    return _with_registers(phrases, register, chorus_bars * bar)


def _with_registers(phrases: list[Phrase], register: tuple[int, int],
                    chorus_length: float) -> list[Phrase]:
    low, high = register
    span = high - low
    window = min(span, max(_MIN_WINDOW, round(_WINDOW_SHARE * span)))
    placed = []
    for phrase in phrases:
        rise, fall = _ARCS[phrase.chorus % len(_ARCS)]
        middle = (phrase.start + phrase.end) / 2 - phrase.chorus * chorus_length
        position = min(1.0, max(0.0, middle / chorus_length))
        place = rise + (fall - rise) * position
        bottom = low + round(place * (span - window))
        placed.append(Phrase(phrase.start, phrase.end, (bottom, bottom + window), phrase.chorus))
    return placed


def register_plan(phrases: list[Phrase], register: tuple[int, int]):
    """A function offset → (lowest, highest) pitch: the window of the phrase sounding there or
    about to start (after the last phrase, its window; without phrases, the whole range)."""

    def at(offset: float) -> tuple[int, int]:
        for phrase in phrases:
            if offset < phrase.end - 1e-9:
                return phrase.register
        return phrases[-1].register if phrases else register

    return at
