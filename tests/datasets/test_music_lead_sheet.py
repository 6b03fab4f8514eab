"""A MusicXML lead sheet gives the chart a player would type."""

from pathlib import Path

import pytest
from music21 import harmony, meter, note, stream

from datasets.errors import InputError
from datasets.music import Meter, parse_chart
from datasets.music.lead_sheet import read_lead_sheet

FIXTURE = Path(__file__).resolve().parents[1] / "apps" / "jazz" / "fixtures" / "blues_in_f.musicxml"
TYPED = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 | Gm7 C7"


def written(tmp_path, bars, signature="4/4", pickup=None, name="sheet.musicxml"):
    """A lead sheet written by music21: `bars` of [(beat, figure), ...] over rests."""
    part = stream.Part()
    bar_length = meter.TimeSignature(signature).barDuration.quarterLength
    if pickup is not None:
        measure = stream.Measure(number=0)
        measure.append(meter.TimeSignature(signature))
        measure.append(note.Note("C4", quarterLength=pickup))
        part.append(measure)
    for number, chords in enumerate(bars, 1):
        measure = stream.Measure(number=number)
        if number == 1 and pickup is None:
            measure.append(meter.TimeSignature(signature))
        for beat, figure in chords:
            symbol = harmony.NoChord() if figure == "N.C." else harmony.ChordSymbol(figure)
            measure.insert(beat, symbol)
        measure.insert(0, note.Rest(quarterLength=bar_length))
        part.append(measure)
    path = tmp_path / name
    stream.Score([part]).write("musicxml", fp=str(path))
    return path


def layout(chart, in_meter, n_bars=None):
    return [(o, c.figure, c.root, sorted(c.pitch_classes)) for o, c in
            chart.changes(in_meter, n_bars)]


def test_an_exported_lead_sheet_is_the_chart_typed_with_its_meter_and_tempo():
    chart, sheet_meter, tempo = read_lead_sheet(FIXTURE)
    assert sheet_meter == Meter(4, 4) and tempo == 160.0
    assert layout(chart, sheet_meter) == layout(parse_chart(TYPED), sheet_meter)


def test_bars_without_a_symbol_repeat_the_chord_and_a_pickup_is_skipped(tmp_path):
    path = written(tmp_path, [[(0, "Dm7"), (2, "G7")], [], [(2, "C")], [(0, "N.C.")]], pickup=1)
    chart, sheet_meter, tempo = read_lead_sheet(path)
    assert tempo is None
    assert [(o, c.figure) for o, c in chart.changes(sheet_meter)] == [
        (0.0, "Dm7"), (2.0, "G7"), (4.0, "G7"), (8.0, "G7"), (10.0, "C"), (12.0, "N.C.")]


def test_a_waltz_keeps_its_meter(tmp_path):
    path = written(tmp_path, [[(0, "Fmaj7")], [(0, "Gm7"), (2, "C7")]], signature="3/4")
    chart, sheet_meter, _ = read_lead_sheet(path)
    assert sheet_meter == Meter(3, 4)
    assert [(o, c.figure) for o, c in chart.changes(sheet_meter)] == [
        (0.0, "Fmaj7"), (3.0, "Gm7"), (5.0, "C7")]


def test_what_is_not_a_lead_sheet_is_one_line_naming_the_file(tmp_path):
    bare = tmp_path / "melody.musicxml"
    stream.Score([stream.Part([note.Note("C4"), note.Note("D4")])]).write("musicxml", fp=str(bare))
    broken = tmp_path / "broken.musicxml"
    broken.write_text("<score-partwise><part id='P1'><measure>", encoding="utf-8")
    binary = tmp_path / "binary.mxl"
    binary.write_bytes(bytes(range(256)) * 4)
    cases = [(bare, "holds no chord symbols"), (broken, "not a MusicXML file"),
             (binary, "not a MusicXML file"), (tmp_path / "absent.xml", "no such file"),
             (tmp_path / "tune.abc", "expected a MusicXML lead sheet")]
    (tmp_path / "tune.abc").write_text("X:1\nK:C\nCDEF|\n")
    for path, message in cases:
        with pytest.raises(InputError) as error:
            read_lead_sheet(path)
        assert str(error.value).startswith(f"--chords-from {path}: ") and message in str(
            error.value)
        assert "\n" not in str(error.value)
