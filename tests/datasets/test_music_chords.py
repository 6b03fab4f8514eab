import pytest
from music21 import harmony

from datasets.errors import InputError
from datasets.music import note_type, parse_chord_symbol, parse_progression
from datasets.music.chord_inference import name_chord

# symbol -> (root pitch class, pitch classes) as a player reads it.
SPELLINGS = {
    "C": (0, {0, 4, 7}),
    "Bb7": (10, {10, 2, 5, 8}),
    "Ebmaj7": (3, {3, 7, 10, 2}),
    "EbΔ7": (3, {3, 7, 10, 2}),
    "F#m7b5": (6, {6, 9, 0, 4}),
    "F#ø": (6, {6, 9, 0, 4}),
    "C/E": (0, {0, 4, 7}),
    "C-7": (0, {0, 3, 7, 10}),
    "Cmin7": (0, {0, 3, 7, 10}),
    "Cm(maj7)": (0, {0, 3, 7, 11}),
    "Bdim7": (11, {11, 2, 5, 8}),
    "Bo7": (11, {11, 2, 5, 8}),
    "Gaug": (7, {7, 11, 3}),
    "G+7": (7, {7, 11, 3, 5}),
    "D7b9": (2, {2, 6, 9, 0, 3}),
    "A7#9": (9, {9, 1, 4, 7, 0}),
    "G7alt": (7, {7, 11, 5, 8, 10, 1, 3}),
    "F9": (5, {5, 9, 0, 3, 7}),
    "Ab13": (8, {8, 0, 3, 6, 10, 5}),
    "Dm11": (2, {2, 5, 9, 0, 4, 7}),
    "C6/9": (0, {0, 4, 7, 9, 2}),
    "Gsus4": (7, {7, 0, 2}),
    "D7sus4": (2, {2, 7, 9, 0}),
    "Db": (1, {1, 5, 8}),
    "E♭7": (3, {3, 7, 10, 1}),
    "Bbm7/Ab": (10, {10, 1, 5, 8}),
}


@pytest.mark.parametrize("symbol", sorted(SPELLINGS))
def test_conventional_spellings_give_the_chord_players_mean(symbol):
    root, pitch_classes = SPELLINGS[symbol]
    chord = parse_chord_symbol(symbol)
    assert chord.root == root
    assert chord.pitch_classes == frozenset(pitch_classes)
    assert chord.figure == symbol


def test_bb7_is_b_flat_although_music21_alone_reads_b():
    assert harmony.ChordSymbol("Bb7").root().name == "B"  # the reason for this parser
    assert parse_chord_symbol("Bb7").root == 10


def test_slash_chord_keeps_its_bass():
    assert parse_chord_symbol("C/E").bass == 4
    assert parse_chord_symbol("Bbm7/Ab").bass == 8


@pytest.mark.parametrize("symbol", ["H7", "Cfoo", "C/X", "", "7", "Cmaj7b3"])
def test_unknown_chord_raises_one_line_naming_it(symbol):
    with pytest.raises(InputError) as error:
        parse_chord_symbol(symbol)
    assert "\n" not in str(error.value)
    assert repr(symbol) in str(error.value)


def test_progression_reads_one_chord_per_bar_with_bar_lines():
    chords = parse_progression("F7 Bb7 | F7  C7,Gm7")
    assert [c.figure for c in chords] == ["F7", "Bb7", "F7", "C7", "Gm7"]


def test_progression_names_the_flag_and_the_bad_symbol():
    with pytest.raises(InputError, match=r"--chords: unknown chord 'Q7'"):
        parse_progression("F7 Q7")


def test_transposing_respells_the_figure():
    assert parse_chord_symbol("Bb7").transposed(2).figure == "C7"
    assert parse_chord_symbol("C/E").transposed(-1).figure == "B/Eb"


@pytest.mark.parametrize(
    ("pitch", "symbol", "kind"),
    [(64, "C7", "C"), (62, "C7", "S"), (61, "C7", "A"), (70, "C", "X"), (66, "Cmaj7", "A")],
)
def test_note_types_follow_the_course_order(pitch, symbol, kind):
    assert note_type(pitch, parse_chord_symbol(symbol)) == kind


@pytest.mark.parametrize("symbol", ["C", "Dm", "G7", "Fmaj7", "Am7", "Bm7b5", "C#dim7"])
def test_chord_inference_names_a_voiced_chord(symbol):
    chord = parse_chord_symbol(symbol)
    weights = [1.0 if pc in chord.pitch_classes else 0.0 for pc in range(12)]
    named = name_chord(weights, bass=chord.root)
    assert named.pitch_classes == chord.pitch_classes
