"""A lead sheet's chords, read from MusicXML (what MuseScore, Finale and iReal Pro export): the
same `ChordChart` a player would type, with its bars, meter and tempo.

Each measure of the part that holds chord symbols is a bar of the chart; a chord lasts until
the next symbol or the bar line, and a bar without a symbol repeats the chord before it (as "%"
does when typed). A pickup bar before the first full bar is skipped. Repeat signs are played
out when music21 can expand them; the chart must keep one time signature. Bars before the first
chord symbol are left out.
"""

import contextlib
from pathlib import Path

from music21 import harmony, meter, stream

from datasets.errors import InputError
from datasets.music.chart import ChartChord, ChordChart
from datasets.music.chords import parse_chord_symbol
from datasets.music.meter import Meter
from datasets.music.music21_reader import chord_of_symbol, parse_file, quarter_bpm

LEAD_SHEET_SUFFIXES = (".xml", ".musicxml", ".mxl")
MAX_LEAD_SHEET_BYTES = 20 * 1024 * 1024
_EPS = 1e-6


def read_lead_sheet(path: str | Path) -> tuple[ChordChart, Meter, float | None]:
    """The chart, meter and tempo (quarter notes per minute, None when not marked) of a
    MusicXML lead sheet.

    Raises:
        InputError: a missing, unreadable or oversized file, one without chord symbols, or one
            whose meter changes.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise InputError(f"--chords-from {source}: no such file")
    if path.suffix.lower() not in LEAD_SHEET_SUFFIXES:
        raise InputError(f"--chords-from {source}: expected a MusicXML lead sheet "
                         f"({', '.join(LEAD_SHEET_SUFFIXES)})")
    if path.stat().st_size > MAX_LEAD_SHEET_BYTES:
        raise InputError(f"--chords-from {source}: larger than "
                         f"{MAX_LEAD_SHEET_BYTES // (1024 * 1024)} MB; not a lead sheet")
    parsed = parse_file(path, "--chords-from {}: not a MusicXML file music21 can read")
    parts = list(parsed.parts) if parsed.parts else [parsed]
    part = next((p for p in parts if p.flatten().getElementsByClass(harmony.ChordSymbol)), None)
    if part is None:
        raise InputError(f"--chords-from {source}: holds no chord symbols (write the chords "
                         "above the staff, or type them with --chords)")
    # A repeat structure music21 cannot follow is read as written.
    with contextlib.suppress(Exception):
        part = part.expandRepeats()
    measures = list(part.getElementsByClass(stream.Measure))
    chart_meter = _meter(measures, source)
    bars = _bars(measures, chart_meter, source)
    chart = ChordChart(tuple(bars), True, f"--chords-from {source}")
    return chart, chart_meter, quarter_bpm(parsed)


def _meter(measures, source: str) -> Meter:
    signatures = {(s.numerator, s.denominator) for m in measures
                  for s in m.getElementsByClass(meter.TimeSignature)}
    if len(signatures) > 1:
        found = ", ".join(f"{n}/{d}" for n, d in sorted(signatures))
        raise InputError(f"--chords-from {source}: the meter changes ({found}); a chart keeps "
                         "one time signature")
    if not signatures:
        return Meter(4, 4)
    numerator, denominator = signatures.pop()
    try:
        return Meter(numerator, denominator)
    except ValueError:
        raise InputError(f"--chords-from {source}: cannot play in "
                         f"{numerator}/{denominator}") from None


def _bars(measures, chart_meter: Meter, source: str) -> list[tuple[ChartChord, ...]]:
    bar_length = chart_meter.bar_length
    bars, previous = [], None
    for index, measure in enumerate(measures):
        length = float(measure.duration.quarterLength) or bar_length
        symbols = sorted(((float(s.offset), s) for s in
                          measure.getElementsByClass(harmony.ChordSymbol)),
                         key=lambda pair: pair[0])
        if index == 0 and length < bar_length - _EPS:
            if symbols:
                previous = chord_of_symbol(symbols[-1][1]) or previous
            continue  # a pickup bar
        starts, chords = [], []
        for offset, symbol in symbols:
            chord = chord_of_symbol(symbol)
            if chord is None or offset >= bar_length - _EPS:
                continue
            if starts and abs(offset - starts[-1]) < _EPS:
                chords[-1] = chord  # two symbols at one place: the later one stands
                continue
            starts.append(offset)
            chords.append(chord)
        if not chords and previous is None:
            continue  # bars before the first chord symbol
        if not chords or starts[0] > _EPS:  # the chord before goes on (no chord before: N.C.)
            starts.insert(0, 0.0)
            chords.insert(0, previous or parse_chord_symbol("N.C."))
        ends = starts[1:] + [bar_length]
        bar = tuple(ChartChord(chord, (end - start) / chart_meter.count_length)
                    for start, end, chord in zip(starts, ends, chords, strict=True))
        bars.append(bar)
        previous = chords[-1]
    if not bars:
        raise InputError(f"--chords-from {source}: no chord symbol falls inside a bar")
    return bars

