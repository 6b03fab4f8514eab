import pytest

from datasets.music import read_piece
from datasets.music.rhythm import (
    FINEST,
    detect_swing,
    snap,
    straighten,
    swing_notes,
    swing_time,
)
from datasets.music.score import Note
from tests.datasets.music_files import midi_bytes


def swung_eighths(n_beats: int, ratio: float, pitch: int = 60) -> list[Note]:
    long = ratio / (ratio + 1)
    notes = []
    for beat in range(n_beats):
        notes.append(Note(beat, long, pitch + beat % 5))
        notes.append(Note(beat + long, 1 - long, pitch + 2 + beat % 5))
    return notes


@pytest.mark.parametrize(
    ("time", "grid"),
    [(0.26, 0.25), (0.34, 1 / 3), (0.49, 0.5), (0.70, 2 / 3), (0.74, 0.75), (1.97, 2.0)],
)
def test_snap_keeps_sixteenths_and_eighth_triplets(time, grid):
    assert snap(time) == pytest.approx(grid)


@pytest.mark.parametrize(("ratio", "offbeat"), [(1.0, 0.5), (2.0, 2 / 3), (3.0, 0.75)])
def test_swing_moves_the_offbeat_eighth_to_r_over_r_plus_one(ratio, offbeat):
    assert swing_time(4.5, ratio) == pytest.approx(4 + offbeat)
    assert swing_time(4.0, ratio) == 4.0
    assert swing_time(2.0 + 0.5, ratio, beat=2.0) == pytest.approx(2.0 + 2 * offbeat / 2)


def test_swinging_leaves_triplet_beats_as_they_are_and_keeps_order():
    notes = [Note(0.0, 0.5, 60), Note(0.5, 0.5, 62)]  # straight eighths: swung
    notes += [Note(1 + k / 3, 1 / 3, 64 + k) for k in range(3)]  # a triplet: left alone
    swung = swing_notes(notes, 2.0)
    assert swung[1].offset == pytest.approx(2 / 3)
    assert swung[0].duration == pytest.approx(2 / 3)
    assert [n.offset for n in swung[2:]] == pytest.approx([1, 4 / 3, 5 / 3])
    assert all(n.duration > 0 for n in swung)
    assert swing_notes(notes, 1.0) == notes


@pytest.mark.parametrize("ratio", [1.5, 2.0, 2.5])
def test_swing_is_detected_and_straightened_back(ratio):
    line = swung_eighths(8, ratio)
    assert detect_swing(line) == pytest.approx(ratio, rel=0.02)
    straight = straighten(line, detect_swing(line))
    assert [n.offset for n in straight] == pytest.approx([k * 0.5 for k in range(16)])
    assert all(n.duration == pytest.approx(0.5) for n in straight)


def test_straight_eighths_and_triplets_are_not_taken_for_swing():
    straight = [Note(k * 0.5, 0.5, 60) for k in range(16)]
    triplets = [Note(k / 3, 1 / 3, 60) for k in range(24)]
    assert detect_swing(straight) == 1.0
    assert detect_swing(triplets) == 1.0
    assert straighten(triplets, 2.0) == triplets  # three onsets a beat: not a swung pair


def test_a_swung_midi_performance_reads_as_straight_eighths(tmp_path):
    line = [(0, n.pitch, n.offset, n.end) for n in swung_eighths(16, 2.0, pitch=67)]
    path = tmp_path / "swung.mid"
    path.write_bytes(midi_bytes([line]))
    piece = read_piece(path)
    assert piece.swing == pytest.approx(2.0)
    assert {n.duration for n in piece.melody} == {0.5}


def test_triplets_survive_reading(tmp_path):
    line = [(0, 67 + k % 3, k / 3, (k + 1) / 3) for k in range(12)]
    line += [(0, 72, 4.0, 4.5), (0, 74, 4.5, 5.0)]
    path = tmp_path / "triplets.mid"
    path.write_bytes(midi_bytes([line]))
    piece = read_piece(path)
    onsets = [n.offset for n in piece.melody if not n.is_rest]
    assert onsets[:4] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert piece.melody[0].duration == pytest.approx(1 / 3)
    assert piece.swing == 1.0


def test_an_abc_line_written_in_swung_triplets_is_read_straight(tmp_path):
    bar = "(3:2:2c2B (3:2:2A2G (3:2:2F2E (3:2:2D2C"
    path = tmp_path / "swing.abc"
    path.write_text(f"X:1\nT:s\nM:4/4\nL:1/8\nK:C\n\"C7\" {bar} | \"F7\" {bar} |]\n")
    piece = read_piece(path)
    assert piece.swing == pytest.approx(2.0)
    assert [n.duration for n in piece.melody[:8]] == pytest.approx([0.5] * 8)


def test_durations_shorter_than_the_grid_step_do_not_appear():
    line = [(0, 60, 0.0, 0.02), (0, 62, 0.5, 1.0), (0, 64, 1.0, 2.0)]
    from datasets.music.melody import monophonic_line

    notes = monophonic_line([Note(s, e - s, p) for _, p, s, e in line], 0.0, 4.0)
    assert all(n.duration >= FINEST - 1e-9 for n in notes)


def test_swing_keeps_double_time_runs_even_and_squeezes_two_sixteenths_after_the_and():
    notes = [Note(0.0, 0.5, 60), Note(0.5, 0.5, 62)]  # eighths: swung
    notes += [Note(1 + k / 4, 0.25, 64 + k) for k in range(4)]  # a double-time run: even
    notes += [Note(2.0, 0.5, 67), Note(2.5, 0.25, 65), Note(2.75, 0.25, 64)]  # 8th + two 16ths
    swung = swing_notes(notes, 2.0)
    assert swung[1].offset == pytest.approx(2 / 3)
    assert [n.offset for n in swung[2:6]] == [1.0, 1.25, 1.5, 1.75]
    assert [n.offset for n in swung[6:]] == pytest.approx([2.0, 2 / 3 + 2, 5 / 6 + 2])
    back = straighten(swung, 2.0)
    assert [n.pitch for n in back] == [n.pitch for n in notes]
    assert [n.offset for n in back] == pytest.approx([n.offset for n in notes])
    assert [n.duration for n in back] == pytest.approx([n.duration for n in notes])
