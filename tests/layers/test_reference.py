"""The numpy reference: course shapes, hand-checkable forwards, gradients vs finite differences."""

import math

import numpy as np
import pytest

from layers import reference

N_X, N_A, N_Y, M, T_X = 3, 4, 2, 2, 5
TOLERANCE = 1e-7


def rnn_parameters(rng, n_x=N_X, n_a=N_A, n_y=N_Y):
    return {
        "Wax": rng.standard_normal((n_a, n_x)),
        "Waa": rng.standard_normal((n_a, n_a)),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }


def gated_parameters(rng, gates, n_x=N_X, n_a=N_A, n_y=N_Y):
    parameters = {"Wy": rng.standard_normal((n_y, n_a)), "by": rng.standard_normal((n_y, 1))}
    for gate in gates:
        parameters["W" + gate] = rng.standard_normal((n_a, n_a + n_x))
        parameters["b" + gate] = rng.standard_normal((n_a, 1))
    return parameters


def lstm_parameters(rng, **sizes):
    return gated_parameters(rng, "fico", **sizes)


def gru_parameters(rng, **sizes):
    return gated_parameters(rng, "urc", **sizes)


def zero_parameters(parameters):
    return {name: np.zeros_like(value) for name, value in parameters.items()}


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# --- shapes and return values -------------------------------------------------------------


def test_rnn_cell_forward_returns_course_shapes_and_cache(rng):
    xt, a_prev = rng.standard_normal((N_X, M)), rng.standard_normal((N_A, M))
    parameters = rnn_parameters(rng)
    a_next, yt_pred, cache = reference.rnn_cell_forward(xt, a_prev, parameters)
    assert a_next.shape == (N_A, M)
    assert yt_pred.shape == (N_Y, M)
    assert len(cache) == 4 and cache[0] is a_next and cache[1] is a_prev and cache[2] is xt
    assert cache[3] is parameters


def test_lstm_cell_forward_returns_course_shapes_and_cache(rng):
    xt = rng.standard_normal((N_X, M))
    a_prev, c_prev = rng.standard_normal((2, N_A, M))
    parameters = lstm_parameters(rng)
    a_next, c_next, yt_pred, cache = reference.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    assert a_next.shape == c_next.shape == (N_A, M)
    assert yt_pred.shape == (N_Y, M)
    assert len(cache) == 10
    assert all(part.shape == (N_A, M) for part in cache[:8])
    assert cache[8] is xt and cache[9] is parameters


def test_gru_cell_forward_returns_course_shapes_and_cache(rng):
    xt, a_prev = rng.standard_normal((N_X, M)), rng.standard_normal((N_A, M))
    parameters = gru_parameters(rng)
    a_next, yt_pred, cache = reference.gru_cell_forward(xt, a_prev, parameters)
    assert a_next.shape == (N_A, M)
    assert yt_pred.shape == (N_Y, M)
    assert len(cache) == 7
    assert all(part.shape == (N_A, M) for part in cache[:5])
    assert cache[5] is xt and cache[6] is parameters


@pytest.mark.parametrize(
    ("forward", "make_parameters"),
    [
        (reference.rnn_forward, rnn_parameters),
        (reference.lstm_forward, lstm_parameters),
        (reference.gru_forward, gru_parameters),
    ],
)
def test_sequence_forward_returns_course_shapes_and_caches(rng, forward, make_parameters):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    *outputs, (step_caches, cached_x) = forward(x, a0, make_parameters(rng))
    a, y = outputs[0], outputs[1]
    assert a.shape == (N_A, M, T_X)
    assert y.shape == (N_Y, M, T_X)
    if forward is reference.lstm_forward:
        assert outputs[2].shape == (N_A, M, T_X)
    assert len(step_caches) == T_X
    assert cached_x is x


