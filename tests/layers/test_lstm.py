"""LSTMCell: the course's equations (with and without peepholes), gradients, Keras' LSTM, memory."""

import keras
import numpy as np
import pytest

from layers import RNN, LSTMCell, reference
from layers.cell import SEPARATE_GATES_FROM
from tests.layers.helpers import (
    FLOAT64_SLACK,
    course_parameters,
    loaded_cell,
    rnn_classes,
    run,
    tape_gradients,
    to_keras,
)

pytestmark = pytest.mark.usefixtures("float64")

N_X, N_A, M, T_X = 3, 4, 2, 5
TOLERANCE = 1e-6 * FLOAT64_SLACK
GATE_GRADIENTS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def peephole_lstm_forward(x, a0, c0, params):
    """The course's LSTM where each gate also sees c⟨t−1⟩ through a vector p, in numpy."""
    a, c = [], []
    a_t, c_t = a0, c0
    for t in range(x.shape[2]):
        concat = np.concatenate([a_t, x[:, :, t]], axis=0)

        def gate(name, c_prev=c_t, concat=concat):
            return reference.sigmoid(
                params[f"W{name}"] @ concat + params[f"p{name}"] * c_prev + params[f"b{name}"]
            )

        gamma_f, gamma_u, gamma_o = gate("f"), gate("i"), gate("o")
        c_t = gamma_u * np.tanh(params["Wc"] @ concat + params["bc"]) + gamma_f * c_t
        a_t = gamma_o * np.tanh(c_t)
        a.append(a_t)
        c.append(c_t)
    return np.stack(a, axis=2), np.stack(c, axis=2)


@pytest.fixture
def x(rng):
    return rng.standard_normal((N_X, M, T_X))


@pytest.fixture
def a0(rng):
    return rng.standard_normal((N_A, M))


