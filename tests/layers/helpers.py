"""What the cell tests share: the cells under test, random course parameters, layout changes.

The numpy reference works in the course's shapes, x (n_x, m, T_x) and a (n_a, m, T_x); Keras works
in (m, T_x, n_x). `to_course` and `to_keras` move between the two.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from layers import CELLS, RNN, LSTMCell

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


def tape_gradients(rnn_class, cell, x, initial_state, upstream):
    """Gradients of J = Σ a ∗ upstream through an RNN over `cell`, in the course's layout.

    Returns dx (n_x, m, T_x), da0 (n_a, m), dc0 for the LSTM, and the cell's parameter gradients.
    """
    rnn = rnn_class(cell, return_sequences=True)
    x = tf.constant(x)
    states = [tf.constant(s) for s in initial_state]
    with tf.GradientTape() as tape:
        tape.watch([x, *states])
        a = rnn(x, initial_state=states)
        loss = tf.reduce_sum(a * upstream)
    grads = tape.gradient(loss, [x, *states, *cell.trainable_weights])
    course = as_course_layout(cell, [g.numpy() for g in grads[1 + len(states) :]])
    course["dx"] = to_course(grads[0].numpy())
    course["da0"] = grads[1].numpy().T
    if len(states) == 2:
        course["dc0"] = grads[2].numpy().T
    return course


def run(rnn_class, cell, x, initial_state=None, **rnn_kwargs):
    """a⟨1⟩…a⟨T_x⟩ and the final states of an RNN over `cell`, as numpy arrays."""
    rnn = rnn_class(cell, return_sequences=True, return_state=True, **rnn_kwargs)
    outputs = rnn(x, initial_state=initial_state)
    return [keras.ops.convert_to_numpy(o) for o in outputs]
