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
    # Spellings players type that earlier releases refused or misread.
    "Cm(add9)": (0, {0, 3, 7, 2}),
    "Cmadd9": (0, {0, 3, 7, 2}),
    "Cadd9": (0, {0, 4, 7, 2}),
    "C7(#9,b13)": (0, {0, 4, 7, 10, 3, 8}),
    "CΔ": (0, {0, 4, 7, 11}),
    "CΔ7": (0, {0, 4, 7, 11}),
    "CΔ9": (0, {0, 4, 7, 11, 2}),
    "C^": (0, {0, 4, 7, 11}),
    "C-Δ7": (0, {0, 3, 7, 11}),
    "CM7": (0, {0, 4, 7, 11}),
    "Cmi7": (0, {0, 3, 7, 10}),
    "C11": (0, {0, 5, 7, 10, 2}),  # played without its third: C9sus4
    "Cmaj11": (0, {0, 5, 7, 11, 2}),
    "C5": (0, {0, 7}),
    "C2": (0, {0, 2, 7}),
    "Csus2": (0, {0, 2, 7}),
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


@pytest.mark.parametrize("symbol", ["H7", "Cfoo", "C/X", "", "7", "Cmaj7b3", "Cm5", "N.D."])
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


# -- Chord scales -------------------------------------------------------------------------------

# symbol -> (scale name, pitch classes of the scale over C, avoid pitch classes)
SCALES = {
    "C7": ("mixolydian", {0, 2, 4, 5, 7, 9, 10}, {5}),
    "C13": ("mixolydian", {0, 2, 4, 5, 7, 9, 10}, {5}),
    "C7b9": ("half-whole diminished", {0, 1, 3, 4, 6, 7, 9, 10}, set()),
    "C13b9": ("half-whole diminished", {0, 1, 3, 4, 6, 7, 9, 10}, set()),
    "C7#9": ("half-whole diminished", {0, 1, 3, 4, 6, 7, 9, 10}, set()),
    "C7alt": ("altered", {0, 1, 3, 4, 6, 8, 10}, set()),
    "C7#5#9": ("altered", {0, 1, 3, 4, 6, 8, 10}, set()),
    "C7b9b13": ("phrygian dominant", {0, 1, 4, 5, 7, 8, 10}, {5}),
    "C7#11": ("lydian dominant", {0, 2, 4, 6, 7, 9, 10}, set()),
    "C9#11": ("lydian dominant", {0, 2, 4, 6, 7, 9, 10}, set()),
    "C7#5": ("whole tone", {0, 2, 4, 6, 8, 10}, set()),
    "Cmaj7": ("ionian", {0, 2, 4, 5, 7, 9, 11}, {5}),
    "C6/9": ("ionian", {0, 2, 4, 5, 7, 9, 11}, {5}),
    "Cmaj7#11": ("lydian", {0, 2, 4, 6, 7, 9, 11}, set()),
    "Cmaj7#5": ("lydian augmented", {0, 2, 4, 6, 8, 9, 11}, set()),
    "Csus4": ("mixolydian sus4", {0, 2, 5, 7, 9, 10}, set()),
    "C7sus4": ("mixolydian sus4", {0, 2, 5, 7, 9, 10}, set()),
    "C9sus4": ("mixolydian sus4", {0, 2, 5, 7, 9, 10}, set()),
    "Cm7": ("dorian", {0, 2, 3, 5, 7, 9, 10}, set()),
    "Cm6": ("dorian", {0, 2, 3, 5, 7, 9, 10}, set()),
    "Cm(maj7)": ("melodic minor", {0, 2, 3, 5, 7, 9, 11}, set()),
    "Cm7b5": ("locrian", {0, 1, 3, 5, 6, 8, 10}, {1}),
    "Cm9b5": ("locrian natural 9", {0, 2, 3, 5, 6, 8, 10}, set()),
    "Cdim7": ("whole-half diminished", {0, 2, 3, 5, 6, 8, 9, 11}, set()),
    "Caug": ("whole tone", {0, 2, 4, 6, 8, 10}, set()),
}


@pytest.mark.parametrize("symbol", sorted(SCALES))
def test_each_chord_gets_the_scale_players_use_with_its_avoid_notes(symbol):
    name, tones, avoid = SCALES[symbol]
    chord = parse_chord_symbol(symbol)
    assert chord.scale.name == name
    assert chord.scale_classes == frozenset(tones) | chord.pitch_classes
    assert chord.avoid_classes == frozenset(avoid)


@pytest.mark.parametrize(
    ("pitch", "symbol", "kind"),
    [
        (62, "C7b9", "A"),  # D: not in the half-whole scale, a semitone above the b9
        (65, "C7alt", "A"),  # F: not in the altered scale
        (65, "C7#11", "A"),  # F: lydian dominant raises it
        (65, "Cmaj7#11", "A"),
        (66, "Cmaj7#11", "S"),  # F#: the #11 is a scale tone of lydian, and here a chord tone
        (63, "C7b9", "S"),  # Eb (#9) is in the half-whole scale
        (64, "Csus4", "A"),  # the third is not played over a sus chord
        (62, "Csus4", "S"),
        (62, "C7", "S"),
        (65, "C7", "S"),  # the 11th is in mixolydian, marked as an avoid note
    ],
)
def test_alterations_change_which_tones_are_scale_tones(pitch, symbol, kind):
    chord = parse_chord_symbol(symbol)
    if pitch % 12 in chord.pitch_classes:
        kind = "C"
    assert note_type(pitch, chord) == kind


