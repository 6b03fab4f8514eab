"""The band under a solo, checked by reading its MIDI back as a listener's software would."""

import math

import pytest
from music21 import converter
from music21 import midi as m21midi

from apps.jazz.band import (
    BASS,
    DRUMS,
    PIANO,
    SOLO,
    arrange,
    comping,
    midi_bytes,
    read_back,
    rootless_voicing,
    to_score,
    walking_bass,
    write_midi,
)
from datasets.music import Meter, Note, parse_chart, parse_chord_symbol

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 | Gm7 C7"
WALTZ = "Dm7 | G7 | Cmaj7 | Cmaj7 | Fm7 | Bb7 | Ebmaj7 | Ebmaj7 Am7b5:1 | D7alt | Gm6"
FOUR, THREE = Meter(4, 4), Meter(3, 4)


def eighths_solo(n_bars: int, meter: Meter) -> list[Note]:
    """Straight eighths with a rest every other bar: phrases to shape."""
    notes = []
    for bar in range(n_bars):
        if bar % 2 == 1:
            continue
        start = bar * meter.bar_length
        for k in range(round(meter.bar_length * 2)):
            notes.append(Note(start + k * 0.5, 0.5, 64 + (k * 5) % 14))
    return notes


def render(tmp_path, chart_text=BLUES, meter=FOUR, swing=2.0, band=True, seed=0, name="band"):
    chart = parse_chart(chart_text)
    n_bars = chart.n_bars(meter)
    arrangement = arrange(eighths_solo(n_bars, meter), chart.timeline(meter, n_bars),
                          meter=meter, length=n_bars * meter.bar_length, tempo=150,
                          swing=swing, band=band, seed=seed)
    path = tmp_path / f"{name}.mid"
    write_midi(arrangement, path)
    return arrangement, path


def read_parts(path):
    score = converter.parse(str(path), quantizePost=False).stripTies()
    return {part.partName: [(float(n.offset), n) for n in part.flatten().notes]
            for part in score.parts}, score


def raw_tracks(path):
    midi_file = m21midi.MidiFile()
    midi_file.open(str(path))
    midi_file.read()
    midi_file.close()
    return midi_file


def events(midi_file, predicate):
    return [(t.index, e) for t in midi_file.tracks for e in t.events
            if isinstance(e, m21midi.MidiEvent) and predicate(e)]


@pytest.fixture(scope="module")
def blues(tmp_path_factory):
    return render(tmp_path_factory.mktemp("band"))


def test_the_solo_is_the_first_track_then_piano_bass_and_drums(blues):
    _, path = blues
    parts, _ = read_parts(path)
    assert list(parts) == [SOLO, PIANO, BASS, DRUMS]


def test_the_bass_plays_on_at_least_nine_beats_in_ten(blues):
    arrangement, path = blues
    parts, _ = read_parts(path)
    onsets = {round(offset, 3) for offset, _ in parts[BASS]}
    beats = range(round(arrangement.length))
    assert sum(float(b) in onsets for b in beats) / len(beats) >= 0.9


def test_drums_are_on_channel_ten_and_nothing_else_is(blues):
    _, path = blues
    midi_file = raw_tracks(path)
    channels = {}
    for index, event in events(midi_file, lambda e: e.isNoteOn()):
        channels.setdefault(index, set()).add(event.channel)
    assert list(channels.values()) == [{1}, {2}, {3}, {10}]


def test_a_marker_names_each_chord_as_typed_where_it_starts(blues):
    arrangement, path = blues
    ticks = raw_tracks(path).ticksPerQuarterNote
    markers = []
    for track in raw_tracks(path).tracks:
        time = 0
        for event in track.events:
            if isinstance(event, m21midi.DeltaTime):
                time += event.time
            elif event.type == m21midi.MetaEvents.MARKER:
                markers.append((time / ticks, event.data.decode()))
    expected = [(o, c.figure) for o, c in parse_chart(BLUES).changes(FOUR)]
    assert markers == expected
    assert ("Bb7" in dict(markers).values()) and ("D7b9" in dict(markers).values())


def test_chord_markers_read_back_as_the_chords(blues):
    from datasets.music import read_score

    _, path = blues
    chords = read_score(path).chord_symbols
    assert [c.figure for _, c in chords] == [c.figure for c in parse_chart(BLUES).chords]
    assert chords[1][1].root == 10  # "Bb7" is B-flat


