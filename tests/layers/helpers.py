"""What the cell tests share: the cells under test, random course parameters, layout changes,
and gradients on whichever Keras backend runs the tests.

The numpy reference works in the course's shapes, x (n_x, m, T_x) and a (n_a, m, T_x); Keras works
in (m, T_x, n_x). `to_course` and `to_keras` move between the two.

The layers are `keras.ops` only, so these tests run on every backend (`KERAS_BACKEND=jax` in a
venv without TensorFlow: `make test-jax`). The few that check TensorFlow itself (tf.data input,
SavedModel export) carry `needs_tensorflow` and are skipped elsewhere, with the reason.
"""

import importlib.util

import keras
import numpy as np
import pytest

from layers import CELLS, RNN, LSTMCell

BACKEND = keras.backend.backend()
# Keras 3.15's JAX backend computes `ops.tanh` of float64 in float32 (its result type with a
# Python float is float32), so float64 results that go through tanh agree with the numpy
# reference to ~1e-7 there instead of ~1e-15: the tests that check to 1e-6 or 1e-7 allow ten
# times more under JAX. Every other backend is held to the tight bound.
FLOAT64_SLACK = 10.0 if BACKEND == "jax" else 1.0
# The same bug stops Keras' own SimpleRNN in float64 on JAX (lax.scan refuses a state that turns
# float32); `layers.BasicRNNCell` keeps its state's type.
keras_simple_rnn_in_float64 = pytest.mark.skipif(
    BACKEND == "jax",
    reason="Keras 3.15's SimpleRNN cannot run float64 on JAX (its tanh returns float32)",
)
needs_tensorflow = pytest.mark.skipif(
    BACKEND != "tensorflow" or importlib.util.find_spec("tensorflow") is None,
    reason=f"checks TensorFlow itself (tf.data or SavedModel); the backend is {BACKEND}",
)

# The four course cells, and the LSTM once more with its peephole connections.
CELL_KINDS = ("rnn", "simple_gru", "gru", "lstm", "lstm_peephole")
every_cell = pytest.mark.parametrize("kind", CELL_KINDS)

# Run a test through both loops: ours, with the input projection hoisted, and Keras' own.
rnn_classes = pytest.mark.parametrize(
    "rnn_class", [RNN, keras.layers.RNN], ids=["layers.RNN", "keras.layers.RNN"]
)

COURSE_GATES = {
    "simple_gru": ("u", "c"),
    "gru": ("u", "r", "c"),
    "lstm": ("f", "i", "c", "o"),
    "lstm_peephole": ("f", "i", "c", "o"),
}


def make_cell(kind, units, **kwargs):
    if kind == "lstm_peephole":
        return LSTMCell(units, peephole=True, **kwargs)
    return CELLS[kind](units, **kwargs)


def n_states(kind):
    return 2 if kind.startswith("lstm") else 1


def course_parameters(kind, n_x, n_a, rng, scale=0.7, n_y=2):
    """Random parameters in the course's names and shapes, output-layer keys included."""
    if kind == "rnn":
        return {
            "Wax": scale * rng.standard_normal((n_a, n_x)),
            "Waa": scale * rng.standard_normal((n_a, n_a)),
            "ba": scale * rng.standard_normal((n_a, 1)),
            "Wya": rng.standard_normal((n_y, n_a)),
            "by": rng.standard_normal((n_y, 1)),
        }
    params = {"Wy": rng.standard_normal((n_y, n_a)), "by": rng.standard_normal((n_y, 1))}
    for gate in COURSE_GATES[kind]:
        params[f"W{gate}"] = scale * rng.standard_normal((n_a, n_a + n_x))
        params[f"b{gate}"] = scale * rng.standard_normal((n_a, 1))
    if kind == "lstm_peephole":
        for gate in ("f", "i", "o"):
            params[f"p{gate}"] = scale * rng.standard_normal((n_a, 1))
    return params


def cell_parameters(params):
    """The parameters without the output layer's."""
    return {key: value for key, value in params.items() if key not in ("Wya", "Wy", "by")}


