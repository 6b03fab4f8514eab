"""Training-step time of the course cells against Keras' built-in recurrent layers.

Each configuration (batch 64, input n_x = 78, Tx in {30, 100}, n_a in {64, 128, 256}) builds one
model per contender, a recurrent layer returning sequences under a squared-error loss, and
times `train_on_batch` in rounds, each contender once per round, every other round in reverse
order, so that load on the machine falls on all of them alike. Reported: the median
milliseconds per step, and the median over rounds of the ratio custom / built-in (below 1.0
means the course cell is faster) with its quartiles, which show how far the machine's noise
moves it.

    python -m benchmarks.cells            # full run, writes benchmarks/cells.json
    python -m benchmarks.cells --quick    # fewer repetitions
"""

import platform
import statistics
import time

import keras
import numpy as np

import layers
from benchmarks import common

BATCH, N_X = 64, 78
SIZES = [(30, 64), (30, 128), (30, 256), (100, 64), (100, 128), (100, 256)]


def contenders(units):
    """(name, recurrent layer factory, name of the built-in it is compared with)."""
    return [
        ("LSTMCell", lambda: layers.RNN(layers.LSTMCell(units), return_sequences=True), "LSTM"),
        (
            "LSTMCell peephole",
            lambda: layers.RNN(layers.LSTMCell(units, peephole=True), return_sequences=True),
            "LSTM",
        ),
        ("GRUCell", lambda: layers.RNN(layers.GRUCell(units), return_sequences=True), "GRU"),
        (
            "SimpleGRUCell",
            lambda: layers.RNN(layers.SimpleGRUCell(units), return_sequences=True),
            "GRU",
        ),
        (
            "BasicRNNCell",
            lambda: layers.RNN(layers.BasicRNNCell(units), return_sequences=True),
            "SimpleRNN",
        ),
        ("LSTM", lambda: keras.layers.LSTM(units, return_sequences=True), None),
        # The same layer against itself: how far the machine's noise alone moves a ratio.
        ("LSTM, a second copy", lambda: keras.layers.LSTM(units, return_sequences=True), "LSTM"),
        (
            "GRU",
            lambda: keras.layers.GRU(units, reset_after=False, return_sequences=True),
            None,
        ),
        ("SimpleRNN", lambda: keras.layers.SimpleRNN(units, return_sequences=True), None),
    ]


def build(make_layer, t_x):
    inputs = keras.Input((t_x, N_X), batch_size=BATCH)
    model = keras.Model(inputs, make_layer()(inputs))
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    return model


def time_steps(model, x, y, steps):
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(x, y)
    return (time.perf_counter() - start) / steps * 1000.0


def interleaved_times(models, x, y, rounds, steps):
    """ms per training step of each model, one figure per round: every model once a round,
    every other round in reverse, so that no contender always follows the same one."""
    for model in models.values():
        time_steps(model, x, y, 2)  # trace and warm up
    times = {name: [] for name in models}
    for r in range(rounds):
        for name in list(models) if r % 2 == 0 else list(models)[::-1]:
            times[name].append(time_steps(models[name], x, y, steps))
    return times


def ratio_to(times, baseline):
    """The median per-round ratio to `baseline` and its quartiles. A ratio per round, of two
    timings taken moments apart: load on the machine that comes and goes falls on both."""
    ratios = [a / b for a, b in zip(times, baseline, strict=True)]
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    return round(statistics.median(ratios), 3), [round(q1, 3), round(q3, 3)]


def run(quick=False):
    rounds, steps = (3, 3) if quick else (15, 4)
    rng = np.random.default_rng(0)
    results = []
    for t_x, units in SIZES:
        x = rng.standard_normal((BATCH, t_x, N_X)).astype("float32")
        y = rng.standard_normal((BATCH, t_x, units)).astype("float32")
        entries = contenders(units)
        models = {name: build(make, t_x) for name, make, _ in entries}
        times = interleaved_times(models, x, y, rounds, steps)
        for name, _, builtin in entries:
            row = {
                "Tx": t_x,
                "units": units,
                "layer": name,
                "ms_per_step": round(statistics.median(times[name]), 2),
                "baseline": builtin,
                "ratio": None,
            }
            if builtin:
                row["ratio"], row["ratio_quartiles"] = ratio_to(times[name], times[builtin])
            results.append(row)
        keras.backend.clear_session()
    return {
        "benchmark": "cells",
        "batch": BATCH,
        "n_x": N_X,
        "rounds": rounds,
        "steps_per_round": steps,
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        "results": results,
    }


def print_table(report):
    print(
        f"{'Tx':>4} {'n_a':>4}  {'layer':<28} {'ms/step':>8}  {'vs':<10} {'ratio':>6}  quartiles"
    )
    for row in report["results"]:
        ratio, spread = "", ""
        if row["ratio"] is not None:
            ratio = f"{row['ratio']:.2f}"
            spread = "{:.2f}–{:.2f}".format(*row["ratio_quartiles"])
        print(
            f"{row['Tx']:>4} {row['units']:>4}  {row['layer']:<28} {row['ms_per_step']:>8.2f}  "
            f"{row['baseline'] or '':<10} {ratio:>6}  {spread}"
        )


def main(argv=None):
    common.main(__doc__, run, print_table, "cells", argv)


if __name__ == "__main__":
    main()