def offbeat_positions(parts, name):
    """Where the notes between beats fall inside their beat (0-1)."""
    positions = []
    for offset, _ in parts[name]:
        fraction = offset - math.floor(offset + 1e-6)
        if fraction > 0.05:
            positions.append(fraction)
    return positions


@pytest.mark.parametrize(("swing", "low", "high"), [(2.0, 0.62, 0.70), (1.0, 0.499, 0.501)])
def test_swing_places_the_offbeat_eighth(tmp_path, swing, low, high):
    _, path = render(tmp_path, swing=swing)
    parts, _ = read_parts(path)
    for name in (SOLO, PIANO, DRUMS):
        positions = offbeat_positions(parts, name)
        assert positions, name
        assert all(low <= p <= high for p in positions), (name, sorted(set(positions)))


def test_a_waltz_comes_out_in_three_four_on_its_own_bar_lines(tmp_path):
    arrangement, path = render(tmp_path, chart_text=WALTZ, meter=THREE)
    parts, score = read_parts(path)
    signatures = score.flatten().getElementsByClass("TimeSignature")
    assert signatures[0].ratioString == "3/4"
    assert arrangement.length == 30.0
    onsets = {round(o, 3) for o, _ in parts[BASS]}
    assert all(float(b) in onsets for b in range(30))
    chart = parse_chart(WALTZ)
    starts = [o for o, _ in chart.changes(THREE)]
    assert starts[:8] == [0.0, 3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0]
    assert starts[8] == 23.0  # "Am7b5:1" takes the last beat of bar 8


def test_without_the_band_only_the_solo_and_the_markers_are_written(tmp_path):
    arrangement, path = render(tmp_path, band=False)
    parts, _ = read_parts(path)
    assert list(parts) == [SOLO]
    assert [t.name for t in arrangement.tracks] == [SOLO]
    assert len(arrangement.markers) == len(parse_chart(BLUES).chords)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_another_band(tmp_path):
    first, path = render(tmp_path, seed=4, name="a")
    _, again = render(tmp_path, seed=4, name="b")
    _, other = render(tmp_path, seed=5, name="c")
    assert path.read_bytes() == again.read_bytes() == midi_bytes(first)
    assert path.read_bytes() != other.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mid", "b.mid", "c.mid"]


def test_the_walking_bass_lands_on_roots_and_steps_into_each_change():
    import numpy as np

    chart = parse_chart(BLUES + " | C/E")
    timeline = chart.timeline(FOUR)
    length = chart.length(FOUR)
    bass = walking_bass(timeline, FOUR, length, np.random.default_rng(0))
    by_onset = {n.offset: n.pitch for n in bass}
    changes = [o for o in timeline.offsets if o > 0]
    for change in changes:
        chord = timeline.at(change)
        assert by_onset[change] % 12 == chord.bass_class  # C/E: the bass plays E
        assert 1 <= abs(by_onset[change] - by_onset[change - 1.0]) <= 2
    for note in bass:
        beat = round(note.offset) % 4
        chord = timeline.at(note.offset)
        if beat in (0, 2) and note.offset + 1.0 not in changes:
            assert note.pitch % 12 in chord.pitch_classes
        assert 28 <= note.pitch <= 55
    assert all(b.pitch != a.pitch for a, b in zip(bass, bass[1:], strict=False))


def test_comping_is_rootless_around_middle_c_and_never_holds_a_bar():
    import numpy as np

    timeline = parse_chart(BLUES).timeline(FOUR)
    piano = comping(timeline, FOUR, 48.0, np.random.default_rng(2))
    onsets = sorted({n.offset for n in piano})
    assert len(onsets) >= 20
    for onset in onsets:
        chord_notes = [n for n in piano if n.offset == onset]
        assert all(48 <= n.pitch <= 76 for n in chord_notes)
        assert max(n.duration for n in chord_notes) < 4.0
        chord = timeline.at(onset + 0.5)
        if not (3 in chord.intervals and 6 in chord.intervals):  # diminished: voiced whole
            assert chord.root not in {n.pitch % 12 for n in chord_notes}
        assert {n.pitch % 12 for n in chord_notes} <= chord.pitch_classes | chord.scale_classes
    # Every chord is struck at least once, on its own or pushed half a beat early.
    for offset, _ in timeline.changes:
        assert any(offset - 0.5 <= o < (timeline.next_change(offset) or 48.0) for o in onsets)