def test_the_avoid_note_of_a_dominant_is_its_eleventh_and_never_a_chord_tone():
    assert parse_chord_symbol("F7").avoid_classes == frozenset({10})  # B-flat over F7
    assert parse_chord_symbol("C7sus4").avoid_classes == frozenset()  # the 4th is the chord's


@pytest.mark.parametrize(
    "figure",
    ["C13", "Cm13", "C11", "C9", "C7b9", "C7#9", "C7#11", "Cmaj7#11", "C7sus4", "Csus4",
     "Cm7b5", "G7b9b13", "G7#5#9", "Bb13", "Ebm11", "F6", "Cdim7", "Gm6"],
)
def test_a_symbol_music21_reads_and_the_same_symbol_typed_are_one_chord(figure):
    from music21 import harmony

    from datasets.music.chords import chord_from_pitch_classes

    symbol = harmony.ChordSymbol(figure.replace("b", "-", 1) if figure[1:2] == "b" else figure)
    read = chord_from_pitch_classes(
        symbol.root().pitchClass, [p.pitchClass for p in symbol.pitches], None, figure
    )
    typed = parse_chord_symbol(figure)
    assert read.root == typed.root
    assert read.intervals == typed.intervals
    assert read.scale == typed.scale


def test_thirteenth_chords_leave_out_the_eleventh_however_they_arrive():
    from music21 import harmony

    assert 5 in {p.pitchClass for p in harmony.ChordSymbol("C13").pitches}  # music21's C13
    for symbol in ["C13", "Cmaj13", "C13#11", "C13b9"]:
        assert 5 not in parse_chord_symbol(symbol).pitch_classes
    assert 5 in parse_chord_symbol("Cm13").pitch_classes  # no third to clash with


def test_chord_degrees_name_tensions_above_the_octave():
    assert parse_chord_symbol("C7b9").intervals == (0, 4, 7, 10, 13)
    assert parse_chord_symbol("C7alt").intervals == (0, 4, 10, 13, 15, 18, 20)
    assert parse_chord_symbol("C6").intervals == (0, 4, 7, 9)
    assert parse_chord_symbol("C13").intervals == (0, 4, 7, 10, 14, 21)
    assert parse_chord_symbol("Csus2").intervals == (0, 2, 7)


@pytest.mark.parametrize("symbol", ["Bb7", "Bbmaj7", "Bbm7b5", "Bb7b9", "Eb13", "Ab7alt"])
def test_flats_typed_with_b_are_flats(symbol):
    expected = {"Bb": 10, "Eb": 3, "Ab": 8}[symbol[:2]]
    assert parse_chord_symbol(symbol).root == expected


def test_progression_in_typed_order_ignores_counts_and_repeats_with_percent():
    chords = parse_progression("Dm7:2 G7:2 | Cmaj7 | %")
    assert [c.figure for c in chords] == ["Dm7", "G7", "Cmaj7", "Cmaj7"]


@pytest.mark.parametrize("symbol", ["N.C.", "NC", "n.c.", "N.C"])
def test_no_chord_is_a_chord_without_tones(symbol):
    chord = parse_chord_symbol(symbol)
    assert chord.is_no_chord and chord.pitch_classes == frozenset()
    assert chord.figure == "N.C."
    assert not parse_chord_symbol("C").is_no_chord


def test_an_eleventh_chord_has_no_third_against_its_eleventh_however_it_arrives():
    from music21 import harmony

    from datasets.music.chords import chord_from_pitch_classes

    symbol = harmony.ChordSymbol("C11")
    assert 4 in {p.pitchClass for p in symbol.pitches}  # music21 keeps the third
    read = chord_from_pitch_classes(0, [p.pitchClass for p in symbol.pitches], None, "C11")
    assert 4 not in read.pitch_classes and 5 in read.pitch_classes
    assert read.intervals == parse_chord_symbol("C11").intervals == (0, 5, 7, 10, 14)
    assert 3 in parse_chord_symbol("Cm11").pitch_classes  # a minor third does not clash


@pytest.mark.parametrize(
    ("figure", "ascii"),
    [("C°7", "Cdim7"), ("C°", "Cdim"), ("F#ø", "F#m7b5"), ("F#ø7", "F#m7b5"), ("EbΔ", "Ebmaj7"),
     ("EbΔ7", "Ebmaj7"), ("EbΔ9", "Ebmaj9"), ("E♭7", "Eb7"), ("F♯m7", "F#m7"),
     ("Bb7(#9,b13)", "Bb7(#9,b13)")],
)
def test_figures_are_spelled_in_ascii_for_midi_markers_and_mean_the_same(figure, ascii):
    from datasets.music.chords import ascii_figure

    assert ascii_figure(figure) == ascii
    typed, spelled = parse_chord_symbol(figure), parse_chord_symbol(ascii)
    assert (typed.root, typed.pitch_classes) == (spelled.root, spelled.pitch_classes)
