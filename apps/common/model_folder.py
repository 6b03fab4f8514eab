"""The model folder every app's `train --out DIR` writes and its other verbs read back.

    DIR/model.keras      the trained Keras model (loaded in safe mode)
    DIR/config.json      the settings the run was given: the app's config dataclass, as is
    DIR/vocab.json       every vocabulary, {name: [entries in index order]}
    DIR/facts.json       what training found in the data (tags, scheme, meter, progression, …)
    DIR/export/1/        the SavedModel, version 1 (TF Serving's --model_base_path is DIR/export)
    DIR/manifest.json    the app, and the size and SHA-256 of every file above; written last
    DIR/checkpoints/, DIR/logs/   the training run's state (--resume, TensorBoard), not the model

The whole folder is written in a temporary folder beside DIR and swapped in by one rename
(`apps.common.atomic.replace_dir`): whatever stops the run, DIR is the old model, byte for byte,
or the new one, whole. Reading checks every file against the manifest, so an edited, truncated
or mixed-in file is one clear error instead of a model that runs wrong.
"""

import contextlib
import contextvars
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from apps.common.atomic import atomic_dir, read_json, remove_stale, write_json
from apps.common.errors import writing
from apps.common.lock import exclusive
from datasets.errors import InputError

MODEL_FILE = "model.keras"
CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.json"
FACTS_FILE = "facts.json"
MANIFEST_FILE = "manifest.json"
EXPORT_DIR = "export"
EXPORT_VERSION = "1"
RUN_STATE = ("checkpoints", "logs")  # the run's working state: kept across a replacement
FORMAT = 1
# What a folder written before manifests existed may hold (dinos kept names.txt beside it).
EARLIER_FILES = {MODEL_FILE, CONFIG_FILE, VOCAB_FILE, FACTS_FILE, EXPORT_DIR, "names.txt"}

_APP = contextvars.ContextVar("model_folder_app", default=None)


@dataclass
class Trained:
    """What a model folder holds, read back: the Keras model, the config's dict, the
    vocabularies and the facts."""

    model: object
    config: dict
    vocabularies: dict
    facts: dict
    path: Path


@contextlib.contextmanager
def writing_for(app):
    """Model folders written in the body belong to `app` (the training run sets it)."""
    token = _APP.set(app)
    try:
        yield
    finally:
        _APP.reset(token)


def export_path(model_dir):
    """The SavedModel of a model folder: `export/1/` (or `export/` in a folder written before
    version folders existed)."""
    export = Path(model_dir) / EXPORT_DIR
    if (export / "saved_model.pb").is_file():
        return export
    return export / EXPORT_VERSION


