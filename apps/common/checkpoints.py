"""Checkpoints that a kill cannot tear, and the record that `--resume` checks a run against.

    DIR/checkpoints/run.json          the run: app, settings and a fingerprint of its data
    DIR/checkpoints/epoch-000007/     the last finished epoch, written whole, then renamed:
        state.npz                     every variable of the model (weights and dropout seed
                                      states) and of its optimizer, in order
        state.json                    the epoch count and every checkpointed callback's record
        best.npz, ...                 what the callbacks keep (`Checkpointed`)
    DIR/checkpoints/best.json         a copy of the best epoch's record, to read

Keras writes `.weights.h5` in place, so a kill during the write used to leave a torn file. Here
each epoch goes into a new temporary folder that is renamed to its final name once complete (a
rename is atomic), and older epochs are removed after it: whenever the run stops, the newest
`epoch-*` folder is whole and consistent (weights, optimizer, seed states and every callback's
record from the same epoch). The variables are NumPy arrays in a `.npz` read with
allow_pickle=False: a full disk is a plain `OSError` (h5py crashes the process on one), and a
planted pickle is refused, never run.
"""

import json
import os
import shutil
from pathlib import Path

import keras
import numpy as np

from apps.common.atomic import atomic_dir, read_json, remove_stale_in, write_json
from datasets.errors import InputError

RUN_RECORD = "run.json"
WEIGHTS = "state.npz"
STATE = "state.json"
PREFIX = "epoch-"
# Settings a resumed run may change: more epochs continue training past the first run's end.
MAY_CHANGE = ("epochs",)


class Checkpointed:
    """A callback whose state goes into every epoch's checkpoint, and comes back on --resume.

    `checkpoint_state()` returns a JSON-ready dict and `restore_checkpoint_state(state)` takes
    it back; `save_checkpoint_files(folder, previous)` may add files to the epoch's folder
    (`previous`: the last epoch's folder, or None) and `restore_checkpoint_files(folder)` read
    them back. `checkpoint_key` names the callback in state.json.
    """

    checkpoint_key = None

    def checkpoint_state(self):
        return {}

    def restore_checkpoint_state(self, state):
        pass

    def save_checkpoint_files(self, folder, previous):
        pass

    def restore_checkpoint_files(self, folder):
        pass

    def checkpoint_committed(self, folder):
        """Called once the epoch's folder is in place."""


def epochs(directory):
    """The finished epochs' folders in `directory`, oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = [p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    return sorted(found, key=lambda p: p.name)


def latest(directory):
    """The newest finished epoch's folder, or None."""
    found = epochs(directory)
    return found[-1] if found else None


def resumed_epoch(directory):
    """How many epochs the newest checkpoint has finished (0 without one)."""
    folder = latest(directory)
    if folder is None:
        return 0
    state = _state(folder)
    return state["epoch"]


def _state(folder):
    state = read_json(folder / STATE)
    if not isinstance(state, dict) or not isinstance(state.get("epoch"), int):
        raise InputError(f"{folder / STATE}: damaged checkpoint; train without --resume")
    return state