@pytest.mark.parametrize(
    ("forward", "backward", "make_parameters", "parameter_gradients"),
    [
        (
            reference.rnn_forward,
            reference.rnn_backward,
            rnn_parameters,
            {"dWax": (N_A, N_X), "dWaa": (N_A, N_A), "dba": (N_A, 1)},
        ),
        (
            reference.lstm_forward,
            reference.lstm_backward,
            lstm_parameters,
            {
                name: (N_A, N_A + N_X) if name.startswith("dW") else (N_A, 1)
                for name in ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
            },
        ),
        (
            reference.gru_forward,
            reference.gru_backward,
            gru_parameters,
            {
                name: (N_A, N_A + N_X) if name.startswith("dW") else (N_A, 1)
                for name in ("dWu", "dbu", "dWr", "dbr", "dWc", "dbc")
            },
        ),
    ],
)
def test_sequence_backward_returns_exactly_the_course_gradients(
    rng, forward, backward, make_parameters, parameter_gradients
):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    caches = forward(x, a0, make_parameters(rng))[-1]
    gradients = backward(rng.standard_normal((N_A, M, T_X)), caches)
    expected = {"dx": (N_X, M, T_X), "da0": (N_A, M), **parameter_gradients}
    assert {name: value.shape for name, value in gradients.items()} == expected


def test_cell_backward_passes_return_exactly_the_course_gradients(rng):
    xt, a_prev, c_prev, da_next, dc_next = (
        rng.standard_normal((N_X, M)),
        *rng.standard_normal((4, N_A, M)),
    )
    stacked = (N_A, N_A + N_X)
    rnn_cache = reference.rnn_cell_forward(xt, a_prev, rnn_parameters(rng))[-1]
    lstm_cache = reference.lstm_cell_forward(xt, a_prev, c_prev, lstm_parameters(rng))[-1]
    gru_cache = reference.gru_cell_forward(xt, a_prev, gru_parameters(rng))[-1]

    def shapes(gradients):
        return {name: value.shape for name, value in gradients.items()}

    steps = {"dxt": (N_X, M), "da_prev": (N_A, M)}
    assert shapes(reference.rnn_cell_backward(da_next, rnn_cache)) == {
        **steps,
        "dWax": (N_A, N_X),
        "dWaa": (N_A, N_A),
        "dba": (N_A, 1),
    }
    lstm_weights = {
        f"d{kind}{gate}": stacked if kind == "W" else (N_A, 1) for gate in "fico" for kind in "Wb"
    }
    assert shapes(reference.lstm_cell_backward(da_next, dc_next, lstm_cache)) == {
        **steps,
        "dc_prev": (N_A, M),
        **lstm_weights,
    }
    gru_weights = {
        f"d{kind}{gate}": stacked if kind == "W" else (N_A, 1) for gate in "urc" for kind in "Wb"
    }
    assert shapes(reference.gru_cell_backward(da_next, gru_cache)) == {**steps, **gru_weights}


# --- forward values -----------------------------------------------------------------------


def test_softmax_columns_sum_to_one_even_for_huge_logits():
    z = np.array([[1000.0, -1000.0], [999.0, -1001.0], [0.0, 5.0]])
    p = reference.softmax(z)
    np.testing.assert_allclose(p.sum(axis=0), [1.0, 1.0])
    expected_first = np.exp([0.0, -1.0, -1000.0]) / np.exp([0.0, -1.0, -1000.0]).sum()
    np.testing.assert_allclose(p[:, 0], expected_first)
    assert np.all(np.isfinite(p))


def test_sigmoid_matches_its_definition_and_saturates_without_overflow():
    z = np.linspace(-20.0, 20.0, 41)
    np.testing.assert_allclose(reference.sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-12)
    with np.errstate(over="raise"):
        np.testing.assert_allclose(reference.sigmoid(np.array([-1e4, 1e4])), [0.0, 1.0])


