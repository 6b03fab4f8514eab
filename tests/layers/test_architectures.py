"""The course's architectures: bidirectional RNNs, deep RNNs and stacked cells."""

import keras
import numpy as np
import pytest

from layers import RNN, BasicRNNCell, GRUCell, LSTMCell, SimpleGRUCell, bidirectional, deep_rnn
from tests.layers.helpers import (
    copy_cell,
    every_cell,
    make_cell,
    randomize,
    rnn_classes,
)

N_X, N_A, M, T_X = 3, 4, 2, 5
TOLERANCE = 1e-6


@every_cell
def test_bidirectional_concatenates_a_forward_and_a_backward_pass(rng, kind):
    layer = bidirectional(make_cell(kind, N_A))
    x = rng.standard_normal((M, T_X, N_X)).astype("float32")
    layer(x)
    randomize(layer, rng)
    both = keras.ops.convert_to_numpy(layer(x))
    assert both.shape == (M, T_X, 2 * N_A)
    forward_cell = copy_cell(layer.forward_layer.cell)
    backward_cell = copy_cell(layer.backward_layer.cell)
    forward = RNN(forward_cell, return_sequences=True)(x)
    backward = RNN(backward_cell, return_sequences=True)(x[:, ::-1])[:, ::-1]
    np.testing.assert_allclose(both[..., :N_A], forward, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(both[..., N_A:], backward, rtol=0, atol=TOLERANCE)


def test_bidirectional_gives_each_direction_its_own_copy_of_the_cell(rng):
    cell = LSTMCell(N_A)
    layer = bidirectional(cell, merge_mode="sum", return_sequences=False)
    assert layer(rng.standard_normal((M, T_X, N_X))).shape == (M, N_A)
    forward, backward = layer.forward_layer.cell, layer.backward_layer.cell
    assert cell is not forward and not cell.built
    # One kernel, recurrent kernel and bias per gate, in each direction.
    assert len(layer.trainable_weights) == 2 * len(forward.trainable_weights) == 2 * 3 * 4
    assert {id(w) for w in forward.weights}.isdisjoint(id(w) for w in backward.weights)


@every_cell
def test_deep_rnn_stacks_fresh_mixed_direction_layers_under_a_head(kind):
    x = keras.Input((None, N_X))
    y = deep_rnn(
        x,
        make_cell(kind, N_A),
        num_layers=3,
        bidirectional=[True, False, True],
        head=5,
        head_activation="softmax",
        name="deep",
    )
    model = keras.Model(x, y)
    assert tuple(y.shape) == (None, None, 5)
    assert [type(layer).__name__ for layer in model.layers[1:]] == [
        "Bidirectional",
        "RNN",
        "Bidirectional",
        "Dense",
    ]
    # Layer 2 reads the concatenated 2·n_a of layer 1; layer 3 reads the n_a of layer 2.
    first_gate = make_cell(kind, N_A).GATES[0]
    kernels = [w for w in model.weights if w.name == f"kernel_{first_gate}"]
    assert [k.shape[0] for k in kernels[:5]] == [N_X, N_X, 2 * N_A, N_A, N_A]
    assert len({id(w) for w in model.weights}) == len(model.weights)
    probabilities = model(np.ones((M, T_X, N_X)))
    assert probabilities.shape == (M, T_X, 5)
    np.testing.assert_allclose(np.sum(probabilities, axis=-1), 1.0, rtol=1e-5)


def test_deep_rnn_can_end_on_its_last_step_without_a_head():
    x = keras.Input((None, N_X))
    assert tuple(deep_rnn(x, GRUCell(N_A), return_sequences=False).shape) == (None, N_A)
    y = deep_rnn(x, GRUCell(N_A), num_layers=1, bidirectional=True, return_sequences=False)
    assert tuple(y.shape) == (None, 2 * N_A)


def test_deep_rnn_refuses_inconsistent_depths():
    x = keras.Input((None, N_X))
    with pytest.raises(ValueError, match="num_layers"):
        deep_rnn(x, GRUCell(N_A), num_layers=0)
    with pytest.raises(ValueError, match="bidirectional"):
        deep_rnn(x, GRUCell(N_A), num_layers=3, bidirectional=[True, False])


@rnn_classes
def test_stacked_cells_equal_the_same_cells_layer_by_layer(rng, rnn_class):
    cells = [BasicRNNCell(5), SimpleGRUCell(3), GRUCell(4), LSTMCell(2, peephole=True)]
    stacked = rnn_class(cells, return_sequences=True, return_state=True)
    x = rng.standard_normal((M, T_X, N_X)).astype("float32")
    stacked(x)
    randomize(stacked, rng)
    a, *states = stacked(x)
    states = keras.tree.flatten(states)
    expected_states = []
    for cell in cells:
        x, *cell_states = RNN(copy_cell(cell), return_sequences=True, return_state=True)(x)
        expected_states += cell_states
    np.testing.assert_allclose(a, x, rtol=0, atol=TOLERANCE)
    assert len(states) == len(expected_states) == 5
    for got, expected in zip(states, expected_states, strict=True):
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE)
