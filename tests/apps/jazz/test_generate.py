"""`generate` without training: an untrained model's solo over charts, meters and the band."""

import keras
import pytest

from apps.jazz.band import BASS, DRUMS, PIANO, SOLO
from apps.jazz.config import JazzConfig
from apps.jazz.export import TrainedJazz
from apps.jazz.model import djmodel
from apps.jazz.sampling import Sampler, chord_timeline, perform
from datasets.music import (
    ChordTimeline,
    Meter,
    Vocabulary,
    parse_chart,
    parse_chord_symbol,
    parse_value,
)

VALUES = ["C,0.500", "C,0.500,<-1,+5>", "S,0.500,<-5,+1>", "A,0.333,<-2,+4>", "C,1.000",
          "S,0.250,<+0,+6>", "R,0.500", "R,1.000", "X,0.667,<-4,+2>"]
THREE, FOUR = Meter(3, 4), Meter(4, 4)


def trained(meter: Meter, chord_input: bool) -> TrainedJazz:
    keras.utils.set_random_seed(0)
    model = djmodel(Tx=4, n_values=len(VALUES), n_a=8, chord_input=chord_input)
    progression = ChordTimeline([(0.0, parse_chord_symbol("Fmaj7")),
                                 (meter.bar_length, parse_chord_symbol("Gm7")),
                                 (meter.bar_length + meter.beat_length,
                                  parse_chord_symbol("C7"))])
    facts = {"meter": str(meter), "bar_length": meter.bar_length, "register": [60, 84],
             "progression": progression.to_json(), "progression_bars": 2, "tempo": 150.0}
    config = JazzConfig(chord_input=chord_input, Tx=4, n_a=8)
    return TrainedJazz(config, Vocabulary(VALUES), model, facts, meter, progression)


@pytest.fixture(scope="module", params=[False, True], ids=["values", "chord-input"])
def waltz_model(request):
    model = trained(THREE, request.param)
    return model, Sampler(model.model, VALUES, request.param)


