import pytest

from datasets.errors import InputError
from datasets.music.chart import parse_chart
from datasets.music.meter import Meter, parse_time_signature

FOUR, THREE, SIX_EIGHT = Meter(4, 4), Meter(3, 4), Meter(6, 8)


def layout(text, meter, n_bars=None):
    return [(offset, chord.figure) for offset, chord in parse_chart(text).changes(meter, n_bars)]


def test_bar_lines_group_chords_and_a_bar_splits_evenly():
    assert layout("Dm7 G7 | Cmaj7", FOUR) == [(0.0, "Dm7"), (2.0, "G7"), (4.0, "Cmaj7")]
    assert parse_chart("Dm7 G7 | Cmaj7").n_bars(FOUR) == 2


def test_without_bar_lines_every_chord_is_a_bar_as_before():
    assert layout("Dm7 G7 Cmaj7", FOUR) == [(0.0, "Dm7"), (4.0, "G7"), (8.0, "Cmaj7")]
    assert layout("Dm7 G7 Cmaj7", THREE) == [(0.0, "Dm7"), (3.0, "G7"), (6.0, "Cmaj7")]


def test_counts_give_a_chord_its_beats_and_the_others_share_the_rest():
    assert layout("Cmaj7 A7:1 | Dm7:3 G7", FOUR) == [
        (0.0, "Cmaj7"), (3.0, "A7"), (4.0, "Dm7"), (7.0, "G7"),
    ]
    assert layout("Fmaj7 Bb7:1 E7:1 | Am7", FOUR) == [
        (0.0, "Fmaj7"), (2.0, "Bb7"), (3.0, "E7"), (4.0, "Am7"),
    ]


def test_three_chords_in_four_take_two_one_one_and_in_three_one_each():
    assert layout("C Am7 G7 | C", FOUR) == [(0.0, "C"), (2.0, "Am7"), (3.0, "G7"), (4.0, "C")]
    assert layout("C Am7 G7 | C", THREE) == [(0.0, "C"), (1.0, "Am7"), (2.0, "G7"), (3.0, "C")]


def test_more_chords_than_counts_split_the_bar_in_equal_parts():
    offsets = [o for o, _ in layout("C D E F G | C", FOUR)]
    assert offsets == pytest.approx([0.0, 0.8, 1.6, 2.4, 3.2, 4.0])


def test_a_waltz_chart_lays_out_on_its_own_bar_lines():
    chart = parse_chart("Dm7 | G7 | Cmaj7 Am7:1 | Dm7 G7")
    assert chart.changes(THREE) == chart.timeline(THREE).changes
    offsets = [o for o, _ in chart.changes(THREE)]
    assert offsets == [0.0, 3.0, 6.0, 8.0, 9.0, 11.0]
    assert chart.length(THREE) == 12.0
    assert [c.figure for c in chart.per_bar(THREE)] == ["Dm7", "G7", "Cmaj7", "Dm7"]


def test_counts_in_six_eight_are_eighths():
    assert layout("Dm7:3 G7:3 | C", SIX_EIGHT) == [(0.0, "Dm7"), (1.5, "G7"), (3.0, "C")]


def test_the_chart_repeats_or_is_cut_to_fill_the_bars_asked():
    assert layout("F7 | Bb7", FOUR, n_bars=5) == [
        (0.0, "F7"), (4.0, "Bb7"), (8.0, "F7"), (12.0, "Bb7"), (16.0, "F7"),
    ]
    assert layout("F7 Bb7 | C7", FOUR, n_bars=1) == [(0.0, "F7"), (2.0, "Bb7")]


def test_unbarred_counts_that_fill_bars_group_into_bars():
    chart = parse_chart("Dm7:2 G7:2 C Am7:3 D7:1")
    assert chart.length(FOUR) == 12.0
    assert [length for length, _ in chart.spans(FOUR)] == [2.0, 2.0, 4.0, 3.0, 1.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("C G7:5 C", "G7:5 starts on count 1 of bar 2 and runs over its bar line"),
        ("Dm7:2 G7 C", "G7 starts on count 3 of bar 1 and runs over its bar line"),
        ("Dm7:2 G7:2 C:2", "C leaves bar 2 with 2 of 4 counts"),
    ],
)
def test_unbarred_counts_that_do_not_fill_a_bar_are_an_error_naming_chord_and_bar(text, message):
    with pytest.raises(InputError, match=message):
        parse_chart(text).changes(FOUR)


