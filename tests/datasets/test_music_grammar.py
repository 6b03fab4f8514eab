import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.music import (
    ChordTimeline,
    Note,
    Piece,
    fit_to_length,
    melody_to_values,
    note_type,
    parse_chord_symbol,
    parse_value,
    values_to_notes,
)
from datasets.music.composer import composed_pieces
from datasets.music.grammar import clean_up


def blues_piece() -> Piece:
    chords = [parse_chord_symbol(s) for s in ["F7", "Bb7", "F7", "C7"]]
    pitches = [65, 69, 72, 75, 74, None, 70, 68, 65, 63, 60, 62, 64, 67, 70, 72]
    durations = [0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 0.5, 0.5, 1.0, 0.25, 0.25, 0.5, 1.5, 0.5, 1.0, 6.0]
    melody, offset = [], 0.0
    for pitch, duration in zip(pitches, durations, strict=True):
        melody.append(Note(offset, duration, pitch))
        offset += duration
    return Piece("blues", melody, ChordTimeline.one_per_bar(chords), 4.0)


def types_and_timing(notes, chords):
    return [(n.offset, n.duration, note_type(n.pitch, chords.at(n.offset))) for n in notes]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_round_trip_keeps_durations_and_types(seed):
    piece = blues_piece()
    values = melody_to_values(piece)
    notes = values_to_notes(values, piece.chords, seed=seed, register=(55, 84))
    original = [n for n in piece.melody if not n.is_rest]
    assert types_and_timing(notes, piece.chords) == types_and_timing(original, piece.chords)


def test_round_trip_over_the_composed_corpus():
    for piece in composed_pieces()[:4]:
        original = [n for n in piece.melody if not n.is_rest]
        register = (min(n.pitch for n in original), max(n.pitch for n in original))
        notes = values_to_notes(melody_to_values(piece), piece.chords, seed=7, register=register)
        assert types_and_timing(notes, piece.chords) == types_and_timing(original, piece.chords)


def test_values_carry_interval_bounds_only_after_the_first_note_of_a_bar():
    values = melody_to_values(blues_piece())
    assert values[0] == "C,0.500"  # F over F7, first note of bar 1
    assert values[1] == "C,0.500,<+1,+7>"  # up a major third: 4 -/+ a minor third
    assert parse_value(values[5]).kind == "R"
    assert parse_value(values[6]).bounds is None  # first note of bar 2 (after the rest)


def test_bounds_are_respected_when_notes_are_chosen():
    piece = blues_piece()
    values = melody_to_values(piece)
    notes = values_to_notes(values, piece.chords, seed=3)
    sounding = [v for v in values if not v.startswith("R")]
    for previous, note, text in zip(notes, notes[1:], sounding[1:], strict=False):
        bounds = parse_value(text).bounds
        if bounds is not None:
            assert bounds[0] <= note.pitch - previous.pitch <= bounds[1]


def test_same_seed_same_notes_and_another_seed_other_notes():
    piece = blues_piece()
    values = melody_to_values(piece)
    first = values_to_notes(values, piece.chords, seed=5)
    assert first == values_to_notes(values, piece.chords, seed=5)
    assert any(values_to_notes(values, piece.chords, seed=s) != first for s in range(6, 12))


def test_silent_bars_collapse_to_one_whole_bar_rest():
    chords = ChordTimeline.one_per_bar([parse_chord_symbol("C")])
    melody = [Note(0.0, 4.0, 60), Note(4.0, 4.0), Note(8.0, 4.0), Note(12.0, 4.0)]
    melody.append(Note(16.0, 1.0, 64))
    values = melody_to_values(Piece("tacet", melody, chords, 4.0))
    assert values == ["C,4.000", "R,4.000", "C,1.000"]


def test_fit_to_length_fills_exactly_the_bars_asked():
    fitted = fit_to_length(["C,1.000", "S,2.000", "C,1.500,<-3,+3>", "R,1.000"], 4.0)
    assert fitted == ["C,1.000", "S,2.000", "C,1.000,<-3,+3>"]


@pytest.mark.parametrize("bad", ["C", "Q,0.250", "C,0.25", "C,0.000", "C,0.250,<1,2>"])
def test_malformed_values_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_value(bad)


note_lists = st.lists(
    st.builds(
        Note,
        offset=st.floats(0, 16, allow_nan=False),
        duration=st.floats(0, 3, allow_nan=False),
        pitch=st.one_of(st.none(), st.integers(50, 60)),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(note_lists)
def test_clean_up_leaves_grid_notes_without_overlap_zero_length_or_repeats(notes):
    cleaned = clean_up(notes)
    for note in cleaned:
        assert note.pitch is not None
        assert note.duration >= 0.25
        assert note.offset * 4 == int(note.offset * 4)
        assert note.duration * 4 == int(note.duration * 4)
    for a, b in zip(cleaned, cleaned[1:], strict=False):
        assert a.end <= b.offset
        assert not (a.pitch == b.pitch and a.end == b.offset)
