"""A chord chart as players type it, and the chord timeline it gives in a meter.

    "Dm7 G7 | Cmaj7 | Fmaj7 Bb7:1 E7:1 | Am7"
    "F7 Bb7 F7 F7 Bb7 Bb7 F7 F7 C7 Bb7 F7 C7"      (no bar lines: one chord a bar)

- With bar lines (`|`), each bar is split among its chords: evenly in whole counts of the
  time signature when they divide (three chords in 4/4 take 2 + 1 + 1), in equal parts
  otherwise; `G7:1` gives a chord one count (a quarter in 4/4, an eighth in 6/8) and the
  other chords of its bar share what is left.
- Without bar lines every chord lasts a bar, or the counts its `:N` gives; the counts must
  fill whole bars ("Dm7:2 G7:2 C"), and a chord that would run over a bar line is an error.
- Commas separate chords too, except inside parentheses: "C7(#9,b13)" is one chord.
- "N.C." is no chord: the bass and piano rest there, the drums keep time.
- "%" repeats the chord before it (the bar-repeat sign of lead sheets).

The chart knows no meter until it is laid out, so it can be typed before the model (which knows
the meter of its training music) is loaded.

Example:
>>> chart = parse_chart("Dm7 G7 | Cmaj7")
>>> [(offset, chord.figure) for offset, chord in chart.changes(Meter(4, 4))]
[(0.0, 'Dm7'), (2.0, 'G7'), (4.0, 'Cmaj7')]
"""

import re
from dataclasses import dataclass

from datasets.errors import InputError
from datasets.music.chords import Chord, parse_chord_symbol
from datasets.music.meter import Meter
from datasets.music.score import ChordTimeline

_EPS = 1e-9


@dataclass(frozen=True)
class ChartChord:
    """One chord of a chart: the chord (its figure as typed) and its counts, when given."""

    chord: Chord
    counts: float | None = None


@dataclass(frozen=True)
class ChordChart:
    """Chords typed in bars.

    Args:
        bars: the chords of each bar; without bar lines, one chord per "bar".
        barred: whether the text had bar lines (`|`).
        source: what the text came from, for messages ("--chords").
    """

    bars: tuple[tuple[ChartChord, ...], ...]
    barred: bool = True
    source: str = "--chords"

    @property
    def chords(self) -> list[Chord]:
        return [item.chord for bar in self.bars for item in bar]

    def spans(self, meter: Meter) -> list[tuple[float, Chord]]:
        """(length in quarter notes, chord) for one pass of the chart, filling whole bars."""
        if self.barred:
            spans = [
                span for i, bar in enumerate(self.bars, 1) for span in self._bar(i, bar, meter)
            ]
        else:
            spans = self._unbarred(meter)
        return spans

    def _unbarred(self, meter: Meter) -> list[tuple[float, Chord]]:
        """Without bar lines a chord lasts a bar, or the counts it is given; counts must add
        up to whole bars, so that no chord is silently stretched over a bar line."""
        spans, filled, bar = [], 0.0, 1
        counts_per_bar = meter.bar_length / meter.count_length
        for item in (item for bar_ in self.bars for item in bar_):
            counts = counts_per_bar if item.counts is None else item.counts
            name = item.chord.figure + ("" if item.counts is None else f":{item.counts:g}")
            if filled + counts > counts_per_bar + _EPS:
                raise InputError(
                    f"{self.source}: {name} starts on count {filled + 1:g} of bar {bar} and "
                    f"runs over its bar line (a {meter} bar holds {counts_per_bar:g} counts); "
                    "give the chords counts that fill each bar, or mark bars with |"
                )
            spans.append((counts * meter.count_length, item.chord))
            filled += counts
            if abs(filled - counts_per_bar) < _EPS:
                filled, bar = 0.0, bar + 1
        if filled > _EPS:
            raise InputError(
                f"{self.source}: {spans[-1][1].figure} leaves bar {bar} with {filled:g} of "
                f"{counts_per_bar:g} counts; without | the counts must fill every bar"
            )
        return spans

    def _bar(self, number: int, bar, meter: Meter) -> list[tuple[float, Chord]]:
        counts = meter.bar_length / meter.count_length
        given = sum(item.counts for item in bar if item.counts is not None)
        free = [i for i, item in enumerate(bar) if item.counts is None]
        left = counts - given
        where = f"{self.source}: bar {number}"
        if left < -_EPS or (not free and abs(left) > _EPS):
            raise InputError(
                f"{where} holds {given:g} counts of chords; a {meter} bar holds {counts:g}"
            )
        if free and left <= _EPS:
            raise InputError(
                f"{where}: the chords with counts fill the {meter} bar; the others get nothing"
            )
        shares = _shares(left, len(free))
        lengths = [item.counts for item in bar]
        for index, share in zip(free, shares, strict=True):
            lengths[index] = share
        return [(n * meter.count_length, item.chord) for n, item in zip(lengths, bar, strict=True)]

    def length(self, meter: Meter) -> float:
        """One pass of the chart in quarter notes (always whole bars)."""
        return sum(length for length, _ in self.spans(meter))

    def n_bars(self, meter: Meter) -> int:
        return round(self.length(meter) / meter.bar_length)

    def changes(self, meter: Meter, n_bars: int | None = None) -> list[tuple[float, Chord]]:
        """(offset in quarter notes, chord) where each typed chord starts, the chart repeated
        (or cut) to fill `n_bars` bars; one pass when `n_bars` is None."""
        spans = self.spans(meter)
        end = (n_bars if n_bars is not None else self.n_bars(meter)) * meter.bar_length
        changes, offset = [], 0.0
        while offset < end - _EPS:
            for length, chord in spans:
                if offset >= end - _EPS:
                    break
                changes.append((round(offset, 9), chord))
                offset += length
        return changes

    def timeline(self, meter: Meter, n_bars: int | None = None) -> ChordTimeline:
        return ChordTimeline(self.changes(meter, n_bars))

    def per_bar(self, meter: Meter, n_bars: int | None = None) -> list[Chord]:
        """The chord sounding on the first beat of each bar."""
        n = n_bars if n_bars is not None else self.n_bars(meter)
        timeline = self.timeline(meter, n)
        return [timeline.at(i * meter.bar_length) for i in range(n)]


