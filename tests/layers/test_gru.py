"""SimpleGRUCell and GRUCell: the course's equations, gradients, Keras' GRU, and long memory."""

import keras
import numpy as np
import pytest

from layers import RNN, reference
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


def simple_gru_forward(x, c0, params):
    """The simplified GRU of the course, c⟨t⟩ = Γu ∗ c̃⟨t⟩ + (1 − Γu) ∗ c⟨t−1⟩, in numpy."""
    c, c_t = [], c0
    for t in range(x.shape[2]):
        concat = np.concatenate([c_t, x[:, :, t]], axis=0)
        c_tilde = np.tanh(params["Wc"] @ concat + params["bc"])
        gamma_u = reference.sigmoid(params["Wu"] @ concat + params["bu"])
        c_t = gamma_u * c_tilde + (1 - gamma_u) * c_t
        c.append(c_t)
    return np.stack(c, axis=2)


def gru_forward(x, c0, params):
    return reference.gru_forward(x, c0, params)[0]


FORWARDS = {"simple_gru": simple_gru_forward, "gru": gru_forward}


@pytest.fixture
def x(rng):
    return rng.standard_normal((N_X, M, T_X))


@pytest.fixture
def c0(rng):
    return rng.standard_normal((N_A, M))


@rnn_classes
@pytest.mark.parametrize("kind", ["simple_gru", "gru"])
def test_cell_reproduces_the_course_forward(x, c0, rng, kind, rnn_class):
    params = course_parameters(kind, N_X, N_A, rng)
    c = FORWARDS[kind](x, c0, params)
    c_keras, c_last = run(rnn_class, loaded_cell(kind, params), to_keras(x), [c0.T])
    np.testing.assert_allclose(c_keras, to_keras(c), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(c_last, c[:, :, -1].T, rtol=0, atol=TOLERANCE)


def test_simple_gru_is_the_full_gru_with_an_open_relevance_gate(x, c0, rng):
    params = course_parameters("simple_gru", N_X, N_A, rng)
    # σ(40) is 1 in float64, so Γr ∗ c⟨t−1⟩ = c⟨t−1⟩.
    open_relevance = {"Wr": np.zeros((N_A, N_A + N_X)), "br": np.full((N_A, 1), 40.0)}
    np.testing.assert_allclose(
        simple_gru_forward(x, c0, params),
        gru_forward(x, c0, params | open_relevance),
        rtol=0,
        atol=1e-12,
    )


@rnn_classes
def test_reference_backward_equals_gradient_tape(x, c0, rng, rnn_class):
    params = course_parameters("gru", N_X, N_A, rng)
    upstream = rng.standard_normal((N_A, M, T_X))
    _, _, caches = reference.gru_forward(x, c0, params)
    expected = reference.gru_backward(upstream, caches)
    got = tape_gradients(
        rnn_class, loaded_cell("gru", params), to_keras(x), [c0.T], to_keras(upstream)
    )
    for name in ("dx", "da0", "dWu", "dbu", "dWr", "dbr", "dWc", "dbc"):
        np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=TOLERANCE, err_msg=name)


def test_simple_gru_gradient_tape_equals_finite_differences(x, c0, rng):
    params = course_parameters("simple_gru", N_X, N_A, rng)
    upstream = rng.standard_normal((N_A, M, T_X))
    got = tape_gradients(
        RNN, loaded_cell("simple_gru", params), to_keras(x), [c0.T], to_keras(upstream)
    )
    arrays = {"x": x, "a0": c0, **{name: params[name] for name in ("Wu", "bu", "Wc", "bc")}}
    errors = reference.gradient_check(
        lambda: np.sum(simple_gru_forward(x, c0, params) * upstream), arrays, got
    )
    assert max(errors.values()) < 1e-7 * FLOAT64_SLACK, errors


def keras_gru_weights(params):
    """Keras' GRU(reset_after=False) layout: columns z, r, h; [x rows] and [c rows] apart.

    Keras' update gate z multiplies the old state, h = z ∗ h_prev + (1 − z) ∗ h̃, so z = 1 − Γu;
    since 1 − σ(v) = σ(−v), its weights are those of Γu negated.
    """
    blocks = [-params["Wu"], params["Wr"], params["Wc"]]
    kernel = np.concatenate([W[:, N_A:].T for W in blocks], axis=1)
    recurrent = np.concatenate([W[:, :N_A].T for W in blocks], axis=1)
    bias = np.concatenate([-params["bu"], params["br"], params["bc"]])[:, 0]
    return [kernel, recurrent, bias]


def test_equals_keras_gru_without_reset_after(x, c0, rng):
    params = course_parameters("gru", N_X, N_A, rng)
    ours, _ = run(RNN, loaded_cell("gru", params), to_keras(x), [c0.T])
    keras_gru = keras.layers.GRU(N_A, reset_after=False, return_sequences=True)
    keras_gru.build((None, None, N_X))
    keras_gru.set_weights(keras_gru_weights(params))
    theirs = keras_gru(to_keras(x), initial_state=[c0.T])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE)


# --- The course's intuition: a closed update gate keeps the memory -------------------------


@pytest.mark.parametrize("kind", ["simple_gru", "gru"])
def test_saturated_update_gate_keeps_the_memory_for_100_steps(rng, kind):
    x = rng.standard_normal((M, 100, N_X))
    c0 = rng.standard_normal((M, N_A))

    def last_state(bu):
        params = course_parameters(kind, N_X, N_A, rng) | {"bu": np.full((N_A, 1), bu)}
        return run(RNN, loaded_cell(kind, params), x, [c0])[1]

    np.testing.assert_allclose(last_state(bu=-30.0), c0, rtol=0, atol=1e-6)
    assert np.abs(last_state(bu=0.0) - c0).max() > 0.1
