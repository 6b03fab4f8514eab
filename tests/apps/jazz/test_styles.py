"""Styles are data read by one band; the practice-tool parts of an arrangement (count-in,
ending, fills, the tempo's feel, N.C.) and the chord symbols players type, read back from MIDI."""

import dataclasses
import math

import pytest

from apps.jazz.band import (
    BASS,
    DRUMS,
    PIANO,
    SOLO,
    arrange,
    load_style,
    read_back,
    style_names,
    write_midi,
)
from apps.jazz.styles import BassLine, Groove, Hit, Kit, Style
from datasets.errors import InputError
from datasets.music import Meter, Note, parse_chart, parse_chord_symbol

FOUR = Meter(4, 4)
BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 | Gm7 C7"
PLAYERS = ("N.C. | Cm(add9) | Cmadd9 | C7(#9,b13) | CΔ | CΔ7 | C11 | C5 | C2 | Csus2 | C°7 "
           "| F#ø | Bb7 | G7:2 C:2")


def band(tmp_path, chart_text=BLUES, name="band", choruses=1, **options):
    chart = parse_chart(chart_text)
    n_bars = chart.n_bars(FOUR) * choruses
    solo = [Note(b * 4.0 + k * 0.5, 0.5, 64 + k) for b in range(0, n_bars, 2) for k in range(6)]
    options.setdefault("chorus_bars", chart.n_bars(FOUR))
    arrangement = arrange(solo, chart.timeline(FOUR, n_bars), meter=FOUR,
                          length=n_bars * 4.0, seed=options.pop("seed", 0), **options)
    path = tmp_path / f"{name}.mid"
    write_midi(arrangement, path)
    events = read_back(path)
    return arrangement, {t["name"]: t["notes"] for t in events["tracks"]}, events


def test_the_styles_are_the_files_of_data_in_the_styles_folder():
    assert style_names() == ["ballad", "bossa", "swing"]
    for name in style_names():
        style = load_style(name)
        assert isinstance(style, Style) and style.name == name and style.summary
    with pytest.raises(InputError, match=r"--style: unknown style 'polka' \(choose from"):
        load_style("polka")


def test_a_new_style_is_data_the_band_plays_without_new_code(tmp_path):
    two_beat = dataclasses.replace(
        load_style("swing"), name="two-beat",
        bass=BassLine(hits=((0, "root", 1.0), (2, "fifth", 1.0)), cell_beats=4),
        drums=Kit(grooves=(Groove((Hit(42, 70, "beats"),)),)),
    )
    _, tracks, _ = band(tmp_path, style=two_beat)
    assert {round(n[0] % 4, 6) for n in tracks[BASS]} == {0.0, 2.0}
    assert {n[2] for n in tracks[DRUMS]} <= {42, 49, 36}  # its hi-hat, a crash, the kick


def test_bossa_plays_straight_eighths_whatever_the_swing(tmp_path):
    arrangement, tracks, _ = band(tmp_path, style=load_style("bossa"), swing=2.0)
    assert arrangement.swing == 1.0
    offbeats = [n[0] % 1.0 for notes in tracks.values() for n in notes if n[0] % 1.0 > 1e-6]
    assert offbeats and all(abs(f - 0.5) < 1e-6 for f in offbeats)
    roots = {n[0]: n[2] % 12 for n in tracks[BASS]}
    fifths = [n for n in tracks[BASS] if abs(n[0] % 2 - 1.5) < 1e-6]
    assert fifths  # the fifth on the "and" of 2 (and of 4)
    chords = parse_chart(BLUES).timeline(FOUR)
    for bar in range(12):
        chord = chords.at(bar * 4.0)
        assert roots[bar * 4.0] == chord.root
    side_stick = sorted(round(n[0] % 8, 6) for n in tracks[DRUMS]
                        if n[2] == 37 and n[0] < 24.0)  # before the first fill
    assert set(side_stick) == {0.0, 1.5, 3.0, 5.0, 6.5}  # the clave over two bars


def test_a_ballad_is_slow_with_brushes_a_bass_in_two_and_sparse_piano(tmp_path):
    style = load_style("ballad")
    assert style.tempo < 80
    arrangement, tracks, events = band(tmp_path, style=style, tempo=style.tempo)
    per_bar = [sum(1 for n in tracks[BASS] if bar * 4 <= n[0] < bar * 4 + 4) for bar in range(12)]
    assert max(per_bar) <= 2
    assert arrangement.track(DRUMS).program == 40  # the brush kit
    swing_hits = len({n[0] for n in band(tmp_path, name="s")[1][PIANO]})
    assert len({n[0] for n in tracks[PIANO]}) < swing_hits