def test_voicings_move_as_little_as_they_can():
    g7 = parse_chord_symbol("G7")
    dm7 = rootless_voicing(parse_chord_symbol("Dm7"))
    following = rootless_voicing(g7, dm7)
    assert sum(abs(a - b) for a, b in zip(dm7, following, strict=True)) <= 3
    assert {p % 12 for p in following} == {11, 5, 9, 4}  # B, F, A, E: 3, 7, 9, 13 of G7


def test_the_solo_breathes_with_shaped_velocities(blues):
    arrangement, _ = blues
    solo = arrangement.track(SOLO).notes
    assert len({n.velocity for n in solo}) >= 8
    phrase = [n for n in solo if n.offset < 4.0]
    top = max(phrase, key=lambda n: n.pitch)
    assert top.velocity > sum(n.velocity for n in phrase) / len(phrase)


def test_drums_ride_on_every_beat_with_the_hi_hat_on_two_and_four(blues):
    arrangement, _ = blues
    drums = arrangement.track(DRUMS).notes
    ride_or_crash = {n.offset for n in drums if n.pitch in (51, 49)}
    hat = {n.offset for n in drums if n.pitch == 44}
    # Fills lead into the 9th bar (every eight bars) and into the top of the next chorus: the
    # ride makes way for them in the last two beats of bars 8 and 12.
    filled = {b for bar in (7, 11) for b in (4 * bar + 2, 4 * bar + 3)}
    assert all(float(b) in ride_or_crash for b in range(48) if b not in filled)
    assert hat == {float(b) for b in range(48) if b % 4 in (1, 3)}
    comping = [n for n in drums if n.pitch == 38 and n.offset // 1 not in filled]
    assert 4 <= len(comping) <= 24
    assert all(n.velocity < 70 for n in comping)


def test_the_band_plays_in_any_meter(tmp_path):
    for text, chart in (("5/4", "Ebm7 | Bbm7"), ("6/8", "Dm7 | G7 | C | C"),
                        ("2/2", "F | Gm7 C7")):
        meter = Meter(*(int(x) for x in text.split("/")))
        arrangement, path = render(tmp_path, chart_text=chart, meter=meter, name=text[0])
        parts, score = read_parts(path)
        assert score.flatten().getElementsByClass("TimeSignature")[0].ratioString == text
        bass_onsets = {round(o, 3) for o, _ in parts[BASS]}
        beats = [k * meter.beat_length for k in range(round(arrangement.length
                                                             / meter.beat_length))]
        assert all(round(b, 3) in bass_onsets for b in beats)


def test_the_arrangement_also_reads_as_a_music21_score(blues):
    arrangement, _ = blues
    score = to_score(arrangement)
    assert [p.partName for p in score.parts] == [SOLO, PIANO, BASS, DRUMS]


def test_the_piano_roll_draws_every_part(tmp_path, blues):
    from apps.jazz.band_plot import piano_roll

    arrangement, _ = blues
    path = tmp_path / "roll.png"
    piano_roll(arrangement, path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000
    assert [p.name for p in tmp_path.iterdir()] == ["roll.png"]


def test_markers_spell_signs_in_ascii_and_read_back_as_the_chords_typed(tmp_path):
    from datasets.music import read_score

    text = "EbΔ7 | F#ø7 B7b9 | Em7 A7alt | Dm7:3 G°7:1"
    arrangement, path = render(tmp_path, chart_text=text, name="signs")
    assert [m for _, m in arrangement.markers] == ["Ebmaj7", "F#m7b5", "B7b9", "Em7", "A7alt",
                                                    "Dm7", "Gdim7"]
    raw = path.read_bytes()
    assert b"Ebmaj7" in raw and b"Gdim7" in raw
    assert all(m.isascii() for _, m in read_back(path)["markers"])
    chords = read_score(path).chord_symbols
    assert [c.figure for _, c in chords] == [m for _, m in arrangement.markers]
    assert [o for o, _ in chords] == [0.0, 4.0, 6.0, 8.0, 10.0, 12.0, 15.0]
    assert chords[0][1].root == 3 and chords[4][1].scale.name == "altered"


def test_our_own_swung_output_reads_back_as_the_straight_solo(tmp_path):
    from datasets.music import read_piece

    arrangement, path = render(tmp_path, swing=2.0, name="own")
    piece = read_piece(path)
    assert piece.melody_name == SOLO
    assert piece.swing == pytest.approx(2.0)
    written = [(n.offset, n.pitch) for n in arrangement.track(SOLO).notes]
    read = [(n.offset, n.pitch) for n in piece.melody if not n.is_rest]
    assert read == written
    assert piece.chords.at(14.0).figure == "F7"
