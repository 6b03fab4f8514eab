import math

import numpy as np
import pytest

from apps.jazz.set_comparison import (
    FEATURES,
    NOTE_LENGTHS,
    as_piece,
    compare_sets,
    features,
    inter_set_distances,
    intra_set_distances,
    kde,
    kl_divergence,
    overlap_area,
    random_lines,
    random_pitches,
    segments,
)
from datasets.music import ChordTimeline, Meter, Note, parse_chord_symbol
from datasets.music.composer import composed_pieces


@pytest.fixture(scope="module")
def choruses():
    pieces = composed_pieces()
    return pieces[:9], pieces[9:]


def test_kde_is_a_density():
    rng = np.random.default_rng(0)
    samples = rng.normal(3.0, 0.5, 400)
    grid = np.linspace(-2, 8, 2001)
    density = kde(samples, grid)
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-3)
    assert grid[density.argmax()] == pytest.approx(3.0, abs=0.2)


def test_overlap_and_kl_of_equal_and_distant_samples():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, 300), rng.normal(0, 1, 300)
    far = rng.normal(12, 1, 300)
    assert overlap_area(a, b) > 0.9
    assert kl_divergence(a, b) < 0.05
    assert overlap_area(a, far) < 0.01
    assert kl_divergence(a, far) > 5
    assert overlap_area(a, a) == pytest.approx(1.0, abs=1e-3)
    assert kl_divergence(a, a) == pytest.approx(0.0, abs=1e-9)


def test_constant_distances_do_not_break_the_estimate():
    assert overlap_area(np.zeros(5), np.zeros(7)) == pytest.approx(1.0, abs=1e-3)
    assert overlap_area(np.zeros(5), np.full(7, 10.0)) < 0.01


def test_distances_are_pairwise_and_cross():
    vectors = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    assert sorted(intra_set_distances(vectors)) == [5.0, 5.0, 10.0]
    assert sorted(inter_set_distances(vectors[:1], vectors)) == [0.0, 5.0, 10.0]


def test_features_read_the_line_against_its_chords():
    chords = ChordTimeline([(0.0, parse_chord_symbol("F7")), (2.0, parse_chord_symbol("Bb7"))])
    notes = [Note(0.0, 0.5, 65), Note(0.5, 0.5, 69), Note(1.0, 1 / 3, 72),
             Note(4 / 3, 1 / 3, 74), Note(5 / 3, 1 / 3, 75), Note(2.0, 2.0, 74)]
    f = features(as_piece(notes, chords))
    assert set(f) == set(FEATURES)
    # F, A, C over F7 are the root, third, fifth; D over Bb7 its third, Eb over F7 its 7th.
    assert np.flatnonzero(f["pitch_class_histogram"]).tolist() == [0, 4, 7, 9, 10]
    assert f["pitch_class_histogram"][4] == pytest.approx(2 / 6)  # A over F7, D over Bb7
    assert f["inter_onset_interval"][0] == pytest.approx(0.4)
    assert f["pitch_range"][0] == 10
    assert f["stepwise_share"][0] == pytest.approx(3 / 5)
    eighth, triplet = NOTE_LENGTHS.index(0.5), NOTE_LENGTHS.index(1 / 3)
    transitions = f["note_length_transition"].reshape(12, 12)
    assert transitions[eighth, triplet] == pytest.approx(1 / 5)
    assert transitions[triplet, triplet] == pytest.approx(2 / 5)
    assert transitions.sum() == pytest.approx(1.0)


def test_segments_cut_pieces_into_samples_of_whole_bars(choruses):
    chorus = choruses[0][0]  # twelve bars
    samples = segments(chorus, 4)
    assert len(samples) == 3
    for index, sample in enumerate(samples):
        assert all(0 <= n.offset < 16 for n in sample.melody)
        assert sample.chords.at(0.0) == chorus.chords.at(index * 16.0)
    assert segments(chorus, None) == [chorus]


