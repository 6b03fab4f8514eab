"""The chord conditioning a model hears, and transposition to all keys while training."""

import numpy as np
import pytest
import tensorflow as tf

from apps.common.data import EpochStream
from apps.jazz.conditioning import (
    N_CONDITIONING,
    SIZES,
    Changes,
    conditioning,
    encode_conditioned,
    transpose_roots,
)
from apps.jazz.data import TransposedEpochs, examples, held_out_nll, training_windows
from apps.jazz.model import djmodel
from datasets.music import (
    ChordTimeline,
    Meter,
    Note,
    Piece,
    Vocabulary,
    melody_to_values,
    parse_chord_symbol,
)

_STARTS = np.cumsum([0, *SIZES.values()])
PARTS = {name: slice(a, b) for name, a, b in zip(SIZES, _STARTS[:-1], _STARTS[1:], strict=True)}


def features(timeline, onsets, meter=None):
    meter = meter or Meter(4, 4)
    changes = Changes.of(timeline)
    rows = conditioning(np.asarray(onsets, "float32"), changes.offsets, changes.roots,
                        changes.pitch_classes, changes.basses, meter.bar_length,
                        meter.beat_length).numpy()
    return [{name: row[part] for name, part in PARTS.items()} for row in rows]


def on(vector):
    return np.flatnonzero(vector).tolist()


TWO_FIVE = ChordTimeline([(0.0, parse_chord_symbol("Dm7")), (2.0, parse_chord_symbol("G7/B")),
                          (4.0, parse_chord_symbol("Cmaj7"))])


def test_the_chord_its_quality_bass_and_the_next_chord_relative_to_the_root():
    first, second, last = features(TWO_FIVE, [0.5, 2.0, 5.0])
    assert on(first["root"]) == [2]
    assert on(first["tones"]) == [0, 3, 7, 10]  # a minor seventh chord, whatever its root
    assert on(first["bass"]) == [0]
    assert on(first["next_root"]) == [5]  # D → G: a fourth up
    assert on(first["next_tones"]) == [0, 4, 7, 10]  # G7 (its slash bass B is its third)
    assert on(second["root"]) == [7] and on(second["bass"]) == [4]
    assert on(last["next_root"]) == [0] and last["to_change"][0] == 1.0  # nothing ahead


def test_the_place_in_the_bar_and_the_beats_to_the_next_change():
    rows = features(TWO_FIVE, [0.0, 0.5, 1 + 2 / 3, 3.0])
    assert [on(r["beat"]) for r in rows] == [[0], [0], [1], [3]]
    assert [on(r["beat_phase"]) for r in rows] == [[0], [6], [8], [0]]
    assert [r["to_change"][0] for r in rows] == pytest.approx([2 / 8, 1.5 / 8, 1 / 3 / 8, 1 / 8])


def test_compound_meters_count_dotted_quarter_beats():
    rows = features(TWO_FIVE, [0.0, 1.5, 2.25, 4.5], Meter(6, 8))
    assert [on(r["beat"]) for r in rows] == [[0], [1], [1], [1]]
    assert on(rows[2]["beat_phase"]) == [6]


def piece(semitones=0):
    melody = [Note(i * 0.5, 0.5, 60 + (i * 5) % 12) for i in range(40)]
    chords = ChordTimeline.one_per_bar(
        [parse_chord_symbol(s) for s in ["Dm7", "G7", "Cmaj7", "A7b9", "Dm7"]]
    )
    base = Piece("lines", melody, chords, 4.0)
    return base.transposed(semitones) if semitones else base


def test_a_transposed_piece_moves_only_the_root():
    values, rows = encode_conditioned(piece())
    moved_values, moved_rows = encode_conditioned(piece(3))
    assert rows.shape == (len(values), N_CONDITIONING) and moved_values == values
    np.testing.assert_array_equal(transpose_roots(rows, [3] * len(rows)).numpy(), moved_rows)
    assert not np.array_equal(rows, moved_rows)


def transposed_epochs(seed=0):
    pieces = [piece()]
    vocab = Vocabulary(melody_to_values(pieces[0]))
    windows, _ = training_windows(pieces, vocab, Tx=8, stride=2, chord_input=True)
    stream = TransposedEpochs(examples(windows, 4, True), lambda d: d.batch(4), seed)
    return windows, stream


def batches(stream, epoch):
    return [(inputs["X"].numpy(), inputs["chords"].numpy(), y.numpy())
            for inputs, y, _ in stream.epoch(epoch)]


def test_transposed_epochs_draw_keys_by_seed_and_epoch_and_keep_the_values():
    windows, stream = transposed_epochs()
    first, again, second = batches(stream, 0), batches(stream, 0), batches(stream, 1)
    for one, other in zip(first, again, strict=True):
        np.testing.assert_array_equal(one[1], other[1])
    plain = batches(EpochStream(
        examples(windows, 4, True), lambda d: d.batch(4), 0), 0)
    shifts = set()
    for (x, c, y), (px, pc, py) in zip(first, plain, strict=True):
        np.testing.assert_array_equal(x, px)
        np.testing.assert_array_equal(y, py)
        np.testing.assert_array_equal(c[..., 12:], pc[..., 12:])
        for row, plain_row in zip(c, pc, strict=True):
            shift = (np.argmax(row[0, :12]) - np.argmax(plain_row[0, :12])) % 12
            np.testing.assert_array_equal(transpose_roots(plain_row, [shift]).numpy(), row)
            shifts.add(int(shift))
    assert len(shifts) > 2
    assert any(not np.array_equal(a[1], b[1]) for a, b in zip(first, second, strict=True))


def test_held_out_nll_leaves_out_padding():
    model = djmodel(Tx=5, n_values=8, n_a=3)
    densor = model.get_layer("densor")
    kernel, bias = densor.get_weights()
    densor.set_weights([np.zeros_like(kernel), np.zeros_like(bias)])  # uniform: log 8 a value
    Y = np.zeros((2, 5, 8), "float32")
    Y[0, :5, 1] = 1
    Y[1, :2, 3] = 1  # a short window: three padding steps
    inputs = {"X": np.zeros_like(Y), "a0": np.zeros((2, 3), "float32"),
              "c0": np.zeros((2, 3), "float32")}
    weights = (Y.sum(-1) > 0).astype("float32")
    nll, count = held_out_nll(model, tf.data.Dataset.from_tensors((inputs, Y, weights)))
    assert count == 7 and nll == pytest.approx(np.log(8), rel=1e-5)


def test_reported_accuracy_counts_values_and_leaves_out_padding():
    from apps.jazz.data import examples
    from apps.jazz.model import compile_model
    from datasets.music.dataset import Windows

    model = compile_model(djmodel(Tx=4, n_values=3, n_a=2), 0.01, 0.01)
    densor = model.get_layer("densor")
    kernel, bias = densor.get_weights()
    densor.set_weights([np.zeros_like(kernel), np.array([5.0, 0.0, 0.0], "float32")])
    Y = np.zeros((2, 4, 3), "float32")
    Y[0, :, 0] = 1  # four values the model gets right
    Y[1, :1, 1] = 1  # one it gets wrong, then three padding steps
    windows = Windows(np.zeros_like(Y), Y, np.zeros((2, 4, 1), "float32"))
    result = model.evaluate(examples(windows, 2, False).batch(2), verbose=0, return_dict=True)
    assert result["accuracy"] == pytest.approx(4 / 5)  # not 4/8, not 7/8