def test_a_waltz_model_plays_in_three_with_the_chart_on_its_bar_lines(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("Dm7 G7 | Cmaj7 | A7:1 Dm7")
    arrangement = perform(model, sampler, chart=chart, seed=1)
    assert arrangement.meter == THREE and arrangement.length == 9.0
    assert arrangement.markers == [(0.0, "Dm7"), (2.0, "G7"), (3.0, "Cmaj7"), (6.0, "A7"),
                                   (7.0, "Dm7")]
    assert [t.name for t in arrangement.tracks] == [SOLO, PIANO, BASS, DRUMS]
    solo = arrangement.tracks[0].notes
    assert solo and max(n.end for n in solo) <= 9.0 + 1e-9
    assert all(a.end <= b.offset + 1e-9 for a, b in zip(solo, solo[1:], strict=False))
    assert all(60 - 12 <= n.pitch <= 84 + 12 for n in solo)


def test_the_time_signature_overrides_the_models_meter(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("F7 Bb7 F7 F7")
    arrangement = perform(model, sampler, chart=chart, meter=FOUR, seed=1)
    assert arrangement.meter == FOUR and arrangement.length == 16.0
    assert [o for o, _ in arrangement.markers] == [0.0, 4.0, 8.0, 12.0]


def test_bars_repeat_or_cut_the_chart():
    model = trained(FOUR, False)
    chart = parse_chart("Dm7 G7 | Cmaj7")
    timeline, n_bars = chord_timeline(model, chart, FOUR, 5)
    assert n_bars == 5
    assert [(o, c.figure) for o, c in timeline.changes] == [
        (0.0, "Dm7"), (2.0, "G7"), (4.0, "Cmaj7"), (8.0, "Dm7"), (10.0, "G7"), (12.0, "Cmaj7"),
        (16.0, "Dm7"), (18.0, "G7")]
    assert chord_timeline(model, chart, FOUR, None)[1] == 2


def test_without_a_chart_the_models_progression_repeats_change_for_change():
    model = trained(THREE, False)
    timeline, n_bars = chord_timeline(model, None, THREE, 3)
    assert n_bars == 3
    assert [(o, c.figure) for o, c in timeline.changes] == [
        (0.0, "Fmaj7"), (3.0, "Gm7"), (4.0, "C7"), (6.0, "Fmaj7")]
    assert chord_timeline(model, None, THREE, None)[1] == 12


def test_in_another_meter_the_progression_gives_one_chord_a_bar():
    model = trained(THREE, False)
    timeline, _ = chord_timeline(model, None, FOUR, 3)
    assert [(o, c.figure) for o, c in timeline.changes] == [
        (0.0, "Fmaj7"), (4.0, "Gm7"), (8.0, "Fmaj7")]


def test_unaccompanied_is_the_solo_alone_with_its_markers(waltz_model):
    model, sampler = waltz_model
    arrangement = perform(model, sampler, chart=parse_chart("Dm7 | G7"), band=False, seed=2)
    assert [t.name for t in arrangement.tracks] == [SOLO]
    assert [text for _, text in arrangement.markers] == ["Dm7", "G7"]


def test_the_same_seed_gives_the_same_arrangement_and_swing_is_kept(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("Dm7 G7 | Cmaj7")
    first = perform(model, sampler, chart=chart, seed=7, swing=1.5)
    again = perform(model, sampler, chart=chart, seed=7, swing=1.5)
    other = perform(model, sampler, chart=chart, seed=8, swing=1.5)
    assert first.tracks == again.tracks and first.swing == 1.5
    assert first.tracks[0].notes != other.tracks[0].notes


def test_sampled_values_fill_the_length_exactly(waltz_model):
    model, sampler = waltz_model
    timeline = parse_chart("Dm7 | G7").timeline(THREE, 2)
    values = sampler.values(timeline, THREE, 6.0, 1.0, 4)
    assert sum(parse_value(v).duration for v in values) == pytest.approx(6.0)


def test_choruses_count_in_and_ending_lay_out_a_practice_track(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("Dm7 G7 | Cmaj7 | A7:1 Dm7")
    arrangement = perform(model, sampler, chart=chart, choruses=2, count_in=True, ending=True,
                          seed=3)
    assert arrangement.cues == [(0.0, "Count-in"), (3.0, "Chorus 1"), (12.0, "Chorus 2"),
                                (21.0, "Ending")]
    assert arrangement.length == 24.0 and arrangement.form_length == 18.0
    solo = arrangement.track(SOLO).notes
    assert min(n.offset for n in solo) >= 3.0
    last = solo[-1]
    assert last.offset == 21.0 and last.pitch % 12 in parse_chord_symbol("Dm7").pitch_classes


def test_the_band_alone_needs_no_model_and_writes_no_solo():
    chart = parse_chart("Dm7 | G7 | Cmaj7")
    arrangement = perform(None, None, chart=chart, solo=False, ending=True)
    assert [t.name for t in arrangement.tracks] == [PIANO, BASS, DRUMS]
    assert arrangement.meter == FOUR and arrangement.tempo == 120.0


def test_the_solo_stays_in_the_register_asked_and_lands_on_the_changes(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("Dm7 | G7 | Cmaj7 | A7")
    timeline = chart.timeline(THREE, 16)
    hits = total = 0
    for seed in range(4):
        arrangement = perform(model, sampler, chart=chart, bars=16, seed=seed,
                              register=(55, 72), band=False)
        solo = arrangement.track(SOLO).notes
        assert all(55 <= n.pitch <= 72 for n in solo)
        for offset in timeline.offsets[1:]:
            sounding = [n for n in solo if n.offset <= offset < n.end]
            if sounding:
                total += 1
                hits += sounding[0].pitch % 12 in timeline.at(offset).pitch_classes
    assert total >= 8 and hits == total


def test_over_a_break_the_solo_plays_while_the_band_lays_out(waltz_model):
    model, sampler = waltz_model
    chart = parse_chart("Dm7 | N.C. | N.C. | G7")
    arrangement = perform(model, sampler, chart=chart, bars=8, seed=2)
    bass = arrangement.track(BASS).notes
    assert not [n for n in bass if 3.0 <= n.offset < 9.0]
    assert [text for _, text in arrangement.markers][:4] == ["Dm7", "N.C.", "N.C.", "G7"]


def test_a_lead_sheet_gives_the_same_markers_at_the_same_beats_as_the_chart_typed(tmp_path):
    from pathlib import Path

    from apps.jazz.__main__ import main
    from apps.jazz.band import read_back

    sheet = Path(__file__).parent / "fixtures" / "blues_in_f.musicxml"
    typed = ("F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 "
             "| Gm7 C7")
    files = {}
    for name, chords in (("sheet", ["--chords-from", str(sheet)]),
                         ("typed", ["--chords", typed, "--tempo", "160"])):
        files[name] = tmp_path / f"{name}.mid"
        with pytest.raises(SystemExit) as done:
            main(["generate", "--no-solo", *chords, "--out", str(files[name])])
        assert done.value.code == 0
    sheet_events, typed_events = read_back(files["sheet"]), read_back(files["typed"])
    assert sheet_events["markers"] == typed_events["markers"]
    assert len(sheet_events["markers"]) == 17 and sheet_events["tempo"] == pytest.approx(160.0)
    assert files["sheet"].read_bytes() == files["typed"].read_bytes()