def _shares(counts: float, n: int) -> list[float]:
    """`counts` split among n chords: whole counts, the first ones longer, when that works."""
    if n == 0:
        return []
    whole = round(counts)
    if abs(counts - whole) < _EPS and whole >= n:
        base, extra = divmod(whole, n)
        return [float(base + (i < extra)) for i in range(n)]
    return [counts / n] * n


_COUNTS = re.compile(r"(\d+(?:\.\d+)?)")
# A separator is a space, or a comma outside parentheses ("C7(#9,b13)" is one symbol).
_SEPARATOR = re.compile(r"\s+|,(?![^()]*\))")


def _symbols(text: str) -> list[str]:
    return [s for s in _SEPARATOR.split(text.strip()) if s]


def parse_chart(text: str, source: str = "--chords") -> ChordChart:
    """Read a chord chart: bars separated by `|`, chords by spaces or commas, `G7:2` for counts.

    Raises InputError naming `source` and the bad symbol or bar.
    """
    barred = "|" in text
    pieces = text.split("|") if barred else _symbols(text)
    while pieces and not pieces[0].strip():
        pieces.pop(0)
    while pieces and not pieces[-1].strip():
        pieces.pop()
    if not pieces:
        raise InputError(f"{source}: no chord symbols given")
    bars, previous = [], None
    for number, piece in enumerate(pieces, 1):
        symbols = _symbols(piece)
        if not symbols:
            raise InputError(f"{source}: bar {number} is empty (write % to repeat a chord)")
        bar = []
        for symbol in symbols:
            item = _chart_chord(symbol, previous, source)
            previous = item.chord
            bar.append(item)
        bars.append(tuple(bar))
    return ChordChart(tuple(bars), barred, source)


def _chart_chord(symbol: str, previous: Chord | None, source: str) -> ChartChord:
    name, colon, counts_text = symbol.partition(":")
    counts = None
    if colon:
        if not _COUNTS.fullmatch(counts_text) or float(counts_text) <= 0:
            raise InputError(
                f"{source}: {symbol!r}: the counts after ':' must be a positive number"
            )
        counts = float(counts_text)
    if name == "%":
        if previous is None:
            raise InputError(f"{source}: '%' repeats the chord before it; there is none")
        return ChartChord(previous, counts)
    try:
        return ChartChord(parse_chord_symbol(name), counts)
    except InputError as error:
        raise InputError(f"{source}: {error}") from None