def test_commas_inside_parentheses_belong_to_the_symbol():
    assert layout("C7(#9,b13) F7,Bb7", FOUR) == [(0.0, "C7(#9,b13)"), (4.0, "F7"),
                                                 (8.0, "Bb7")]
    assert layout("Dm7, G7(b9,#11) | C", FOUR) == [(0.0, "Dm7"), (2.0, "G7(b9,#11)"),
                                                   (4.0, "C")]


def test_no_chord_takes_its_place_in_the_chart():
    assert layout("N.C. | F7 | % N.C.:2", FOUR) == [(0.0, "N.C."), (4.0, "F7"), (8.0, "F7"),
                                                    (10.0, "N.C.")]


def test_percent_repeats_and_outer_bar_lines_are_allowed():
    assert layout("| C | % | G7 |", FOUR) == [(0.0, "C"), (4.0, "C"), (8.0, "G7")]


def test_the_figure_is_kept_as_typed_without_its_counts():
    chart = parse_chart("Bb7:2 Ebmaj7:2")
    assert [c.figure for c in chart.chords] == ["Bb7", "Ebmaj7"]
    assert chart.chords[0].root == 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("C:3 G7:3 | C", "bar 1 holds 6 counts of chords; a 4/4 bar holds 4"),
        ("C:2 G7:1 | C", "bar 1 holds 3 counts"),
        ("C:4 G7 | C", "the others get nothing"),
        ("C | | G7", "bar 2 is empty"),
        ("C G7:x", "must be a positive number"),
        ("C G7:0", "must be a positive number"),
        ("% C", "'%' repeats the chord before it"),
        ("C | Q7", "unknown chord 'Q7'"),
        ("  |  ", "no chord symbols"),
    ],
)
def test_bad_charts_raise_one_line_naming_the_flag(text, message):
    with pytest.raises(InputError) as error:
        parse_chart(text).changes(FOUR)
    assert str(error.value).startswith("--chords: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


# -- Meter -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bar", "beat", "beats", "strong", "backbeats"),
    [
        ("4/4", 4.0, 1.0, 4, (0, 2), (1, 3)),
        ("3/4", 3.0, 1.0, 3, (0,), (1, 2)),
        ("6/8", 3.0, 1.5, 2, (0,), (1,)),
        ("2/2", 4.0, 2.0, 2, (0,), (1,)),
        ("5/4", 5.0, 1.0, 5, (0, 3), (1, 2, 4)),
        ("12/8", 6.0, 1.5, 4, (0, 2), (1, 3)),
    ],
)
def test_time_signatures_know_their_bars_and_beats(text, bar, beat, beats, strong, backbeats):
    meter = parse_time_signature(text)
    assert str(meter) == text
    assert (meter.bar_length, meter.beat_length, meter.beats_per_bar) == (bar, beat, beats)
    assert meter.strong_beats() == strong
    assert meter.backbeats() == backbeats


def test_compound_meters_do_not_swing_their_eighths():
    assert Meter(4, 4).swings and Meter(3, 4).swings
    assert not Meter(6, 8).swings and not Meter(12, 8).swings


@pytest.mark.parametrize("text", ["4", "3/5", "0/4", "x/4", "4/4/4", ""])
def test_a_bad_time_signature_names_the_flag(text):
    with pytest.raises(InputError, match=r"^--time-signature: .* is not a time signature"):
        parse_time_signature(text)


def test_meter_from_bar_length_reads_simple_meters():
    assert Meter.from_bar_length(3.0) == Meter(3, 4)
    assert Meter.from_bar_length(2.5) == Meter(5, 8)


def test_a_timeline_goes_to_json_and_back_whole():
    import json

    from datasets.music import ChordTimeline

    timeline = parse_chart("Dm7 G7alt | Cmaj7#11 | F/A").timeline(THREE)
    rows = json.loads(json.dumps(timeline.to_json()))
    back = ChordTimeline.from_json(rows, "config.json")
    assert back.changes == timeline.changes
    assert back.at(2.5).scale.name == "altered"  # 3/4: Dm7 two beats, G7alt one
    assert back.at(6.0).bass == 9


@pytest.mark.parametrize("rows", [[], [[0.0, "x", [0], None, "C"]], [[0.0, 0]], "C7"])
def test_a_broken_timeline_in_a_model_folder_names_the_file(rows):
    from datasets.music import ChordTimeline

    with pytest.raises(InputError, match=r"^config\.json: "):
        ChordTimeline.from_json(rows, "config.json")
