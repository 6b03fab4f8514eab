from pathlib import Path

from datasets.music import ChordTimeline, Meter, Note, Piece, parse_chord_symbol
from datasets.music.corpus import (
    EXTRA_MUSIC21_PIECES,
    default_sources,
    most_common_meter,
)

DATA = Path(__file__).resolve().parents[2] / "datasets" / "data" / "jazz"


def test_every_abc_file_of_the_corpus_is_documented_in_its_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    abc = sorted(p.name for p in DATA.glob("*.abc"))
    assert len(abc) >= 6
    for name in abc:
        assert f"`{name}`" in readme
    for source in EXTRA_MUSIC21_PIECES:
        assert source in readme


def test_the_default_corpus_is_the_projects_own_abc_lines():
    assert default_sources() == [str(p) for p in sorted(DATA.glob("*.abc"))]


def test_the_music21_pieces_are_opt_in():
    assert not set(EXTRA_MUSIC21_PIECES) & set(default_sources())
    assert default_sources(extra=True)[-len(EXTRA_MUSIC21_PIECES):] == list(EXTRA_MUSIC21_PIECES)


def piece(meter: Meter, bars: int) -> Piece:
    chords = ChordTimeline([(0.0, parse_chord_symbol("C"))])
    melody = [Note(0.0, bars * meter.bar_length, 60)]
    return Piece("p", melody, chords, meter.bar_length, meter=meter)


def test_the_corpus_meter_is_the_one_that_holds_the_most_music():
    waltzes = [piece(Meter(3, 4), 32), piece(Meter(3, 4), 32)]
    assert most_common_meter([piece(Meter(4, 4), 12), *waltzes]) == Meter(3, 4)
    assert most_common_meter([piece(Meter(4, 4), 50), *waltzes]) == Meter(4, 4)
    assert most_common_meter([]) == Meter(4, 4)