def test_scalar_rnn_matches_the_equations_by_hand():
    w_ax, w_aa, b_a, w_ya, b_y = 0.5, -0.8, 0.1, 2.0, -1.0
    parameters = {
        "Wax": np.array([[w_ax]]),
        "Waa": np.array([[w_aa]]),
        "ba": np.array([[b_a]]),
        "Wya": np.array([[w_ya], [0.0]]),
        "by": np.array([[b_y], [0.0]]),
    }
    x = np.array([[[1.0, -2.0, 0.5]]])
    a, y_pred, _ = reference.rnn_forward(x, np.array([[0.3]]), parameters)
    a_prev = 0.3
    for t, xt in enumerate([1.0, -2.0, 0.5]):
        a_prev = math.tanh(w_ax * xt + w_aa * a_prev + b_a)
        logit = w_ya * a_prev + b_y
        assert a[0, 0, t] == pytest.approx(a_prev, abs=1e-12)
        assert y_pred[0, 0, t] == pytest.approx(1.0 / (1.0 + math.exp(-logit)), abs=1e-12)


def test_rnn_with_zero_weights_outputs_zero_states_and_uniform_predictions(rng):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    a, y_pred, _ = reference.rnn_forward(x, a0, zero_parameters(rnn_parameters(rng)))
    np.testing.assert_array_equal(a, 0.0)
    np.testing.assert_allclose(y_pred, 1.0 / N_Y)


@pytest.mark.parametrize(
    ("forward", "make_parameters"),
    [(reference.lstm_forward, lstm_parameters), (reference.gru_forward, gru_parameters)],
)
def test_gated_cells_with_zero_weights_fill_memory_at_half_rate(rng, forward, make_parameters):
    # With every W = 0 and b = 0 except bc, each gate is σ(0) = 1/2 and c̃ = tanh(bc), so
    # c⟨t⟩ = ½ c⟨t−1⟩ + ½ tanh(bc) from c⟨0⟩ = 0, i.e. c⟨t⟩ = tanh(bc) (1 − 2^−t).
    parameters = zero_parameters(make_parameters(rng))
    parameters["bc"] = rng.standard_normal((N_A, 1))
    x = rng.standard_normal((N_X, M, T_X))
    outputs = forward(x, np.zeros((N_A, M)), parameters)
    steps = np.arange(1, T_X + 1)
    c_expected = np.tanh(parameters["bc"])[:, :, None] * (1.0 - 0.5**steps) * np.ones((1, M, 1))
    if forward is reference.lstm_forward:
        a, y, c, _ = outputs
        np.testing.assert_allclose(c, c_expected, atol=1e-12)
        np.testing.assert_allclose(a, 0.5 * np.tanh(c_expected), atol=1e-12)
    else:
        a, y, _ = outputs
        np.testing.assert_allclose(a, c_expected, atol=1e-12)
    np.testing.assert_allclose(y, 1.0 / N_Y)


def test_lstm_starts_from_an_empty_memory_cell(rng):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    parameters = lstm_parameters(rng)
    _, _, c, _ = reference.lstm_forward(x, a0, parameters)
    _, c_first, _, _ = reference.lstm_cell_forward(x[:, :, 0], a0, np.zeros((N_A, M)), parameters)
    np.testing.assert_array_equal(c[:, :, 0], c_first)


def test_gru_with_closed_update_gate_keeps_its_memory(rng):
    parameters = gru_parameters(rng)
    parameters["bu"] = np.full((N_A, 1), -50.0)
    x, a0 = rng.standard_normal((N_X, M, 100)), rng.standard_normal((N_A, M))
    a, _, _ = reference.gru_forward(x, a0, parameters)
    np.testing.assert_allclose(a[:, :, -1], a0, atol=1e-12)


def test_gru_with_open_update_gate_forgets_the_previous_state(rng):
    parameters = gru_parameters(rng)
    parameters["bu"] = np.full((N_A, 1), 50.0)
    parameters["Wr"][:] = 0.0
    parameters["br"] = np.full((N_A, 1), -50.0)
    xt = rng.standard_normal((N_X, M))
    a_one, _, _ = reference.gru_cell_forward(xt, rng.standard_normal((N_A, M)), parameters)
    a_two, _, _ = reference.gru_cell_forward(xt, rng.standard_normal((N_A, M)), parameters)
    np.testing.assert_allclose(a_one, a_two, atol=1e-12)


