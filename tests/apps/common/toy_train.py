"""A small real training run through the shared harness, for the harness tests to start,
kill, resume and distribute. Writes `history.json` and `weights.npz` to --out when done."""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--distribute", default="none")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--logical-cpus", type=int, default=1)
    parser.add_argument("--epoch-pause", type=float, default=0.0)
    parser.add_argument("--dropout", type=float, default=0.1)
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    if args.logical_cpus > 1:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * args.logical_cpus
        )

    import layers
    from apps.common.data import EpochStream
    from apps.common.distribute import get_strategy, is_chief
    from apps.common.seeding import set_seed
    from apps.common.training import fit

    strategy = get_strategy(args.distribute)
    set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((96, 6, 3)).astype("float32")
    y = x.sum(axis=(1, 2))[:, None] / 9.0
    stream = EpochStream(tf.data.Dataset.from_tensor_slices((x, y)), lambda d: d.batch(16), 7)
    with strategy.scope():
        inputs = keras.Input((None, 3))
        a = layers.RNN(layers.GRUCell(8, dropout=args.dropout))(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1)(a))
        model.compile(keras.optimizers.Adam(1e-2), "mse")

    pause = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: time.sleep(args.epoch_pause)
    )
    chief = is_chief(strategy)
    print("chief" if chief else "worker", flush=True)
    history = fit(
        model, stream, None, epochs=args.epochs, out_dir=args.out, resume=args.resume,
        callbacks=[pause], verbose=0, chief=chief,
    )
    if chief:
        (args.out / "history.json").write_text(json.dumps(history.history))
        np.savez(args.out / "weights.npz", *model.get_weights())
    print(f"weights {sum(float(np.abs(w).sum()) for w in model.get_weights()):.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