def write_model_folder(
    out, *, model, config, vocabularies, facts, export=None, texts=None, app=None
):
    """Write the model folder `out` whole, replacing the one there in one step.

    Args:
        out: the folder (created if missing; its checkpoints and logs move into the new one).
        model: the Keras model to save as `model.keras`.
        config: the run's settings, a dict (the app config's `to_dict()`).
        vocabularies: {name: list of str} in index order.
        facts: a JSON-ready dict of what training found in the data.
        export: a function path → None that writes the SavedModel into an empty folder.
        texts: {file name: text} of further files an app keeps beside the model.
        app: the app the model belongs to; by default the training run's (`writing_for`).

    Raises:
        OSError: the folder cannot be written (read-only, full disk); `out` is left as it was.
    """
    app = app or _APP.get()
    if not app:
        raise ValueError("write_model_folder: which app's model is it? pass app=")
    from apps.common.training import save_keras

    out = Path(out)
    with writing(out, "the model folder"), atomic_dir(out, carry=RUN_STATE) as tmp:
        save_keras(model, tmp / MODEL_FILE)
        vocab = {name: list(entries) for name, entries in vocabularies.items()}
        write_json(tmp / VOCAB_FILE, vocab)
        write_json(tmp / FACTS_FILE, facts)
        for name, text in (texts or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        if export is not None:
            version = tmp / EXPORT_DIR / EXPORT_VERSION
            version.mkdir(parents=True)
            export(version)
        write_json(tmp / CONFIG_FILE, config)
        write_json(tmp / MANIFEST_FILE, {"app": app, "format": FORMAT, "files": _listing(tmp)})


def read_model_folder(path, app):
    """The `Trained` contents of a folder that `python -m apps.<app> train` wrote, each file
    checked against the folder's manifest.

    Raises:
        InputError: the folder is missing, another app's, or a file in it is missing, changed
            or unreadable.
    """
    from apps.common.training import load_keras

    path = Path(path)
    check_model_folder(path, app)
    config = read_object(path / CONFIG_FILE)
    vocabularies = read_object(path / VOCAB_FILE)
    for name, entries in vocabularies.items():
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise InputError(f"{path / VOCAB_FILE}: vocabulary {name!r} is not a list of strings")
    facts = read_object(path / FACTS_FILE) if (path / FACTS_FILE).is_file() else {}
    model = load_keras(path / MODEL_FILE)
    return Trained(model, config, vocabularies, facts, path)


def check_model_folder(path, app):
    """Check that `path` is a whole model folder of `app`: every file the manifest lists is
    there, with its size and hash, and the SavedModel holds nothing else. Returns the manifest
    (None for a folder written before manifests, which is only checked for its config).

    Raises:
        InputError: naming the folder or the file that is wrong.
    """
    path = Path(path)
    if not path.exists():
        remove_stale(path)  # a replacement cut between its two renames puts the old one back
    if path.exists() and not path.is_dir():
        raise InputError(f"{path}: a file, not a model folder")
    manifest_path = path / MANIFEST_FILE
    if not manifest_path.is_file():
        if not (path / CONFIG_FILE).is_file():
            raise InputError(
                f"{path}: no trained model here (no {CONFIG_FILE}); "
                f"run `python -m apps.{app} train --out {path}` first"
            )
        return None
    manifest = _manifest(manifest_path)
    owner = manifest["app"]
    if owner != app:
        raise InputError(
            f"{path}: a {owner} model, not a {app} model; use it with python -m apps.{owner}"
        )
    files = manifest["files"]
    for name, expected in sorted(files.items()):
        file = path / name
        if not file.is_file():
            raise InputError(f"{file}: missing from the model folder (listed in {MANIFEST_FILE})")
        if file.stat().st_size != expected["bytes"] or _sha256(file) != expected["sha256"]:
            raise InputError(
                f"{file}: changed since training (not the file {MANIFEST_FILE} lists); "
                "train again, or put back the file training wrote"
            )
    export = path / EXPORT_DIR
    if export.is_dir():
        extra = sorted(
            rel for rel in _files(export, prefix=EXPORT_DIR) if rel not in files
        )
        if extra:
            raise InputError(
                f"{path / extra[0]}: not written by training ({len(extra)} such file(s) in "
                f"{export}); a SavedModel must be served as trained"
            )
    return manifest


def folder_app(path):
    """The app whose model the folder holds, from its manifest; None if it has none."""
    manifest_path = Path(path) / MANIFEST_FILE
    if not manifest_path.is_file():
        return None
    try:
        return _manifest(manifest_path)["app"]
    except InputError:
        return None


def check_replaceable(out, app, *, config_class=None, force=False):
    """Refuse to train into `out` when that would destroy what training did not write: a file,
    another app's model, or a folder holding the user's own files; `force` allows the last two.

    A folder from before manifests counts as `app`'s when its config.json reads as
    `config_class` (the app's config dataclass).

    Raises:
        InputError: naming the folder and what is in it.
    """
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(f"{out}: not a folder; choose another --out")
    if not out.exists() or force:
        return
    entries = sorted(set(os.listdir(out)) - set(RUN_STATE))
    if entries:
        _check_contents(out, app, entries, config_class)
    record = out / "checkpoints" / "run.json"
    if record.is_file():
        owner = read_json(record)
        owner = owner.get("app") if isinstance(owner, dict) else None
        if owner not in (None, app):
            raise InputError(
                f"{out}: holds the checkpoints of a {owner} run; --force replaces them, or "
                "choose another --out"
            )


def _check_contents(out, app, entries, config_class):
    manifest_path = out / MANIFEST_FILE
    if manifest_path.is_file():
        try:
            manifest = _manifest(manifest_path)
        except InputError as error:
            raise InputError(f"{error}; --force replaces the folder") from None
        if manifest["app"] != app:
            raise InputError(
                f"{out}: holds a {manifest['app']} model; --force replaces it with a {app} "
                "model, or choose another --out"
            )
        ours = {name.split("/", 1)[0] for name in manifest["files"]} | {MANIFEST_FILE}
    elif (out / CONFIG_FILE).is_file() and set(entries) <= EARLIER_FILES:
        _check_earlier_config(out, app, config_class)
        ours = EARLIER_FILES
    else:
        ours = set()
    foreign = [name for name in entries if name not in ours]
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        shown = ", ".join(foreign[:3]) + more
        raise InputError(
            f"{out}: holds files training did not write ({shown}); --force replaces the "
            "folder and deletes them, or choose another --out"
        )


@contextlib.contextmanager
def claim(out, app, *, config_class=None, force=False):
    """Hold `out` for one training run of `app`: lock it against other runs, check that it may
    be replaced (`check_replaceable`), and clean what killed runs left beside it."""
    out = Path(out)
    with exclusive(out):
        remove_stale(out)
        check_replaceable(out, app, config_class=config_class, force=force)
        yield


def _check_earlier_config(out, app, config_class):
    if config_class is None:
        return
    try:
        config_class.from_dict(read_json(out / CONFIG_FILE), source=out / CONFIG_FILE)
    except InputError as error:
        raise InputError(
            f"{out}: does not hold a {app} model ({error}); --force replaces it, or choose "
            "another --out"
        ) from None


def _listing(folder):
    return {
        rel: {"bytes": (folder / rel).stat().st_size, "sha256": _sha256(folder / rel)}
        for rel in sorted(_files(folder))
        if rel != MANIFEST_FILE
    }


def _files(folder, prefix=""):
    folder = Path(folder)
    for root, _, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), folder)
            yield f"{prefix}/{rel}" if prefix else rel


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest(path):
    manifest = read_object(path)
    files = manifest.get("files")
    well_formed = (
        isinstance(manifest.get("app"), str)
        and isinstance(files, dict)
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("bytes"), int)
            and isinstance(entry.get("sha256"), str)
            and not os.path.isabs(name)
            and ".." not in Path(name).parts
            for name, entry in files.items()
        )
    )
    if not well_formed:
        raise InputError(f"{path}: not a manifest this version wrote")
    return manifest


def read_object(path):
    """A JSON object file of the folder; anything else is one `InputError` naming it."""
    value = read_json(path)
    if not isinstance(value, dict):
        raise InputError(f"{path}: expected a JSON object")
    return value
