"""BasicRNNCell: the course's equations, its gradients, Keras' SimpleRNN, and gradient clipping."""

import keras
import numpy as np
import pytest

from layers import RNN, BasicRNNCell, reference
from tests.layers.helpers import (
    FLOAT64_SLACK,
    course_parameters,
    gradients,
    keras_simple_rnn_in_float64,
    loaded_cell,
    rnn_classes,
    run,
    tape_gradients,
    to_keras,
)

pytestmark = pytest.mark.usefixtures("float64")

N_X, N_A, M, T_X = 3, 4, 2, 5
TOLERANCE = 1e-6 * FLOAT64_SLACK


@pytest.fixture
def data(rng):
    x = rng.standard_normal((N_X, M, T_X))
    a0 = rng.standard_normal((N_A, M))
    return x, a0, course_parameters("rnn", N_X, N_A, rng)


def relu_rnn_forward(x, a0, params):
    a, a_t = [], a0
    for t in range(x.shape[2]):
        a_t = np.maximum(0.0, params["Waa"] @ a_t + params["Wax"] @ x[:, :, t] + params["ba"])
        a.append(a_t)
    return np.stack(a, axis=2)


@rnn_classes
def test_tanh_cell_reproduces_the_reference_forward(data, rnn_class):
    x, a0, params = data
    a, _, _ = reference.rnn_forward(x, a0, params)
    a_keras, a_last = run(rnn_class, loaded_cell("rnn", params), to_keras(x), [a0.T])
    np.testing.assert_allclose(a_keras, to_keras(a), rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(a_last, a[:, :, -1].T, rtol=0, atol=TOLERANCE)


def test_relu_cell_reproduces_the_course_equation(data):
    x, a0, params = data
    cell = loaded_cell("rnn", params, activation="relu")
    a_keras, _ = run(RNN, cell, to_keras(x), [a0.T])
    a = relu_rnn_forward(x, a0, params)
    assert (a == 0).any() and (a > 0).any()
    np.testing.assert_allclose(a_keras, to_keras(a), rtol=0, atol=TOLERANCE)


@rnn_classes
def test_reference_backward_equals_gradient_tape(data, rng, rnn_class):
    x, a0, params = data
    upstream = rng.standard_normal((N_A, M, T_X))
    _, _, caches = reference.rnn_forward(x, a0, params)
    expected = reference.rnn_backward(upstream, caches)
    cell = loaded_cell("rnn", params)
    got = tape_gradients(rnn_class, cell, to_keras(x), [a0.T], to_keras(upstream))
    for name in ("dx", "da0", "dWax", "dWaa", "dba"):
        np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=TOLERANCE, err_msg=name)


@keras_simple_rnn_in_float64
def test_equals_keras_simple_rnn_with_mapped_weights(data):
    x, a0, params = data
    ours, _ = run(RNN, loaded_cell("rnn", params), to_keras(x), [a0.T])
    keras_rnn = keras.layers.SimpleRNN(N_A, return_sequences=True)
    keras_rnn.build((None, None, N_X))
    keras_rnn.set_weights([params["Wax"].T, params["Waa"].T, params["ba"][:, 0]])
    theirs = keras_rnn(to_keras(x), initial_state=[a0.T])
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=TOLERANCE)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="activation"):
        BasicRNNCell(4, activation="sigmoid")


# --- Exploding gradients and clipping ------------------------------------------------------

LEARNING_RATE = 0.01
CLIP = 1.0


def exploding_rnn():
    """A ReLU RNN whose recurrent matrix 3·I makes a⟨t⟩, and the gradients, grow as 3^t."""
    cell = BasicRNNCell(
        4,
        activation="relu",
        kernel_initializer="ones",
        recurrent_initializer=keras.initializers.Identity(gain=3.0),
    )
    rnn = RNN(cell)
    rnn.build((None, 12, 1))
    return rnn


def sgd_update(rnn, grads, **clipping):
    before = [w.numpy() for w in rnn.trainable_weights]
    optimizer = keras.optimizers.SGD(learning_rate=LEARNING_RATE, **clipping)
    optimizer.apply_gradients(zip(grads, rnn.trainable_weights, strict=True))
    updates = [w.numpy() - b for w, b in zip(rnn.trainable_weights, before, strict=True)]
    for w, b in zip(rnn.trainable_weights, before, strict=True):
        w.assign(b)
    return updates


def test_clipping_bounds_the_update_of_an_exploding_rnn():
    rnn = exploding_rnn()
    x = np.ones((2, 12, 1))
    rnn(x)
    _, (_, *grads) = gradients(
        lambda x: keras.ops.mean(keras.ops.square(rnn(x))), [x], rnn.trainable_weights
    )
    assert all(np.isfinite(g).all() for g in grads)

    unclipped = sgd_update(rnn, grads)
    assert max(np.linalg.norm(u) for u in unclipped) > 1e4 * LEARNING_RATE * CLIP

    by_value = sgd_update(rnn, grads, clipvalue=CLIP)
    largest = max(np.abs(u).max() for u in by_value)
    assert largest <= LEARNING_RATE * CLIP * (1 + 1e-9)
    assert largest == pytest.approx(LEARNING_RATE * CLIP)

    by_norm = sgd_update(rnn, grads, clipnorm=CLIP)
    norms = [np.linalg.norm(u) for u in by_norm]
    assert max(norms) <= LEARNING_RATE * CLIP * (1 + 1e-9)
    assert max(norms) == pytest.approx(LEARNING_RATE * CLIP)