def loaded_cell(kind, params, **kwargs):
    """A cell of `kind` built from course parameters."""
    n_a = params["Waa" if kind == "rnn" else f"W{COURSE_GATES[kind][0]}"].shape[0]
    cell = make_cell(kind, n_a, **kwargs)
    cell.set_course_parameters(params)
    return cell


def randomize(layer, rng, scale=0.5):
    """Give every weight of a built layer random values (peephole vectors start at zero)."""
    layer.set_weights([scale * rng.standard_normal(w.shape) for w in layer.get_weights()])


def copy_cell(cell, **overrides):
    """A new cell with the configuration (but `overrides`) and the weights of `cell`."""
    twin = type(cell).from_config(cell.get_config() | overrides)
    twin.build((None, cell.kernels[0].shape[0]))
    twin.set_weights(cell.get_weights())
    return twin


def to_course(x):
    """(m, T_x, n) → (n, m, T_x)."""
    return np.transpose(np.asarray(x), (2, 0, 1))


def to_keras(x):
    """(n, m, T_x) → (m, T_x, n)."""
    return np.transpose(np.asarray(x), (1, 2, 0))


def as_course_layout(cell, arrays):
    """Arrays shaped like the weights of `cell` (gradients, say) as the course's dict, "d" + name.

    The course layout is a linear rearrangement of the cell's weights, so a twin cell holding the
    arrays as its weights reads them out through `get_course_parameters`.
    """
    twin = type(cell).from_config(cell.get_config())
    twin.build((None, cell.kernels[0].shape[0]))
    for variable, value in zip(twin.trainable_weights, arrays, strict=True):
        variable.assign(value)
    return {f"d{name}": value for name, value in twin.get_course_parameters().items()}


def gradients(loss, inputs, variables=()):
    """`(J, [dJ/d input…, dJ/d variable…])` of the scalar J = loss(*inputs) on the running
    backend, as numpy arrays: TensorFlow's GradientTape, or `jax.grad` with the Keras
    `variables` (already built) fed as values through a `keras.StatelessScope`."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(x) for x in inputs]
        with tf.GradientTape() as tape:
            tape.watch(tensors)
            value = loss(*tensors)
        grads = tape.gradient(value, [*tensors, *variables])
        return float(value), [keras.ops.convert_to_numpy(g) for g in grads]
    if BACKEND == "jax":
        import jax

        def stateless(args, values):
            with keras.StatelessScope(state_mapping=list(zip(variables, values, strict=True))):
                return loss(*args)

        values = [variable.value for variable in variables]
        value, (d_inputs, d_variables) = jax.value_and_grad(stateless, argnums=(0, 1))(
            [np.asarray(x) for x in inputs], values
        )
        return float(value), [np.asarray(g) for g in (*d_inputs, *d_variables)]
    pytest.skip(f"no gradient helper for the {BACKEND} backend")


def tape_gradients(rnn_class, cell, x, initial_state, upstream):
    """Gradients of J = Σ a ∗ upstream through an RNN over `cell`, in the course's layout.

    Returns dx (n_x, m, T_x), da0 (n_a, m), dc0 for the LSTM, and the cell's parameter gradients.
    """
    rnn = rnn_class(cell, return_sequences=True)
    rnn(x, initial_state=list(initial_state))  # built, so that its weights exist

    def loss(x, *states):
        return keras.ops.sum(rnn(x, initial_state=list(states)) * upstream)

    _, grads = gradients(loss, [x, *initial_state], cell.trainable_weights)
    states = len(initial_state)
    course = as_course_layout(cell, grads[1 + states :])
    course["dx"] = to_course(grads[0])
    course["da0"] = grads[1].T
    if states == 2:
        course["dc0"] = grads[2].T
    return course


def run(rnn_class, cell, x, initial_state=None, **rnn_kwargs):
    """a⟨1⟩…a⟨T_x⟩ and the final states of an RNN over `cell`, as numpy arrays."""
    rnn = rnn_class(cell, return_sequences=True, return_state=True, **rnn_kwargs)
    outputs = rnn(x, initial_state=initial_state)
    return [keras.ops.convert_to_numpy(o) for o in outputs]