@rnn_classes
def test_cell_reproduces_the_reference_forward(x, a0, rng, rnn_class):
    params = course_parameters("lstm", N_X, N_A, rng)
    a, _, c, _ = reference.lstm_forward(x, a0, params)
    # The reference starts from c⟨0⟩ = 0.
    initial_state = [a0.T, np.zeros((M, N_A))]
    a_keras, a_last, c_last = run(
        rnn_class, loaded_cell("lstm", params), to_keras(x), initial_state
    )
    np.testing.assert_allclose(a_keras, to_keras(a), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(a_last, a[:, :, -1].T, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(c_last, c[:, :, -1].T, rtol=0, atol=TOLERANCE)


@rnn_classes
def test_peephole_cell_reproduces_the_course_forward(x, a0, rng, rnn_class):
    params = course_parameters("lstm_peephole", N_X, N_A, rng)
    c0 = rng.standard_normal((N_A, M))
    a, c = peephole_lstm_forward(x, a0, c0, params)
    cell = loaded_cell("lstm_peephole", params)
    a_keras, a_last, c_last = run(rnn_class, cell, to_keras(x), [a0.T, c0.T])
    np.testing.assert_allclose(a_keras, to_keras(a), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(c_last, c[:, :, -1].T, rtol=0, atol=TOLERANCE)


def test_peephole_forward_without_peepholes_is_the_reference(x, a0, rng):
    params = course_parameters("lstm_peephole", N_X, N_A, rng)
    closed = params | {f"p{gate}": np.zeros((N_A, 1)) for gate in "fio"}
    a, _ = peephole_lstm_forward(x, a0, np.zeros((N_A, M)), closed)
    np.testing.assert_allclose(a, reference.lstm_forward(x, a0, params)[0], rtol=0, atol=1e-12)


@rnn_classes
def test_reference_backward_equals_gradient_tape(x, a0, rng, rnn_class):
    params = course_parameters("lstm", N_X, N_A, rng)
    upstream = rng.standard_normal((N_A, M, T_X))
    _, _, _, caches = reference.lstm_forward(x, a0, params)
    expected = reference.lstm_backward(upstream, caches)
    initial_state = [a0.T, np.zeros((M, N_A))]
    got = tape_gradients(
        rnn_class, loaded_cell("lstm", params), to_keras(x), initial_state, to_keras(upstream)
    )
    for name in ("dx", "da0", *GATE_GRADIENTS):
        np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=TOLERANCE, err_msg=name)


def test_peephole_gradient_tape_equals_finite_differences(x, a0, rng):
    params = course_parameters("lstm_peephole", N_X, N_A, rng)
    c0 = rng.standard_normal((N_A, M))
    upstream = rng.standard_normal((N_A, M, T_X))
    cell = loaded_cell("lstm_peephole", params)
    got = tape_gradients(RNN, cell, to_keras(x), [a0.T, c0.T], to_keras(upstream))
    names = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "pf", "pi", "po")
    arrays = {"x": x, "a0": a0, "c0": c0, **{name: params[name] for name in names}}
    errors = reference.gradient_check(
        lambda: np.sum(peephole_lstm_forward(x, a0, c0, params)[0] * upstream), arrays, got
    )
    assert max(errors.values()) < 1e-7 * FLOAT64_SLACK, errors


def keras_lstm_weights(params):
    """Keras' LSTM layout: columns i, f, c, o; [x rows] and [a rows] apart."""
    blocks = [params[f"W{gate}"] for gate in "ifco"]
    kernel = np.concatenate([W[:, N_A:].T for W in blocks], axis=1)
    recurrent = np.concatenate([W[:, :N_A].T for W in blocks], axis=1)
    bias = np.concatenate([params[f"b{gate}"] for gate in "ifco"])[:, 0]
    return [kernel, recurrent, bias]


def test_equals_keras_lstm_with_mapped_weights(x, a0, rng):
    params = course_parameters("lstm", N_X, N_A, rng)
    initial_state = [a0.T, rng.standard_normal((M, N_A))]
    ours = run(RNN, loaded_cell("lstm", params), to_keras(x), initial_state)
    keras_lstm = keras.layers.LSTM(N_A, return_sequences=True, return_state=True)
    keras_lstm.build((None, None, N_X))
    keras_lstm.set_weights(keras_lstm_weights(params))
    theirs = keras_lstm(to_keras(x), initial_state=initial_state)
    for got, expected in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(got, expected, rtol=0, atol=TOLERANCE)


def test_forget_bias_starts_at_one_like_keras_unless_turned_off():
    def biases(**kwargs):
        cell = LSTMCell(3, bias_initializer="zeros", **kwargs)
        cell.build((None, 2))
        return cell.get_course_parameters()

    opened = biases()
    np.testing.assert_array_equal(opened["bf"], np.ones((3, 1)))
    for gate in "ico":
        np.testing.assert_array_equal(opened[f"b{gate}"], np.zeros((3, 1)))
    np.testing.assert_array_equal(biases(unit_forget_bias=False)["bf"], np.zeros((3, 1)))


# --- The course's intuition: Γf ≈ 1 and Γu ≈ 0 carry the memory cell ---------------------


@pytest.mark.parametrize("kind", ["lstm", "lstm_peephole"])
def test_open_forget_and_closed_update_gates_carry_c0_to_the_end(rng, kind):
    x = rng.standard_normal((M, 100, N_X))
    a0, c0 = rng.standard_normal((2, M, N_A))

    def last_memory(bf, bi):
        params = course_parameters(kind, N_X, N_A, rng)
        params |= {"bf": np.full((N_A, 1), bf), "bi": np.full((N_A, 1), bi)}
        return run(RNN, loaded_cell(kind, params), x, [a0, c0])[2]

    np.testing.assert_allclose(last_memory(bf=40.0, bi=-40.0), c0, rtol=0, atol=1e-6)
    assert np.abs(last_memory(bf=0.0, bi=0.0) - c0).max() > 0.1


@rnn_classes
@pytest.mark.parametrize("peephole", [False, True])
def test_a_large_state_multiplies_each_gate_separately_to_the_same_result(rng, rnn_class, peephole):
    n_a, n_x = SEPARATE_GATES_FROM, 5
    kind = "lstm_peephole" if peephole else "lstm"
    params = course_parameters(kind, n_x, n_a, rng)
    no_peepholes = {f"p{gate}": np.zeros((n_a, 1)) for gate in "fio"}
    x = rng.standard_normal((n_x, M, T_X))
    a0, c0 = rng.standard_normal((n_a, M)), rng.standard_normal((n_a, M))
    a, c = peephole_lstm_forward(x, a0, c0, params if peephole else {**params, **no_peepholes})
    a_keras, _, c_last = run(rnn_class, loaded_cell(kind, params), to_keras(x), [a0.T, c0.T])
    np.testing.assert_allclose(a_keras, to_keras(a), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(c_last, c[:, :, -1].T, rtol=0, atol=TOLERANCE)
