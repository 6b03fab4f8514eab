"""The course's djmodel in the Functional API: one LSTM cell shared by all Tx steps.

    X (m, Tx, n_values), a0 (m, n_a), c0 (m, n_a)  [, chords (m, Tx, N_CONDITIONING)]
    for t in 1..Tx:
        x⟨t⟩ = reshaper(X[:, t])                 # one shared Reshape
        a⟨t⟩, c⟨t⟩ = LSTM_cell(x⟨t⟩, [a⟨t−1⟩, c⟨t−1⟩])   # one shared cell
        ŷ⟨t⟩ = densor(a⟨t⟩)                       # one shared Dense + softmax
"""

import keras

from apps.jazz.conditioning import N_CONDITIONING
from layers import LSTMCell


def djmodel(Tx: int, n_values: int, n_a: int, chord_input: bool = False) -> keras.Model:
    """The training model: outputs ŷ (m, Tx, n_values), the next-value distribution per step.

    With `chord_input`, the conditioning of the value to predict (its chord, the next chord and
    its place in the bar: `apps.jazz.conditioning`) is appended to each step's input, so the
    cell's input size n_x is n_values + N_CONDITIONING instead of n_values.
    """
    X = keras.Input((Tx, n_values), name="X")
    a0 = keras.Input((n_a,), name="a0")
    c0 = keras.Input((n_a,), name="c0")
    inputs = [X, a0, c0]
    steps = X
    if chord_input:
        chords = keras.Input((Tx, N_CONDITIONING), name="chords")
        inputs.append(chords)
        steps = keras.layers.Concatenate(name="with_chords")([X, chords])
    n_x = steps.shape[-1]

    reshaper = keras.layers.Reshape((n_x,), name="reshaper")
    LSTM_cell = LSTMCell(n_a, name="LSTM_cell")
    densor = keras.layers.Dense(n_values, activation="softmax", name="densor")

    a, c = a0, c0
    outputs = []
    for t in range(Tx):
        x = reshaper(steps[:, t : t + 1, :])
        a, (a, c) = LSTM_cell(x, [a, c])
        outputs.append(densor(a))
    y_hat = keras.ops.stack(outputs, axis=1)
    return keras.Model(inputs, y_hat, name="djmodel")


def compile_model(model: keras.Model, learning_rate: float, decay: float) -> keras.Model:
    """Adam as the course (lr 0.01, β1 0.9, β2 0.999, decay 0.01 per update)."""
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        learning_rate, decay_steps=1, decay_rate=decay
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule, beta_1=0.9, beta_2=0.999),
        loss="categorical_crossentropy",
        # Weighted by the data's step weights: padded steps do not count (apps.jazz.data).
        weighted_metrics=["accuracy"],
        # XLA takes minutes to compile Tx unrolled steps on a CPU and gains little at this size.
        jit_compile=False,
    )
    return model


def course_parameter_count(n_values: int, n_a: int, n_x: int | None = None) -> int:
    """The course's count: 4 gates of n_a·(n_a + n_x) + n_a, densor n_values·n_a + n_values."""
    n_x = n_values if n_x is None else n_x
    return 4 * (n_a * (n_a + n_x) + n_a) + n_values * n_a + n_values
