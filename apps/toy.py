"""A toy sequence task that shows what gating buys: recall the first symbol after Tx steps.

Each example is a sequence of Tx random symbols (one-hot over `n_symbols`); the target is the
first one. A cell must carry x⟨1⟩ across the whole sequence, which the course's gated cells do
with Γu ≈ 0 (GRU) or Γf ≈ 1 (LSTM), and the basic RNN struggles to.

    python -m apps.toy
"""

import time

import keras
import numpy as np

import layers
from apps.common.seeding import set_seed


def make_task(n_examples, t_x, n_symbols, rng):
    symbols = rng.integers(0, n_symbols, size=(n_examples, t_x))
    x = np.eye(n_symbols, dtype="float32")[symbols]
    return x, symbols[:, 0]


def build(cell, t_x, n_symbols):
    inputs = keras.Input((t_x, n_symbols))
    a = layers.RNN(cell)(inputs)
    y_hat = keras.layers.Dense(n_symbols, activation="softmax")(a)
    model = keras.Model(inputs, y_hat, name=type(cell).__name__)
    model.compile(
        keras.optimizers.Adam(1e-2, clipvalue=5.0),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def run(t_x=20, n_symbols=4, units=16, epochs=8, seed=0):
    """Train one tiny model per cell; return one row of results per cell."""
    rows = []
    for name, cell_class in layers.CELLS.items():
        set_seed(seed)
        rng = np.random.default_rng(seed)
        x, y = make_task(2000, t_x, n_symbols, rng)
        x_val, y_val = make_task(500, t_x, n_symbols, rng)
        model = build(cell_class(units), t_x, n_symbols)
        start = time.perf_counter()
        model.fit(x, y, batch_size=64, epochs=epochs, verbose=0)
        seconds = time.perf_counter() - start
        _, accuracy = model.evaluate(x_val, y_val, verbose=0)
        rows.append((name, model.count_params(), accuracy, seconds))
    return rows


def print_table(rows, t_x=20, n_symbols=4):
    print(f"Recall the first of {t_x} symbols (chance {1 / n_symbols:.2f}):")
    print(f"  {'cell':<11} {'params':>7} {'accuracy':>9} {'train s':>8}")
    for name, params, accuracy, seconds in rows:
        print(f"  {name:<11} {params:>7} {accuracy:>9.3f} {seconds:>8.1f}")


if __name__ == "__main__":
    print_table(run())
