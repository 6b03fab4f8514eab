import numpy as np

from datasets.music import (
    ChordTimeline,
    Note,
    Piece,
    Vocabulary,
    encode_piece,
    in_all_keys,
    melody_to_values,
    melody_values_and_onsets,
    parse_chord_symbol,
    split_windows,
)
from datasets.music.dataset import make_windows


def scale_piece(n_notes: int) -> Piece:
    pitches = [60, 62, 64, 65, 67, 69, 71, 72]
    melody = [Note(i * 0.5, 0.5, pitches[i % 8] + (i // 8) % 3) for i in range(n_notes)]
    chords = ChordTimeline.one_per_bar([parse_chord_symbol(s) for s in ["C", "G7", "Am7", "F"]])
    return Piece("scale", melody, chords, 4.0)


def test_windows_start_from_a_zero_step_and_y_is_x_shifted():
    sequence = [3, 1, 4, 1, 5, 9, 2, 6]
    chords = np.zeros((len(sequence), 12), np.float32)
    windows = make_windows([sequence], [chords], n_values=10, Tx=5)
    assert windows.X.shape == (4, 5, 10)
    assert not windows.X[:, 0].any()
    np.testing.assert_array_equal(windows.X[:, 1:], windows.Y[:, :-1])
    assert (windows.Y.sum(axis=-1) == 1).all()
    assert windows.Y[1].argmax(axis=-1).tolist() == sequence[1:6]


def test_a_sequence_shorter_than_tx_is_padded_with_zero_rows():
    windows = make_windows([[2, 0, 1]], [np.ones((3, 12), np.float32)], n_values=3, Tx=6)
    assert len(windows) == 1
    assert windows.Y[0].sum(axis=-1).tolist() == [1, 1, 1, 0, 0, 0]
    assert windows.chords[0].sum(axis=-1).tolist() == [12, 12, 12, 0, 0, 0]


def test_chord_rows_hold_the_chord_under_each_value():
    piece = scale_piece(16)
    values, chords = encode_piece(piece)
    assert len(values) == len(chords) == 16
    assert np.flatnonzero(chords[0]).tolist() == [0, 4, 7]  # C
    assert np.flatnonzero(chords[8]).tolist() == [2, 5, 7, 11]  # G7 from bar 2


def test_split_holds_out_the_end_of_long_pieces_for_validation():
    piece = scale_piece(200)
    vocab = Vocabulary(melody_to_values(piece))
    train, val = split_windows([piece], vocab, Tx=30)
    assert len(train) == 180 - 30 + 1
    assert len(val) == 1


def test_transposing_to_all_keys_keeps_values_and_moves_the_chords():
    piece = scale_piece(24)
    keys = in_all_keys([piece])
    assert len(keys) == 12
    for moved in keys:
        assert melody_to_values(moved) == melody_to_values(piece)
    roots = sorted(p.chords.at(0).root for p in keys)
    assert roots == list(range(12))


def test_onsets_skip_the_bars_of_a_dropped_rest():
    melody = [Note(0.0, 4.0, 60), Note(4.0, 4.0), Note(8.0, 4.0), Note(12.0, 4.0, 67)]
    chords = ChordTimeline.one_per_bar([parse_chord_symbol(s) for s in ["C", "F", "F", "G7"]])
    piece = Piece("tacet", melody, chords, 4.0)
    values, onsets = melody_values_and_onsets(piece)
    assert values == melody_to_values(piece) and len(values) == 3
    assert onsets == [0.0, 4.0, 12.0]
    _, rows = encode_piece(piece)
    assert np.flatnonzero(rows[2]).tolist() == [2, 5, 7, 11]  # G7 under the last note


def test_split_takes_any_encoding_width():
    piece = scale_piece(200)
    vocab = Vocabulary(melody_to_values(piece))

    def encode(p):
        values = melody_to_values(p)
        return values, np.ones((len(values), 5), np.float32)

    train, val = split_windows([piece], vocab, Tx=30, encode=encode)
    assert train.chords.shape == (len(train), 30, 5) and val.chords.shape[-1] == 5