def test_drums_fill_into_every_chorus_and_every_eight_bars_with_a_crash_after(tmp_path):
    from apps.jazz.styles import Fill

    cowbell = Fill(((-1.0, 56, 80), (-0.5, 56, 80)))  # a fill no groove plays, to find it
    kit = Kit(grooves=(Groove((Hit(51, 76, "beats"),)),), fills=(cowbell,))
    style = dataclasses.replace(load_style("swing"), drums=kit)
    _, tracks, _ = band(tmp_path, choruses=3, style=style)  # 36 bars, choruses of 12
    filled = sorted({int(n[0] // 4) for n in tracks[DRUMS] if n[2] == 56})
    assert filled == [7, 11, 15, 23, 31, 35]  # bars 8, 16, 24, 32 and each chorus's last
    assert all(n[0] % 4 >= 3.0 for n in tracks[DRUMS] if n[2] == 56)
    rides = {n[0] for n in tracks[DRUMS] if n[2] == 51}
    assert not {4 * b + 3.0 for b in filled} & rides  # the ride makes way for the fill
    crashes = {n[0] for n in tracks[DRUMS] if n[2] == 49}
    assert {0.0, 32.0, 48.0, 64.0, 96.0, 128.0} <= crashes


def test_the_ride_varies_and_the_band_plays_lighter_at_ballad_tempos(tmp_path):
    _, tracks, _ = band(tmp_path, choruses=2, tempo=220.0, name="fast")
    bars = {}
    for n in tracks[DRUMS]:
        if n[2] == 51:
            bars.setdefault(int(n[0] // 8), set()).add(round(n[0] % 8, 4))
    assert len({frozenset(v) for v in bars.values()}) > 1
    _, slow, _ = band(tmp_path, choruses=2, tempo=60.0, name="slow")
    fast_arrangement = arrange([], parse_chart(BLUES).timeline(FOUR), meter=FOUR, length=48.0,
                               tempo=220.0)
    slow_arrangement = arrange([], parse_chart(BLUES).timeline(FOUR), meter=FOUR, length=48.0,
                               tempo=60.0)

    def loudness(arrangement, name):
        notes = arrangement.track(name).notes
        return sum(n.velocity for n in notes) / len(notes)

    for name in (DRUMS, PIANO, BASS):
        assert loudness(slow_arrangement, name) < loudness(fast_arrangement, name)


def test_a_count_in_is_a_bar_of_drums_before_everything_else(tmp_path):
    arrangement, tracks, events = band(tmp_path, count_in=True)
    assert sorted(n[0] for n in tracks[DRUMS] if n[0] < 4.0) == [0.0, 1.0, 2.0, 3.0]
    assert all(n[0] >= 4.0 for name in (SOLO, PIANO, BASS) for n in tracks[name])
    assert events["markers"][0] == (4.0, "F7") and arrangement.length == 52.0
    assert events["cues"] == [(0.0, "Count-in"), (4.0, "Chorus 1")]


def test_the_ending_holds_the_first_chord_with_its_root_and_a_cymbal(tmp_path):
    f7 = parse_chord_symbol("F7")
    arrangement, tracks, events = band(tmp_path, ending=f7)
    assert arrangement.length == 52.0 and events["cues"][-1] == (48.0, "Ending")
    assert events["markers"][-1] == (48.0, "F7")
    bass = tracks[BASS][-1]
    assert bass[0] == 48.0 and bass[2] % 12 == 5 and bass[1] - bass[0] > 3.0
    assert tracks[BASS][-2][0] == 47.0 and 1 <= abs(tracks[BASS][-2][2] - bass[2]) <= 2
    held = [n for n in tracks[PIANO] if n[0] == 48.0]
    assert held and all(n[1] - n[0] > 3.0 for n in held)
    assert any(n[0] == 48.0 and n[2] == 49 for n in tracks[DRUMS])


def test_no_chord_silences_bass_and_piano_while_the_drums_keep_time(tmp_path):
    _, tracks, _ = band(tmp_path, chart_text="F7 | N.C. | N.C. | Bb7")
    for name in (BASS, PIANO):
        assert not [n for n in tracks[name] if 4.0 <= n[0] < 12.0], name
    assert {math.floor(n[0]) for n in tracks[DRUMS] if 4.0 <= n[0] < 12.0} == set(range(4, 12))
    assert [n[2] % 12 for n in tracks[BASS] if n[0] == 12.0] == [10]  # back on Bb's root


def test_the_chords_players_type_sound_as_they_mean(tmp_path):
    chart = parse_chart(PLAYERS)
    arrangement, tracks, events = band(tmp_path, chart_text=PLAYERS)
    changes = chart.changes(FOUR)
    bass = {round(n[0], 6): n[2] for n in tracks[BASS]}
    for offset, chord in changes:
        if not chord.is_no_chord:
            assert bass[round(offset, 6)] % 12 == chord.bass_class, chord.figure
    def piano_at(figure):
        offset = next(o for o, c in changes if c.figure == figure)
        return {n[2] % 12 for n in tracks[PIANO] if offset <= n[0] < offset + 4.0}

    assert 4 not in piano_at("C11")  # no third under the 11th
    assert piano_at("C5") == {0, 7}  # a power chord: root and fifth
    assert piano_at("C2") <= {0, 2, 7} and 4 not in piano_at("C2")
    assert 4 not in piano_at("Cm(add9)") and 2 in piano_at("Cmadd9") | piano_at("Cm(add9)")
    assert 11 in piano_at("CΔ")  # the triangle alone is a major seventh
    assert all(text.isascii() for _, text in events["markers"])
    assert [t for _, t in events["markers"]][:2] == ["N.C.", "Cm(add9)"]
    assert "Cdim7" in [t for _, t in events["markers"]]
