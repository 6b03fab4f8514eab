from pathlib import Path

import pytest
from music21 import harmony, meter, note, stream

from datasets.errors import InputError
from datasets.music import collect_sources, default_sources, read_piece, read_score
from tests.datasets.music_files import CHORD_NAMES, CHORDS, DRUMS, MELODY, midi_bytes

METHENY = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "original_metheny.mid"


@pytest.fixture
def tune(tmp_path) -> Path:
    """Chords first, drums second, melody last: the reader must not go by position."""
    path = tmp_path / "tune.mid"
    path.write_bytes(midi_bytes([CHORDS, DRUMS, MELODY]))
    return path


def test_midi_reader_flags_channel_10_as_drums(tune):
    score = read_score(tune)
    assert [part.is_drums for part in score.parts] == [False, True, False]
    assert score.bar_length == 4.0
    assert score.tempo == pytest.approx(120.0)


def test_the_melody_part_is_found_wherever_it_is(tune):
    piece = read_piece(tune)
    assert piece.melody_part == 2
    assert [n.pitch for n in piece.melody if not n.is_rest][:4] == [72, 76, 79, 77]


def test_chords_are_inferred_per_bar_from_the_other_parts(tune):
    piece = read_piece(tune)
    figures = [piece.chords.at(bar * 4.0).figure for bar in range(4)]
    assert figures == CHORD_NAMES


def test_melody_part_override_picks_another_part(tune):
    piece = read_piece(tune, melody_part=0)
    assert piece.melody_part == 0
    assert [n.pitch for n in piece.melody][:1] == [55]  # top of the first chord


@pytest.mark.parametrize(("part", "message"), [(1, "is drums"), (7, "has parts 0-2")])
def test_bad_melody_part_is_an_input_error(tune, part, message):
    with pytest.raises(InputError, match=message):
        read_piece(tune, melody_part=part)


def test_melody_is_monophonic_on_the_grid_and_contiguous(tune):
    melody = read_piece(tune).melody
    assert melody[0].offset == 0.0
    for a, b in zip(melody, melody[1:], strict=False):
        assert a.end == b.offset
    assert all(n.duration > 0 and (n.duration * 4).is_integer() for n in melody)


def test_musicxml_chord_symbols_are_used_and_spelled_as_on_lead_sheets(tmp_path):
    part = stream.Part()
    part.append(meter.TimeSignature("4/4"))
    for symbol, pitch in [("B-7", "D5"), ("E-maj7", "G5")]:
        part.append(harmony.ChordSymbol(symbol))
        part.append(note.Note(pitch, quarterLength=4))
    path = tmp_path / "lead.musicxml"
    stream.Score([part]).write("musicxml", fp=path)
    piece = read_piece(path)
    assert [piece.chords.at(o).figure for o in (0.0, 4.0)] == ["Bb7", "Ebmaj7"]
    assert piece.chords.at(0.0).root == 10


def test_the_embedded_abc_lines_read_with_their_chord_symbols():
    abc = {Path(s).name: s for s in default_sources() if s.endswith(".abc")}
    piece = read_piece(abc["f_blues_line.abc"])
    assert piece.chords.at(0.0).figure == "F7"
    assert len(piece.melody) > 100
    blues = read_piece(abc["bb_blues_phrases.abc"])
    assert blues.chords.at(0.0).figure == "Bb7" and blues.chords.at(0.0).root == 10


def rest_share(piece) -> float:
    return sum(n.duration for n in piece.melody if n.is_rest) / piece.melody[-1].end


