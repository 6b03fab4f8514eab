"""The course's training windows: Tx values, X one-hot with a zero first step, Y shifted by one.

For a window of values w1..wTx, X = [0, w1, ..., w(Tx-1)] and Y = [w1, ..., wTx]: at each step
the model sees the previous value and predicts the next, and it learns to start from a zero
input, which is how sampling starts. A piece shorter than Tx gives one window padded with zero
rows, whose targets add nothing to the categorical cross-entropy (as the course's last step).
"""

from dataclasses import dataclass

import numpy as np

from datasets.music.grammar import melody_values_and_onsets
from datasets.music.score import Piece
from datasets.music.vocabulary import Vocabulary

N_CHORD_FEATURES = 12  # which pitch classes the chord holds


@dataclass
class Windows:
    """Arrays for one split. `chords` (m, Tx, features) describes the chord under each target
    value (`encode_piece`: its 12 pitch classes)."""

    X: np.ndarray
    Y: np.ndarray
    chords: np.ndarray

    def __len__(self) -> int:
        return len(self.X)


def chord_vector(chord) -> np.ndarray:
    vector = np.zeros(N_CHORD_FEATURES, np.float32)
    vector[sorted(chord.pitch_classes)] = 1.0
    return vector


def encode_piece(piece: Piece) -> tuple[list[str], np.ndarray]:
    """The piece's values and, for each, the chord vector at its onset."""
    values, onsets = melody_values_and_onsets(piece)
    rows = [chord_vector(piece.chords.at(onset)) for onset in onsets]
    return values, np.array(rows, np.float32).reshape(len(values), N_CHORD_FEATURES)


def in_all_keys(pieces: list[Piece]) -> list[Piece]:
    """Each piece transposed by -5..+6 semitones. Values are relative to the chords, so only
    the chord input (and the register) changes: this helps chord-conditioned models."""
    return [piece.transposed(k) if k else piece for piece in pieces for k in range(-5, 7)]


def make_windows(
    sequences: list[list[int]], chords: list[np.ndarray], n_values: int, Tx: int, stride: int = 1
) -> Windows:
    """Every `stride`-th window of Tx values from each encoded sequence; `chords` holds one row
    of conditioning features per value (any width, the same for every sequence)."""
    starts = [
        (s, i)
        for s, sequence in enumerate(sequences)
        for i in range(0, max(1, len(sequence) - Tx + 1), stride)
    ]
    m = len(starts)
    X = np.zeros((m, Tx, n_values), np.float32)
    Y = np.zeros((m, Tx, n_values), np.float32)
    width = chords[0].shape[-1] if chords else N_CHORD_FEATURES
    C = np.zeros((m, Tx, width), np.float32)
    for row, (s, i) in enumerate(starts):
        window = sequences[s][i : i + Tx]
        steps = np.arange(len(window))
        Y[row, steps, window] = 1.0
        X[row, steps[1:], window[:-1]] = 1.0
        C[row, steps] = chords[s][i : i + Tx]
    return Windows(X, Y, C)


def split_windows(
    pieces: list[Piece],
    vocab: Vocabulary,
    Tx: int,
    val_fraction: float = 0.1,
    stride: int = 1,
    encode=encode_piece,
) -> tuple[Windows, Windows | None]:
    """Training windows, and validation windows from the last `val_fraction` of each piece.

    `encode(piece)` gives the values and one row of conditioning features per value
    (`encode_piece`: the chord's pitch classes).

    Pieces too short to spare eight values for validation train whole; when no piece can,
    there is no validation split (None).
    """
    train_seq, train_chords, val_seq, val_chords = [], [], [], []
    for piece in pieces:
        values, chords = encode(piece)
        encoded = vocab.encode(values)
        n_val = int(len(encoded) * val_fraction)
        if n_val >= 8:
            cut = len(encoded) - n_val
            val_seq.append(encoded[cut:])
            val_chords.append(chords[cut:])
            encoded, chords = encoded[:cut], chords[:cut]
        train_seq.append(encoded)
        train_chords.append(chords)
    n_values = len(vocab)
    train = make_windows(train_seq, train_chords, n_values, Tx, stride)
    val = make_windows(val_seq, val_chords, n_values, Tx, stride) if val_seq else None
    return train, val
