"""layers.RNN against keras.layers.RNN, masking of padded batches, and dropout."""

import keras
import numpy as np
import pytest

from layers import RNN, BasicRNNCell
from layers.cell import SEPARATE_GATES_FROM, SEPARATE_INPUTS_FROM
from layers.recurrent import hoists
from tests.layers.helpers import (
    copy_cell,
    every_cell,
    gradients,
    make_cell,
    n_states,
    randomize,
    rnn_classes,
)

# Inputs wide enough that layers.RNN computes the input projection before the loop
# (layers.recurrent.hoists) while keras.layers.RNN projects step by step.
N_X, N_A, M, T_X = 17, 4, 3, 6
LENGTHS = (6, 2, 4)
TOLERANCE = 1e-6


def built_cell(kind, rng, **kwargs):
    cell = make_cell(kind, N_A, **kwargs)
    cell.build((None, N_X))
    randomize(cell, rng)
    return cell


def assert_all_close(got, expected, atol=TOLERANCE):
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, e, rtol=0, atol=atol)


# --- The hoisted input projection changes nothing ----------------------------------------


@every_cell
@pytest.mark.parametrize("go_backwards", [False, True], ids=["forward", "backwards"])
@pytest.mark.parametrize("masked", [False, True], ids=["unmasked", "masked"])
def test_layers_rnn_equals_keras_rnn_for_the_same_weights(rng, kind, go_backwards, masked):
    cell = built_cell(kind, rng)
    x = rng.standard_normal((M, T_X, N_X))
    initial_state = list(rng.standard_normal((n_states(kind), M, N_A)))
    mask = np.arange(T_X) < np.array(LENGTHS)[:, None] if masked else None
    outputs = [
        rnn_class(cell, return_sequences=True, return_state=True, go_backwards=go_backwards)(
            x, initial_state=initial_state, mask=mask
        )
        for rnn_class in (RNN, keras.layers.RNN)
    ]
    assert_all_close(*outputs)


@every_cell
@pytest.mark.parametrize("projected", [False, True], ids=["stepwise", "projected"])
@pytest.mark.parametrize("n_a", [SEPARATE_GATES_FROM, SEPARATE_INPUTS_FROM])
def test_a_large_state_loops_gate_by_gate_to_the_same_outputs(rng, kind, projected, n_a):
    # From SEPARATE_GATES_FROM units up, layers.RNN multiplies a⟨t−1⟩ by each gate's matrix
    # apart, and from SEPARATE_INPUTS_FROM x⟨t⟩ too; keras.layers.RNN calls the cell, which
    # always does both. Inputs as wide as all the gates' input halves are projected before the
    # loop.
    cell = make_cell(kind, n_a)
    n_x = len(cell.GATES) * n_a if projected else 5
    assert hoists(cell, n_x) is projected
    cell.build((None, n_x))
    randomize(cell, rng, scale=0.1)
    assert isinstance(cell.loop_weights(projected)[1], tuple)  # one recurrent matrix per gate
    x = rng.standard_normal((M, 3, n_x))
    mask = np.arange(3) < np.array([3, 1, 2])[:, None]
    outputs = [
        rnn_class(cell, return_sequences=True, return_state=True)(x, mask=mask)
        for rnn_class in (RNN, keras.layers.RNN)
    ]
    assert_all_close(*outputs, atol=1e-5)