@pytest.mark.parametrize(
    ("forward", "cell_forward", "make_parameters"),
    [
        (reference.rnn_forward, reference.rnn_cell_forward, rnn_parameters),
        (reference.lstm_forward, reference.lstm_cell_forward, lstm_parameters),
        (reference.gru_forward, reference.gru_cell_forward, gru_parameters),
    ],
)
def test_sequence_forward_equals_looping_the_cell(rng, forward, cell_forward, make_parameters):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    parameters = make_parameters(rng)
    outputs = forward(x, a0, parameters)
    states = [a0] if cell_forward is not reference.lstm_cell_forward else [a0, np.zeros_like(a0)]
    for t in range(T_X):
        *states, yt, _ = cell_forward(x[:, :, t], *states, parameters)
        np.testing.assert_array_equal(outputs[0][:, :, t], states[0])
        np.testing.assert_array_equal(outputs[1][:, :, t], yt)
        if cell_forward is reference.lstm_cell_forward:
            np.testing.assert_array_equal(outputs[2][:, :, t], states[1])


# --- gradients against finite differences -------------------------------------------------

RNN_NAMES = ("Wax", "Waa", "ba")
LSTM_NAMES = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
GRU_NAMES = ("Wu", "bu", "Wr", "br", "Wc", "bc")


def assert_all_below(errors):
    assert errors, "nothing was checked"
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOLERANCE, f"relative error of d{worst} is {errors[worst]:.2e}"


@pytest.mark.parametrize(("n_x", "n_a", "m"), [(3, 4, 2), (5, 2, 1)])
def test_rnn_cell_backward_matches_finite_differences(n_x, n_a, m):
    rng = np.random.default_rng(1)
    parameters = rnn_parameters(rng, n_x=n_x, n_a=n_a)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    weights = rng.standard_normal((n_a, m))

    def loss():
        return np.sum(weights * reference.rnn_cell_forward(xt, a_prev, parameters)[0])

    cache = reference.rnn_cell_forward(xt, a_prev, parameters)[-1]
    gradients = reference.rnn_cell_backward(weights, cache)
    arrays = {"xt": xt, "a_prev": a_prev, **{name: parameters[name] for name in RNN_NAMES}}
    assert_all_below(reference.gradient_check(loss, arrays, gradients))


@pytest.mark.parametrize(("n_x", "n_a", "m"), [(3, 4, 2), (5, 2, 1)])
def test_lstm_cell_backward_matches_finite_differences(n_x, n_a, m):
    rng = np.random.default_rng(2)
    parameters = lstm_parameters(rng, n_x=n_x, n_a=n_a)
    xt = rng.standard_normal((n_x, m))
    a_prev, c_prev, weights_a, weights_c = rng.standard_normal((4, n_a, m))

    def loss():
        a_next, c_next, _, _ = reference.lstm_cell_forward(xt, a_prev, c_prev, parameters)
        return np.sum(weights_a * a_next) + np.sum(weights_c * c_next)

    cache = reference.lstm_cell_forward(xt, a_prev, c_prev, parameters)[-1]
    gradients = reference.lstm_cell_backward(weights_a, weights_c, cache)
    arrays = {
        "xt": xt,
        "a_prev": a_prev,
        "c_prev": c_prev,
        **{name: parameters[name] for name in LSTM_NAMES},
    }
    assert_all_below(reference.gradient_check(loss, arrays, gradients))


