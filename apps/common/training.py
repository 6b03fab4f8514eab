"""The training loop every app shares: checkpoints, resume, best weights, NaN guard, logs."""

import contextlib
import math
import shutil
import sys
import tempfile
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from apps.common.atomic import atomic_path, read_json, write_json
from apps.common.data import EpochStream
from apps.common.errors import TrainingError
from datasets.errors import InputError
from layers._compat import symbolic_build_skipped


class KeepBest(keras.callbacks.Callback):
    """Keep the weights of the best epoch by `monitor` on disk and load them when training ends.

    The record lives in `directory`, so a resumed run still knows the best epoch before it.
    """

    def __init__(self, monitor, mode, directory):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode = monitor, mode
        self.weights_path = Path(directory) / "best.weights.h5"
        self.record_path = Path(directory) / "best.json"
        self.best = None

    def on_train_begin(self, logs=None):
        if self.record_path.exists() and self.weights_path.exists():
            self.best = read_json(self.record_path)["value"]

    def _improves(self, value):
        if self.best is None:
            return True
        return value < self.best if self.mode == "min" else value > self.best

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None or math.isnan(value) or not self._improves(value):
            return
        self.best = float(value)
        with atomic_path(self.weights_path) as tmp:
            self.model.save_weights(tmp)
        record = {"monitor": self.monitor, "value": self.best, "epoch": epoch + 1}
        write_json(self.record_path, record)

    def on_train_end(self, logs=None):
        if self.weights_path.exists():
            self.model.load_weights(self.weights_path)


class KeepSeedStates(keras.callbacks.Callback):
    """Checkpoint the random-seed states of dropout with the weights every epoch.

    Keras' weight files leave them out, and without them a resumed run would draw other dropout
    masks than the uninterrupted run.
    """

    def __init__(self, path, restore):
        super().__init__()
        self.path = Path(path)
        self.restore = restore

    def _states(self):
        return [v for v in self.model.variables if v.path.endswith("seed_generator_state")]

    def on_train_begin(self, logs=None):
        if self.restore and self.path.exists():
            with np.load(self.path) as saved:
                for i, variable in enumerate(self._states()):
                    variable.assign(saved[f"s{i}"])

    def on_epoch_end(self, epoch, logs=None):
        states = {f"s{i}": keras.ops.convert_to_numpy(v) for i, v in enumerate(self._states())}
        with atomic_path(self.path) as tmp:
            np.savez(tmp, **states)


class StopOnNaN(keras.callbacks.Callback):
    """Stop at the first NaN or infinite loss and remember where it happened."""

    def __init__(self):
        super().__init__()
        self.epoch = 0
        self.where = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.where = (self.epoch + 1, batch + 1)
            self.model.stop_training = True


def fit(
    model,
    train,
    val_ds=None,
    *,
    epochs,
    out_dir,
    resume=False,
    monitor="val_loss",
    mode="min",
    callbacks=(),
    verbose=None,
    chief=True,
):
    """Train a compiled model for `epochs`, checkpointing every epoch under `out_dir/checkpoints`.

    `train` is a batched `tf.data.Dataset`, or an `EpochStream`, whose epochs are shuffled by
    (seed, epoch) so that a resumed run trains on exactly the batches the uninterrupted run would.

    With `resume`, training continues from the last checkpoint (weights, optimizer state and
    epoch); without it, old checkpoints are cleared. The weights of the best epoch by `monitor`
    are loaded at the end. TensorBoard logs go to `out_dir/logs`. A process that is not the chief
    of a multi-worker run keeps its checkpoints and logs in a temporary folder. `verbose` None
    shows Keras' progress bar on a terminal and one line per epoch otherwise (a log file).

    Raises:
        InputError: `resume` found nothing to resume from.
        TrainingError: the loss became NaN.
    """
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    work = Path(out_dir) if chief else Path(tempfile.mkdtemp(prefix="worker-"))
    checkpoints = work / "checkpoints"
    backup = checkpoints / "backup"
    if resume and chief and not backup.exists():
        raise InputError(f"--resume: no checkpoints in {checkpoints}; train without --resume first")
    if not resume and checkpoints.exists():
        shutil.rmtree(checkpoints)
    checkpoints.mkdir(parents=True, exist_ok=True)
    if val_ds is None and monitor.startswith("val_"):
        monitor = monitor[len("val_") :]
    if val_ds is not None:
        val_ds = _with_known_size(val_ds)
    nan_guard = StopOnNaN()
    steps_per_epoch = None
    if isinstance(train, EpochStream):
        steps_per_epoch = train.steps_per_epoch
        train = train.stream(_resumed_epoch(backup) if resume else 0, epochs)
    multiworker = isinstance(model.distribute_strategy, tf.distribute.MultiWorkerMirroredStrategy)
    local_build = (
        symbolic_build_skipped(model, next(iter(train.take(1))))
        if multiworker
        else contextlib.nullcontext()
    )
    with local_build:
        history = _fit(model, train, val_ds, epochs, steps_per_epoch, verbose, [
            nan_guard,
            keras.callbacks.BackupAndRestore(str(backup), delete_checkpoint=False),
            KeepSeedStates(checkpoints / "seed_states.npz", restore=resume),
            KeepBest(monitor, mode, checkpoints),
            keras.callbacks.TensorBoard(log_dir=str(work / "logs"), write_graph=False),
            *callbacks,
        ])
    if not chief:
        shutil.rmtree(work, ignore_errors=True)
    if nan_guard.where is not None:
        epoch, batch = nan_guard.where
        raise TrainingError(
            f"training stopped: the loss became NaN at epoch {epoch}, batch {batch}; "
            "lower the learning rate or clip the gradients"
        )
    return history


def _fit(model, train, val_ds, epochs, steps_per_epoch, verbose, callbacks):
    return model.fit(
        train,
        validation_data=val_ds,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        verbose=verbose,
        shuffle=False,  # the apps' pipelines shuffle, seeded
        callbacks=callbacks,
    )


def _with_known_size(dataset):
    """The dataset with its number of batches stated (bucketed batching loses it), without
    which Keras warns that the input "ran out of data" at the end of the first validation."""
    if dataset.cardinality() != tf.data.UNKNOWN_CARDINALITY:
        return dataset
    batches = int(dataset.reduce(0, lambda n, _: n + 1))
    return dataset.apply(tf.data.experimental.assert_cardinality(batches))


def _resumed_epoch(backup):
    """The epoch a resumed run starts at, as `BackupAndRestore` recorded it."""
    metadata = backup / "training_metadata.json"
    return read_json(metadata)["epoch"] if metadata.exists() else 0


def save_keras(model, path):
    """Save a `.keras` model atomically."""
    with atomic_path(path) as tmp:
        model.save(tmp)


def load_keras(path):
    """Load a `.keras` model in safe mode; a missing or unreadable file is the user's to fix."""
    import layers  # noqa: F401  (registers the custom cells before deserializing)

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such model file; train one first")
    try:
        return keras.saving.load_model(path, safe_mode=True)
    except Exception as error:  # noqa: BLE001  (any failure to read is reported the same way)
        raise InputError(f"{path}: not a readable Keras model ({type(error).__name__})") from None
