"""How the LSTM cell's step lays out its products, head to head at one size.

The per-gate `layers.LSTMCell` picks, by state size, whether a loop over a sequence multiplies
x⟨t⟩ and a⟨t−1⟩ by every gate's matrix side by side or gate by gate (`loop_fusion` in
layers/cell.py).
This times the choices against Keras' LSTM as benchmarks/cells.py does (training step, batch 64,
n_x 78, interleaved rounds, per-round ratios, an A/A row):

- chosen: what `LSTMCell` does at this size;
- inputs gate by gate: x⟨t⟩ · W_g separately for each gate too;
- all side by side: one product for all gates' input halves, one for their recurrent halves;
- two branches: the three sigmoid gates side by side, the candidate c̃ alone.

    python -m benchmarks.cell_layouts             # 128 units, writes benchmarks/cell_layouts.json
    python -m benchmarks.cell_layouts --units 256
"""

import argparse
import json
import statistics
from pathlib import Path

import keras
import numpy as np
from keras import ops

import layers
from benchmarks.cells import BATCH, N_X, build, interleaved_times, ratio_to
from layers.cell import side_by_side
from layers.recurrent import hoists


class InputsGateByGate(layers.LSTMCell):
    def loop_fusion(self):
        return False, False


class AllSideBySide(layers.LSTMCell):
    def loop_fusion(self):
        return True, True


class TwoBranches(layers.LSTMCell):
    """Γf, Γu, Γo from one product pair, c̃ from another: two chains for two cores."""

    def loop_weights(self, projected=False):
        def split(blocks):
            return side_by_side(blocks[:3]), blocks[3]

        return split(self.kernels), split(self.recurrent_kernels), split(self.biases)

    def step(self, x, states, weights, training=False):
        a_prev, c_prev = states
        (W_s, W_c), (U_s, U_c), (b_s, b_c) = weights
        gates = ops.sigmoid(ops.add(ops.add(ops.matmul(x, W_s), ops.matmul(a_prev, U_s)), b_s))
        c_tilde = ops.tanh(ops.add(ops.add(ops.matmul(x, W_c), ops.matmul(a_prev, U_c)), b_c))
        forget, update, output = ops.split(gates, 3, axis=-1)
        c = ops.add(ops.multiply(update, c_tilde), ops.multiply(forget, c_prev))
        a = ops.multiply(output, ops.tanh(c))
        return a, [a, c]


def contenders(units):
    def course(cell_class):
        return lambda: layers.RNN(cell_class(units), return_sequences=True)

    return {
        "LSTM": lambda: keras.layers.LSTM(units, return_sequences=True),
        "LSTM, a second copy": lambda: keras.layers.LSTM(units, return_sequences=True),
        "chosen": course(layers.LSTMCell),
        "inputs gate by gate": course(InputsGateByGate),
        "all side by side": course(AllSideBySide),
        "two branches": course(TwoBranches),
    }


def run(units=128, rounds=12, steps=4):
    if hoists(layers.LSTMCell(units), N_X):
        # There the loop receives x · W + b for all gates, and the layouts of x⟨t⟩ · W are moot.
        raise ValueError(f"units must be above {N_X // 4}: below, layers.RNN hoists x · W")
    rng = np.random.default_rng(0)
    results = []
    for t_x in (30, 100):
        x = rng.standard_normal((BATCH, t_x, N_X)).astype("float32")
        y = rng.standard_normal((BATCH, t_x, units)).astype("float32")
        models = {name: build(make, t_x) for name, make in contenders(units).items()}
        times = interleaved_times(models, x, y, rounds, steps)
        for name in models:
            ratio, quartiles = ratio_to(times[name], times["LSTM"])
            results.append({
                "Tx": t_x, "units": units, "layout": name,
                "ms_per_step": round(statistics.median(times[name]), 2),
                "ratio_to_lstm": ratio,
                "ratio_quartiles": quartiles,
            })
        keras.backend.clear_session()
    return {"benchmark": "cell_layouts", "batch": BATCH, "n_x": N_X, "rounds": rounds,
            "results": results}


def print_table(report):
    print(f"{'Tx':>4} {'n_a':>4}  {'layout':<22} {'ms/step':>8} {'÷ LSTM':>7}  quartiles")
    for row in report["results"]:
        print(f"{row['Tx']:>4} {row['units']:>4}  {row['layout']:<22} {row['ms_per_step']:>8.2f} "
              f"{row['ratio_to_lstm']:>7.2f}  {'{:.2f}–{:.2f}'.format(*row['ratio_quartiles'])}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=128, help="n_a (default: 128)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("cell_layouts.json"))
    args = parser.parse_args(argv)
    if hoists(layers.LSTMCell(args.units), N_X):
        parser.error(f"--units must be above {N_X // 4}: below, layers.RNN hoists x · W")
    report = run(args.units)
    print_table(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