@every_cell
def test_last_output_and_unrolled_loop_agree_with_the_sequence(rng, kind):
    cell = built_cell(kind, rng)
    x = rng.standard_normal((M, T_X, N_X))
    sequence = RNN(cell, return_sequences=True)(x)
    np.testing.assert_allclose(RNN(cell)(x), sequence[:, -1], rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(
        RNN(cell, return_sequences=True, unroll=True)(x), sequence, atol=1e-6
    )


# --- Masking: right padding is invisible -------------------------------------------------


def padded_batch(rng):
    """Sequences of LENGTHS, right-padded with values a model must not see, and their mask."""
    sequences = [rng.standard_normal((length, N_X)) for length in LENGTHS]
    x = 100.0 * rng.standard_normal((M, T_X, N_X))
    for i, sequence in enumerate(sequences):
        x[i, : len(sequence)] = sequence
    return sequences, x, np.arange(T_X) < np.array(LENGTHS)[:, None]


def recurrent_layer(rnn_class, cell, bidirectional):
    rnn = rnn_class(cell, return_sequences=True, return_state=True)
    return keras.layers.Bidirectional(rnn) if bidirectional else rnn


@every_cell
@rnn_classes
@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
def test_padded_masked_batch_equals_the_unpadded_sequences(rng, kind, rnn_class, bidirectional):
    layer = recurrent_layer(rnn_class, make_cell(kind, N_A), bidirectional)
    sequences, x, mask = padded_batch(rng)
    layer(x[:1])
    randomize(layer, rng)
    padded, *padded_states = layer(x, mask=mask)
    for i, sequence in enumerate(sequences):
        alone, *states = layer(sequence[None])
        np.testing.assert_allclose(padded[i, : len(sequence)], alone[0], rtol=0, atol=TOLERANCE)
        assert_all_close([s[i] for s in padded_states], [s[0] for s in states])


@pytest.mark.parametrize("kind", ["rnn", "lstm"])
def test_masking_and_embedding_layers_mask_the_padding_in_a_model(rng, kind):
    tokens = keras.Input((None,), dtype="int32")
    a = keras.layers.Embedding(7, N_X, mask_zero=True)(tokens)
    a = keras.layers.Bidirectional(RNN(make_cell(kind, N_A), return_sequences=True))(a)
    from_tokens = keras.Model(tokens, keras.layers.Dense(2)(a))
    sequence = np.array([[3, 1, 4, 1, 5]])
    padded = np.array([[3, 1, 4, 1, 5, 0, 0]])
    np.testing.assert_allclose(
        from_tokens(padded)[:, :5], from_tokens(sequence), rtol=0, atol=TOLERANCE
    )

    x = keras.Input((None, N_X))
    a = keras.layers.Masking(0.0)(x)
    from_vectors = keras.Model(x, RNN(make_cell(kind, N_A), return_sequences=True)(a))
    vectors = rng.standard_normal((1, 5, N_X))
    padded = np.concatenate([vectors, np.zeros((1, 2, N_X))], axis=1)
    np.testing.assert_allclose(
        from_vectors(padded)[:, :5], from_vectors(vectors), rtol=0, atol=TOLERANCE
    )


# --- Dropout ------------------------------------------------------------------------------

DROPOUT = {"dropout": 0.5, "recurrent_dropout": 0.5}


@every_cell
def test_dropout_acts_in_training_only(rng, kind):
    with_dropout = built_cell(kind, rng, **DROPOUT)
    without = copy_cell(with_dropout, dropout=0.0, recurrent_dropout=0.0)
    x = rng.standard_normal((M, T_X, N_X))
    inference = RNN(with_dropout, return_sequences=True)(x, training=False)
    np.testing.assert_array_equal(inference, RNN(without, return_sequences=True)(x))
    training = RNN(with_dropout, return_sequences=True)(x, training=True)
    assert np.abs(training - inference).max() > 1e-3


@every_cell
def test_training_with_dropout_matches_keras_rnn_for_the_same_seed(rng, kind):
    cell = built_cell(kind, rng, seed=3, **DROPOUT)
    x = rng.standard_normal((M, T_X, N_X))
    outputs = [
        rnn_class(copy_cell(cell), return_sequences=True, return_state=True)(x, training=True)
        for rnn_class in (RNN, keras.layers.RNN)
    ]
    assert_all_close(*outputs)


def step_masks(rnn_class, dropout, recurrent_dropout):
    """The dropout masks a ReLU RNN applied at each step, read back from its outputs.

    With x⟨t⟩ = 1, an identity kernel, zero bias and zero recurrent weights, a⟨t⟩ is the input
    mask itself. With zero kernel, bias 1 and an identity recurrent matrix,
    a⟨t⟩ = 1 + m ∗ a⟨t−1⟩, so the recurrent mask is m = (a⟨t⟩ − 1) / a⟨t−1⟩.
    """
    cell = BasicRNNCell(
        N_A, activation="relu", dropout=dropout, recurrent_dropout=recurrent_dropout, seed=1
    )
    cell.build((None, N_A))
    if dropout:
        cell.set_course_parameters(
            {"Wax": np.eye(N_A), "Waa": np.zeros((N_A, N_A)), "ba": np.zeros((N_A, 1))}
        )
    else:
        cell.set_course_parameters(
            {"Wax": np.zeros((N_A, N_A)), "Waa": np.eye(N_A), "ba": np.ones((N_A, 1))}
        )
    a = rnn_class(cell, return_sequences=True)(np.ones((8, T_X, N_A)), training=True)
    a = keras.ops.convert_to_numpy(a)
    return a if dropout else (a[:, 1:] - 1) / a[:, :-1]


@rnn_classes
@pytest.mark.parametrize("which", ["dropout", "recurrent_dropout"])
def test_one_dropout_mask_serves_every_step(rnn_class, which):
    masks = step_masks(rnn_class, **({"dropout": 0.0, "recurrent_dropout": 0.0} | {which: 0.5}))
    np.testing.assert_allclose(masks, np.repeat(masks[:, :1], masks.shape[1], axis=1), atol=1e-6)
    assert set(np.unique(np.round(masks, 6))) == {0.0, 2.0}


@every_cell
def test_gradients_with_dropout_are_finite_and_reach_every_weight(rng, kind):
    rnn = RNN(built_cell(kind, rng, **DROPOUT), return_sequences=True)
    x = rng.standard_normal((M, T_X, N_X)).astype("float32")
    rnn(x)

    def loss(x):
        return keras.ops.sum(keras.ops.square(rnn(x, training=True)))

    _, (_, *grads) = gradients(loss, [x], rnn.trainable_weights)
    assert all(np.isfinite(g).all() and np.abs(g).max() > 0 for g in grads)


def test_a_compiled_model_with_dropout_trains(rng):
    x = keras.Input((None, N_X))
    a = RNN(make_cell("lstm_peephole", N_A, seed=0, **DROPOUT))(x)
    model = keras.Model(x, keras.layers.Dense(1)(a))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", jit_compile=False)
    before = [w.numpy() for w in model.trainable_weights]
    history = model.fit(
        rng.standard_normal((16, T_X, N_X)),
        rng.standard_normal((16, 1)),
        batch_size=8,
        epochs=2,
        verbose=0,
    )
    assert np.isfinite(history.history["loss"]).all()
    for w, b in zip(model.trainable_weights, before, strict=True):
        assert not np.array_equal(w.numpy(), b), w.path


@pytest.mark.parametrize(
    ("kind", "n_x", "expected"),
    [("lstm", 16, True), ("lstm", 15, False), ("gru", 12, True), ("rnn", 3, False)],
)
def test_the_projection_is_hoisted_only_when_no_wider_than_the_input(kind, n_x, expected):
    assert hoists(make_cell(kind, N_A), n_x) is expected