@pytest.mark.parametrize(
    ("name", "meter", "swing"),
    [
        ("bb_blues_phrases.abc", "4/4", 1.0),
        ("ii_v_i_altered_lines.abc", "4/4", 1.0),
        ("jazz_waltz_in_f.abc", "3/4", 1.0),
        ("minor_blues_swung.abc", "4/4", 2.0),
    ],
)
def test_the_phrased_lines_read_with_their_meter_swing_and_breaths(name, meter, swing):
    path = Path(__file__).resolve().parents[2] / "datasets" / "data" / "jazz" / name
    piece = read_piece(path)
    assert str(piece.meter) == meter
    assert piece.swing == pytest.approx(swing)
    assert rest_share(piece) > 0.15  # phrases breathe
    bars = {}
    for n in piece.melody:
        bars[int(n.offset // piece.bar_length + 1e-9)] = bars.get(
            int(n.offset // piece.bar_length + 1e-9), 0.0) + n.duration
    assert all(d == pytest.approx(piece.bar_length) for d in list(bars.values())[:-1])


def test_the_altered_chords_of_the_embedded_lines_get_their_scales():
    path = Path(__file__).resolve().parents[2] / "datasets" / "data" / "jazz"
    piece = read_piece(path / "ii_v_i_altered_lines.abc")
    scales = {c.figure: c.scale.name for c in piece.chords.chords}
    assert scales["C7b9"] == "half-whole diminished"
    assert scales["Bb7#9#5"] == "altered"
    assert scales["Cmaj7#11"] == "lydian"
    assert scales["Eb7#11"] == "lydian dominant"
    assert scales["G7sus4"] == "mixolydian sus4"


def test_a_directory_is_searched_for_music_files(tmp_path, tune):
    (tmp_path / "notes.txt").write_text("not music")
    assert collect_sources([tmp_path]) == [str(tune)]


def test_a_directory_without_music_is_an_input_error(tmp_path):
    (tmp_path / "notes.txt").write_text("not music")
    with pytest.raises(InputError, match="no MIDI"):
        collect_sources([tmp_path])


BAD_FILES = {
    "not_midi.mid": (b"this is a text file, not a MIDI file", "not a readable MIDI file"),
    "truncated.mid": (midi_bytes([MELODY])[:40], "not a readable MIDI file"),
    "header_only.mid": (midi_bytes([MELODY])[:10], "not a readable MIDI file"),
    "no_notes.mid": (midi_bytes([[]]), "has no notes"),
    "drums_only.mid": (midi_bytes([DRUMS]), "only drum parts"),
    "tune.txt": (b"X:1", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_raise_one_line_naming_the_file(tmp_path, name):
    content, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read_piece(path)
    assert str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_piece(tmp_path / "missing.mid")


def test_the_course_midi_picks_its_guitar_solo():
    if not METHENY.is_file():
        pytest.skip(f"test-only data not present: {METHENY}")
    piece = read_piece(METHENY)
    score = read_score(METHENY)
    assert score.parts[piece.melody_part].name == "Guitar"
    assert len(piece.melody) > 1000


# -- Meter and chord markers ---------------------------------------------------------------------

WALTZ_MELODY = [(0, 67 + (i % 5), i * 1.0, i * 1.0 + 1.0) for i in range(12)]


def test_a_three_four_midi_file_is_read_as_three_four(tmp_path):
    path = tmp_path / "waltz.mid"
    path.write_bytes(midi_bytes([WALTZ_MELODY], bar_numerator=3))
    score = read_score(path)
    piece = read_piece(path)
    assert str(score.meter) == "3/4"
    assert piece.bar_length == 3.0 and str(piece.meter) == "3/4"


def test_a_six_eight_midi_file_keeps_its_compound_meter(tmp_path):
    path = tmp_path / "jig.mid"
    path.write_bytes(midi_bytes([WALTZ_MELODY], bar_numerator=6, denominator=8))
    piece = read_piece(path)
    assert str(piece.meter) == "6/8"
    assert piece.meter.beat_length == 1.5


def test_an_abc_waltz_is_read_as_three_four(tmp_path):
    path = tmp_path / "waltz.abc"
    path.write_text('X:1\nT:w\nM:3/4\nL:1/8\nK:F\n"Gm7" G2 B2 d2 | "C7" e2 g2 c2 | "Fmaj7" f6 |]\n')
    piece = read_piece(path)
    assert str(piece.meter) == "3/4"
    assert [piece.chords.at(o).figure for o in (0.0, 3.0, 6.0)] == ["Gm7", "C7", "Fmaj7"]


def test_chord_markers_in_a_midi_file_are_its_chord_symbols(tmp_path):
    path = tmp_path / "marked.mid"
    markers = [(0.0, "Bb7"), (4.0, "Ebmaj7#11"), (6.0, "C7alt")]
    path.write_bytes(midi_bytes([MELODY], markers=markers))
    chords = read_score(path).chord_symbols
    assert [(o, c.figure) for o, c in chords] == markers
    assert chords[0][1].root == 10
    assert chords[2][1].scale.name == "altered"


def test_markers_that_are_not_chords_are_not_taken_for_chords(tmp_path):
    path = tmp_path / "sections.mid"
    path.write_bytes(midi_bytes([MELODY, CHORDS], markers=[(0.0, "C"), (8.0, "Bridge")]))
    assert read_score(path).chord_symbols == []
    assert [read_piece(path).chords.at(b * 4.0).figure for b in range(4)] == CHORD_NAMES


def test_musicxml_chord_symbols_mean_what_the_typed_symbols_mean(tmp_path):
    from datasets.music import parse_chord_symbol

    part = stream.Part()
    part.append(meter.TimeSignature("4/4"))
    figures = ["C13", "G7b9", "Fmaj7#11", "Dm7b5", "E-13"]
    for symbol in figures:
        part.append(harmony.ChordSymbol(symbol))
        part.append(note.Note("C5", quarterLength=4))
    path = tmp_path / "thirteen.musicxml"
    stream.Score([part]).write("musicxml", fp=path)
    piece = read_piece(path)
    for bar, figure in enumerate(figures):
        read = piece.chords.at(bar * 4.0)
        typed = parse_chord_symbol(figure.replace("E-", "Eb"))
        assert (read.root, read.intervals) == (typed.root, typed.intervals), figure