@pytest.mark.parametrize(("n_x", "n_a", "m"), [(3, 4, 2), (5, 2, 1)])
def test_gru_cell_backward_matches_finite_differences(n_x, n_a, m):
    rng = np.random.default_rng(3)
    parameters = gru_parameters(rng, n_x=n_x, n_a=n_a)
    xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
    weights = rng.standard_normal((n_a, m))

    def loss():
        return np.sum(weights * reference.gru_cell_forward(xt, a_prev, parameters)[0])

    cache = reference.gru_cell_forward(xt, a_prev, parameters)[-1]
    gradients = reference.gru_cell_backward(weights, cache)
    arrays = {"xt": xt, "a_prev": a_prev, **{name: parameters[name] for name in GRU_NAMES}}
    assert_all_below(reference.gradient_check(loss, arrays, gradients))


@pytest.mark.parametrize(
    ("forward", "backward", "make_parameters", "names"),
    [
        (reference.rnn_forward, reference.rnn_backward, rnn_parameters, RNN_NAMES),
        (reference.lstm_forward, reference.lstm_backward, lstm_parameters, LSTM_NAMES),
        (reference.gru_forward, reference.gru_backward, gru_parameters, GRU_NAMES),
    ],
    ids=["rnn", "lstm", "gru"],
)
@pytest.mark.parametrize(("n_x", "n_a", "m", "T_x"), [(3, 4, 2, 5), (2, 3, 1, 1)])
def test_backpropagation_through_time_matches_finite_differences(
    forward, backward, make_parameters, names, n_x, n_a, m, T_x
):
    # J = Σ weights ∗ a makes dJ/da = weights at every step, so each step's gradient has to be
    # added to the one carried back from step t + 1.
    rng = np.random.default_rng(4)
    parameters = make_parameters(rng, n_x=n_x, n_a=n_a)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    weights = rng.standard_normal((n_a, m, T_x))

    def loss():
        return np.sum(weights * forward(x, a0, parameters)[0])

    gradients = backward(weights, forward(x, a0, parameters)[-1])
    arrays = {"x": x, "a0": a0, **{name: parameters[name] for name in names}}
    assert_all_below(reference.gradient_check(loss, arrays, gradients))


def test_gradient_of_the_last_state_reaches_the_first_input(rng):
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))
    da = np.zeros((N_A, M, T_X))
    da[:, :, -1] = 1.0
    caches = reference.lstm_forward(x, a0, lstm_parameters(rng))[-1]
    gradients = reference.lstm_backward(da, caches)
    assert np.any(gradients["dx"][:, :, 0] != 0.0)
    assert np.any(gradients["da0"] != 0.0)


# --- the gradient-check helpers -----------------------------------------------------------


def test_numerical_gradient_of_a_quadratic_is_exact_and_leaves_the_array_unchanged(rng):
    theta = rng.standard_normal((3, 2))
    before = theta.copy()
    grad = reference.numerical_gradient(lambda: np.sum(theta**2), theta)
    np.testing.assert_allclose(grad, 2.0 * before, rtol=1e-8)
    np.testing.assert_array_equal(theta, before)


def test_relative_error_is_zero_for_equal_gradients_and_one_for_opposite_ones(rng):
    grad = rng.standard_normal((4, 3))
    assert reference.relative_error(grad, grad.copy()) == 0.0
    assert reference.relative_error(grad, -grad) == pytest.approx(1.0)
    assert reference.relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_flags_a_wrong_gradient(rng):
    parameters = rnn_parameters(rng)
    x, a0 = rng.standard_normal((N_X, M, T_X)), rng.standard_normal((N_A, M))

    def loss():
        return np.sum(reference.rnn_forward(x, a0, parameters)[0])

    gradients = reference.rnn_backward(
        np.ones((N_A, M, T_X)), reference.rnn_forward(x, a0, parameters)[-1]
    )
    gradients["dWaa"] = gradients["dWaa"].T
    errors = reference.gradient_check(
        loss, {"Wax": parameters["Wax"], "Waa": parameters["Waa"]}, gradients
    )
    assert errors["Wax"] < TOLERANCE
    assert errors["Waa"] > 1e-3
