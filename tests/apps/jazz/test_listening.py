"""The measures of what a musician hears, on lines whose answers are known."""

import pytest

from apps.jazz import listening
from datasets.music import ChordTimeline, Meter, parse_chord_symbol

FOUR, SIX_EIGHT = Meter(4, 4), Meter(6, 8)
F7, BB7 = parse_chord_symbol("F7"), parse_chord_symbol("Bb7")
CHORDS = ChordTimeline([(0.0, F7), (4.0, BB7), (8.0, F7)])


def eighths(start, count, pitch=65, swing=1.0):
    place = listening.offbeat_place(swing)
    notes = []
    for k in range(count):
        onset = start + k // 2 + (place if k % 2 else 0.0)
        end = start + (k + 1) // 2 + (place if (k + 1) % 2 else 0.0)
        notes.append((onset, end, pitch + k % 3))
    return notes


def test_a_line_on_beats_and_ands_is_on_the_grid_and_one_that_drifts_is_not():
    assert listening.timing([n[0] for n in eighths(0, 16)], FOUR, 1.0)["on_grid_share"] == 1.0
    drifting = [k * 0.5 + 1 / 3 for k in range(16)]  # a triplet pushed everything after it
    assert listening.timing(drifting, FOUR, 1.0)["on_grid_share"] == 0.0
    assert listening.timing([0.0, 1 / 3, 2 / 3, 1.0], FOUR, 1.0)["on_grid_share"] == 0.5


def test_off_beat_notes_at_the_swung_eighth_count_as_swung():
    swung = [n[0] for n in eighths(0, 16, swing=2.0)]
    report = listening.timing(swung, FOUR, 2.0)
    assert report["on_grid_share"] == 1.0 and report["swung_share"] == 1.0
    straight = listening.timing([n[0] for n in eighths(0, 16)], FOUR, 2.0)
    assert straight["swung_share"] == 0.0 and straight["on_grid_share"] == 1.0
    assert listening.timing(swung, FOUR, 1.0)["swung_share"] is None
    assert listening.timing([0.0, 0.5, 1.0, 1.5], SIX_EIGHT, 2.0)["on_grid_share"] == 1.0
    assert listening.timing([0.0, 0.25, 0.5, 0.75], SIX_EIGHT, 1.0)["on_grid_share"] == 0.5


def test_chord_tones_and_guide_tones_where_the_chord_changes():
    notes = [(3.0, 4.0, 65), (4.0, 5.0, 62),  # D over Bb7 (its 3rd), a third below F
             (7.5, 8.5, 69)]  # A sounding over the change to F7: its 3rd, held in
    report = listening.at_changes(notes, CHORDS, (0.0, 12.0))
    assert report["changes"] == 2 and report["changes_with_a_note"] == 2
    assert report["chord_tone_at_changes"] == 1.0 and report["guide_tone_at_changes"] == 1.0
    assert report["approach_by_step"] == 0.0  # F to D is a third
    wrong = [(4.0, 5.0, 64)]  # E over Bb7
    report = listening.at_changes(wrong, CHORDS, (0.0, 12.0))
    assert report["chord_tone_at_changes"] == 0.0 and report["changes_with_a_note"] == 1


def test_phrases_are_split_by_rests_of_a_beat_and_say_where_they_start_and_end():
    notes = eighths(0, 6) + eighths(4.5, 7)  # 3 beats, a rest of 1.5 beats, 3.5 beats
    report = listening.phrases(sorted(notes), FOUR, 1.0)
    assert report["count"] == 2 and report["mean_rest_beats"] == 1.5
    assert report["start_on_beat_or_and"] == 1.0 and report["end_on_beat_or_and"] == 1.0
    assert report["mean_bars"] == pytest.approx((0.75 + 0.875) / 2, abs=1e-3)


def test_choruses_report_register_density_and_the_climb():
    low_to_high = [(k * 1.0, k + 1.0, 60 + k) for k in range(12)]
    (report,) = listening.choruses(low_to_high, [(0.0, 12.0)], Meter(3, 4))
    assert report["lowest_pitch"] == 60 and report["highest_pitch"] == 71
    assert report["notes_per_bar"] == 3.0 and report["rise"] == 8.0


def test_listen_measures_only_the_passes_of_the_chart():
    notes = [(1.0, 2.0, 61)] + eighths(4, 8) + [(12.0, 16.0, 65)]  # count-in, chorus, ending
    report = listening.listen(notes, CHORDS, FOUR, 1.0, [(4.0, 12.0)])
    assert report["choruses"][0]["notes"] == 8
    assert report["changes"] == 1  # the change to F7 at 8; 4 starts the chorus


def test_sections_come_from_the_chorus_cue_points():
    cues = [(0.0, "Count-in"), (4.0, "Chorus 1"), (52.0, "Chorus 2"), (100.0, "Ending")]
    assert listening.sections_of(cues, 104.0) == [(4.0, 52.0), (52.0, 100.0)]
