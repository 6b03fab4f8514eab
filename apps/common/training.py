"""The training loop every app shares: checkpoints, resume, best weights, NaN guard, logs."""

import contextlib
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import keras
import tensorflow as tf

from apps.common import checkpoints
from apps.common.atomic import atomic_path, read_json, write_json
from apps.common.checkpoints import Checkpointed, link_or_copy
from apps.common.data import EpochStream
from apps.common.errors import TrainingError, writing
from datasets.errors import InputError
from layers._compat import symbolic_build_skipped


class KeepBest(Checkpointed, keras.callbacks.Callback):
    """Keep the weights of the best epoch by `monitor` and load them when training ends.

    The weights are saved when the epoch's metrics are known (before any later callback could
    change them) and go into that epoch's checkpoint; later checkpoints hard-link the file (no
    copy), so a resumed run still knows the best epoch before it.
    """

    checkpoint_key = "best"
    WEIGHTS = "best.npz"
    RECORD = "best.json"

    def __init__(self, monitor, mode, directory):
        super().__init__()
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode = monitor, mode
        self.directory = Path(directory)
        self.best = None
        self.best_epoch = None
        self.pending = None  # this epoch's weights, when they are the best so far

    def _improves(self, value):
        if self.best is None:
            return True
        return value < self.best if self.mode == "min" else value > self.best

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None or math.isnan(value) or not self._improves(value):
            return
        self.best, self.best_epoch = float(value), epoch + 1
        fd, name = tempfile.mkstemp(
            prefix=f".{self.WEIGHTS}.tmp-{os.getpid()}-", suffix=".npz", dir=self.directory
        )
        os.close(fd)
        self.pending = Path(name)
        checkpoints.save_variables(self.model, self.pending, optimizer=False)

    def checkpoint_state(self):
        return {"monitor": self.monitor, "value": self.best, "epoch": self.best_epoch}

    def restore_checkpoint_state(self, state):
        self.best, self.best_epoch = state.get("value"), state.get("epoch")

    def save_checkpoint_files(self, folder, previous):
        if self.pending is not None:
            os.replace(self.pending, folder / self.WEIGHTS)
            self.pending = None
        elif previous is not None and (previous / self.WEIGHTS).exists():
            link_or_copy(previous / self.WEIGHTS, folder / self.WEIGHTS)
        if self.best is not None:
            write_json(folder / self.RECORD, self.checkpoint_state())

    def checkpoint_committed(self, folder):
        if (folder / self.RECORD).exists():
            write_json(self.directory / self.RECORD, read_json(folder / self.RECORD))

    def on_train_end(self, logs=None):
        folder = checkpoints.latest(self.directory)
        if folder is not None and (folder / self.WEIGHTS).exists():
            checkpoints.load_variables(self.model, folder / self.WEIGHTS, optimizer=False)


class ResumableEarlyStopping(Checkpointed, keras.callbacks.EarlyStopping):
    """`keras.callbacks.EarlyStopping` whose count of stale epochs and best value go into every
    epoch's checkpoint, so a run resumed with --resume stops where the uninterrupted run would
    (Keras' own starts counting afresh). Without `restore_best_weights`: `fit` keeps the best
    epoch's weights itself (`KeepBest`)."""

    checkpoint_key = "early_stopping"

    def checkpoint_state(self):
        best = None if self.best is None else float(self.best)
        return {"wait": self.wait, "best": best, "best_epoch": self.best_epoch}

    def restore_checkpoint_state(self, state):
        if state:
            self.wait, self.best_epoch = state["wait"], state["best_epoch"]
            self.best = state["best"]


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
    record=None,
):
    """Train a compiled model for `epochs`, checkpointing every epoch under `out_dir/checkpoints`
    (`apps.common.checkpoints`).

    `train` is a batched `tf.data.Dataset`, or an `EpochStream`, whose epochs are shuffled by
    (seed, epoch) so that a resumed run trains on exactly the batches the uninterrupted run would.

    With `resume`, training continues from the last checkpoint (weights, optimizer state, seed
    states, epoch and the state of every `Checkpointed` callback); without it, old checkpoints
    are cleared and `record` (the run's app, settings and data fingerprint, see
    `apps.common.run`) is written for a later --resume to check against. The weights of the best
    epoch by `monitor` are loaded at the end. TensorBoard logs go to `out_dir/logs`. A process
    that is not the chief of a multi-worker run keeps its checkpoints and logs in a temporary
    folder. `verbose` None shows Keras' progress bar on a terminal and one line per epoch
    otherwise (a log file).

    Raises:
        InputError: `resume` found nothing to resume from, or a run other than `record`'s.
        TrainingError: the loss became NaN.
    """
    if verbose is None:
        verbose = 1 if sys.stdout.isatty() else 2
    work = Path(out_dir) if chief else Path(tempfile.mkdtemp(prefix="worker-"))
    directory = work / "checkpoints"
    if resume and chief:
        checkpoints.check_resume(directory, record)
    if not resume:
        checkpoints.start_record(directory, record)
    directory.mkdir(parents=True, exist_ok=True)
    if val_ds is None and monitor.startswith("val_"):
        monitor = monitor[len("val_") :]
    if val_ds is not None:
        val_ds = _with_known_size(val_ds)
    nan_guard = StopOnNaN()
    steps_per_epoch = None
    if isinstance(train, EpochStream):
        steps_per_epoch = train.steps_per_epoch
        train = train.stream(checkpoints.resumed_epoch(directory) if resume else 0, epochs)
    multiworker = isinstance(model.distribute_strategy, tf.distribute.MultiWorkerMirroredStrategy)
    local_build = (
        symbolic_build_skipped(model, next(iter(train.take(1))))
        if multiworker
        else contextlib.nullcontext()
    )
    best = KeepBest(monitor, mode, directory)
    stateful = [best, *(c for c in callbacks if isinstance(c, Checkpointed))]
    with local_build, writing(work, "the training checkpoints or logs"):
        history = _fit(model, train, val_ds, epochs, steps_per_epoch, verbose, [
            nan_guard,
            best,
            keras.callbacks.TensorBoard(log_dir=str(work / "logs"), write_graph=False),
            *callbacks,
            # Last, so that the epoch's checkpoint holds every callback's update of that epoch.
            checkpoints.EpochCheckpoint(directory, stateful, restore=resume),
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