class EpochCheckpoint(keras.callbacks.Callback):
    """Write the whole training state at the end of every epoch as one new folder, and restore
    it when training begins with `restore`.

    Put it after every `Checkpointed` callback in the list, so that their epoch-end updates are
    in the epoch's checkpoint.

    Args:
        directory: the checkpoints folder.
        participants: the `Checkpointed` callbacks whose state is kept with the weights.
        restore: whether to continue from the newest checkpoint.
    """

    def __init__(self, directory, participants=(), restore=False):
        super().__init__()
        self.directory = Path(directory)
        self.participants = list(participants)
        self.restore = restore

    def on_train_begin(self, logs=None):
        if not self.restore:
            return
        folder = latest(self.directory)
        if folder is None:
            return
        state = _state(folder)
        optimizer = self.model.optimizer
        if optimizer is not None and not optimizer.built:
            optimizer.build(self.model.trainable_variables)
        _loading(folder / WEIGHTS, lambda path: load_variables(self.model, path))
        for participant in self.participants:
            participant.restore_checkpoint_state(state.get(participant.checkpoint_key, {}))
            _loading(folder, participant.restore_checkpoint_files)
        self.model._initial_epoch = state["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        previous = latest(self.directory)
        final = self.directory / f"{PREFIX}{epoch + 1:06d}"
        remove_stale_in(self.directory)
        # Written whole beside `final`, then swapped in; an epoch folder already there (a later
        # epoch of a run resumed from before it) is outdated and goes.
        with atomic_dir(final) as tmp:
            save_variables(self.model, tmp / WEIGHTS)
            state = {"epoch": epoch + 1}
            for participant in self.participants:
                state[participant.checkpoint_key] = participant.checkpoint_state()
                participant.save_checkpoint_files(tmp, previous)
            (tmp / STATE).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")
        for participant in self.participants:
            participant.checkpoint_committed(final)
        for older in epochs(self.directory)[:-1]:
            shutil.rmtree(older, ignore_errors=True)


def save_variables(model, path, optimizer=True):
    """Every variable of `model` (weights, seed states) and, with `optimizer`, of its optimizer,
    as arrays in the `.npz` file `path`."""
    groups = [("m", model.variables)]
    if optimizer and model.optimizer is not None:
        groups.append(("o", model.optimizer.variables))
    arrays = {
        f"{prefix}{i}": keras.ops.convert_to_numpy(variable)
        for prefix, variables in groups
        for i, variable in enumerate(variables)
    }
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def load_variables(model, path, optimizer=True):
    """Assign what `save_variables` wrote back to `model` (and its optimizer), after checking
    that every array fits its variable.

    Raises:
        ValueError: the file holds other variables than the model's.
    """
    with np.load(path, allow_pickle=False) as saved:  # a pickle is refused, never run
        arrays = {name: saved[name] for name in saved.files}
    groups = [("m", model.variables)]
    if optimizer and model.optimizer is not None:
        groups.append(("o", model.optimizer.variables))
    pairs = []
    for prefix, variables in groups:
        names = sorted((n for n in arrays if n.startswith(prefix)), key=lambda n: int(n[1:]))
        if len(names) != len(variables):
            raise ValueError(f"{len(names)} arrays for {len(variables)} variables")
        for name, variable in zip(names, variables, strict=True):
            if tuple(arrays[name].shape) != tuple(variable.shape):
                raise ValueError(f"{variable.path}: shape {arrays[name].shape}, expected "
                                 f"{tuple(variable.shape)}")
            pairs.append((variable, arrays[name]))
    for variable, value in pairs:
        variable.assign(value)


def _loading(path, load):
    """Run `load(path)`; whatever a damaged checkpoint file raises becomes one line."""
    try:
        load(path)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001  (a torn or foreign file fails in many ways)
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise InputError(
            f"{path}: damaged checkpoint ({reason}); train without --resume"
        ) from None


def link_or_copy(source, target):
    """Put `source` at `target` as a hard link (no copy on disk), or a copy where links fail."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


# -- The run record that --resume checks ---------------------------------------------------------


def start_record(directory, record):
    """Begin a fresh run: clear `directory` and write the run's record into it."""
    directory = Path(directory)
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    if record is not None:
        write_json(directory / RUN_RECORD, record)


def check_resume(directory, record):
    """Check that a resumed run is the run its checkpoints were written by: the same app, the
    same settings (but `MAY_CHANGE`) and the same data.

    Raises:
        InputError: no checkpoints, checkpoints of an earlier version, or what differs.
    """
    directory = Path(directory)
    if latest(directory) is None:
        if (directory / "backup").is_dir():
            raise InputError(
                f"--resume: the checkpoints in {directory} were written by an earlier version; "
                "train without --resume"
            )
        raise InputError(f"--resume: no checkpoints in {directory}; train without --resume first")
    if record is None:
        return
    path = directory / RUN_RECORD
    if not path.is_file():
        raise InputError(f"--resume: {path} is missing; train without --resume")
    stored = read_json(path)
    if not isinstance(stored, dict):
        raise InputError(f"{path}: damaged; train without --resume")
    if stored.get("app") != record["app"]:
        raise InputError(
            f"--resume: the checkpoints in {directory} are a {stored.get('app')} run's, not "
            f"{record['app']}'s; train without --resume or choose another --out"
        )
    before, now = stored.get("config", {}), record["config"]
    changed = [
        f"{key} {_shown(before.get(key))} → {_shown(now.get(key))}"
        for key in sorted(set(before) | set(now))
        if key not in MAY_CHANGE and before.get(key) != now.get(key)
    ]
    if changed:
        raise InputError(
            f"--resume: the settings differ from the checkpoint's ({'; '.join(changed)}); "
            "give the same flags, or train without --resume"
        )
    if record.get("data") is not None and stored.get("data") != record["data"]:
        raise InputError(
            "--resume: the training data differ from the checkpoint's (another file, or the "
            "file changed); give the same data, or train without --resume"
        )


def _shown(value):
    return json.dumps(value, ensure_ascii=False)