def test_held_out_lines_fit_the_training_set_better_than_random_pitches(choruses):
    training, held_out = choruses
    real = compare_sets(held_out, training)
    baseline = compare_sets(random_pitches(held_out, seed=0), training)
    assert real["samples"] == {"generated": 8, "training": 25, "segment_bars": 4}
    for name in ("pitch_class_histogram", "stepwise_share"):
        assert real["features"][name]["overlap"] > baseline["features"][name]["overlap"] + 0.1
        assert (real["features"][name]["kl_divergence"]
                < baseline["features"][name]["kl_divergence"])
    for name in ("inter_onset_interval", "note_length_transition"):  # same rhythm
        assert real["features"][name] == baseline["features"][name]
    assert all(0 <= real["features"][n]["overlap"] <= 1 for n in FEATURES)


def test_a_set_compared_with_itself_overlaps_almost_whole(choruses):
    training, _ = choruses
    result = compare_sets(training, training)
    for name in FEATURES:
        assert result["features"][name]["overlap"] > 0.85
        assert result["features"][name]["kl_divergence"] < 0.05
    assert result["mean_overlap"] == pytest.approx(
        np.mean([result["features"][n]["overlap"] for n in FEATURES]), abs=1e-4
    )


def test_sets_too_small_to_compare_are_refused():
    chords = ChordTimeline([(0.0, parse_chord_symbol("C"))])
    tiny = as_piece([Note(0.0, 1.0, 60), Note(1.0, 1.0, 62)], chords)
    with pytest.raises(ValueError, match="generated set has 0 samples"):
        compare_sets([tiny], composed_pieces()[:2])


def test_random_pitches_keep_rhythm_and_range(choruses):
    piece = choruses[0][0]
    baseline = random_pitches([piece], seed=3)[0]
    assert [(n.offset, n.duration, n.is_rest) for n in baseline.melody] == [
        (n.offset, n.duration, n.is_rest) for n in piece.melody
    ]
    pitches = [n.pitch for n in piece.melody if not n.is_rest]
    new = [n.pitch for n in baseline.melody if not n.is_rest]
    assert min(pitches) <= min(new) and max(new) <= max(pitches)
    assert new != pitches


def test_the_comparison_is_json_ready_and_repeatable(choruses):
    import json

    training, held_out = choruses
    first = compare_sets(held_out, training, max_samples=10, seed=2)
    assert first == compare_sets(held_out, training, max_samples=10, seed=2)
    assert first["samples"]["training"] == 10
    text = json.dumps(first)
    assert not any(math.isnan(v) for v in json.loads(text)["features"]["pitch_range"].values()
                   if isinstance(v, float))


def test_a_three_four_solo_is_cut_in_three_four_bars():
    meter = Meter(3, 4)
    chords = ChordTimeline([(0.0, parse_chord_symbol("Dm7")), (3.0, parse_chord_symbol("G7"))])
    notes = [Note(k * 0.5, 0.5, 62 + k % 5) for k in range(48)]
    samples = segments(as_piece(notes, chords, meter), 4)
    assert len(samples) == 2
    assert all(len(s.melody) == 24 for s in samples)


def test_random_lines_fill_each_piece_with_random_lengths_and_pitches(choruses):
    training, held_out = choruses
    lines = random_lines(held_out, seed=3, register=(60, 72))
    assert len(lines) == len(held_out)
    for line, piece in zip(lines, held_out, strict=True):
        end = max(n.end for n in piece.melody if not n.is_rest)
        assert line.melody[0].offset == 0.0
        assert line.melody[-1].end == pytest.approx(end)
        assert all(a.end == pytest.approx(b.offset) for a, b in zip(line.melody, line.melody[1:],
                                                                     strict=False))
        assert all(60 <= n.pitch <= 72 for n in line.melody)
        assert line.chords is piece.chords
    assert len({round(n.duration, 3) for line in lines for n in line.melody}) >= 6
    assert random_lines(held_out, seed=3, register=(60, 72))[0].melody == lines[0].melody
    real = compare_sets(held_out, training)
    baseline = compare_sets(lines, training)
    for name in ("inter_onset_interval", "note_length_transition"):
        assert real["features"][name]["overlap"] > baseline["features"][name]["overlap"]
