"""The model folder every app's `train --out DIR` writes and its other verbs read back.

    DIR/model.keras    the trained Keras model (loaded in safe mode)
    DIR/config.json    the settings the run was given: the app's config dataclass, as is
    DIR/vocab.json     every vocabulary, {name: [entries in index order]}
    DIR/facts.json     what training found in the data (tags, scheme, meter, progression, …)
    DIR/export/        the SavedModel, which serves without this project's code
    DIR/checkpoints/, DIR/logs/   written while training (--resume, TensorBoard)

Each file is written atomically and `config.json` goes last, so a folder that has it is whole.
"""

from dataclasses import dataclass
from pathlib import Path

from apps.common.atomic import atomic_dir, atomic_file, read_json, write_json
from datasets.errors import InputError

MODEL_FILE = "model.keras"
CONFIG_FILE = "config.json"
VOCAB_FILE = "vocab.json"
FACTS_FILE = "facts.json"
EXPORT_DIR = "export"


@dataclass
class Trained:
    """What a model folder holds, read back: the Keras model, the config's dict, the
    vocabularies and the facts."""

    model: object
    config: dict
    vocabularies: dict
    facts: dict
    path: Path


def write_model_folder(out, *, model, config, vocabularies, facts, export=None, texts=None):
    """Write the model folder `out`; each file appears whole or not at all.

    Args:
        out: the folder (created if missing; checkpoints and logs in it are kept).
        model: the Keras model to save as `model.keras`.
        config: the run's settings, a dict (the app config's `to_dict()`).
        vocabularies: {name: list of str} in index order.
        facts: a JSON-ready dict of what training found in the data.
        export: a function path → None that writes the SavedModel into an empty folder.
        texts: {file name: text} of further files an app keeps beside the model.
    """
    from apps.common.training import save_keras

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    save_keras(model, out / MODEL_FILE)
    write_json(out / VOCAB_FILE, {name: list(entries) for name, entries in vocabularies.items()})
    write_json(out / FACTS_FILE, facts)
    for name, text in (texts or {}).items():
        with atomic_file(out / name) as handle:
            handle.write(text)
    if export is not None:
        with atomic_dir(out / EXPORT_DIR) as tmp:
            export(tmp)
    write_json(out / CONFIG_FILE, config)


def read_model_folder(path, app):
    """The `Trained` contents of a folder that `python -m apps.<app> train` wrote.

    Raises:
        InputError: the folder, or one of its files, is missing or unreadable.
    """
    from apps.common.training import load_keras

    path = Path(path)
    if not (path / CONFIG_FILE).is_file():
        raise InputError(
            f"{path}: no trained model here (no {CONFIG_FILE}); "
            f"run `python -m apps.{app} train --out {path}` first"
        )
    config = _object(path / CONFIG_FILE)
    vocabularies = _object(path / VOCAB_FILE)
    for name, entries in vocabularies.items():
        if not isinstance(entries, list):
            raise InputError(f"{path / VOCAB_FILE}: vocabulary {name!r} is not a list")
    facts = _object(path / FACTS_FILE) if (path / FACTS_FILE).is_file() else {}
    model = load_keras(path / MODEL_FILE)
    return Trained(model, config, vocabularies, facts, path)


def _object(path):
    value = read_json(path)
    if not isinstance(value, dict):
        raise InputError(f"{path}: expected a JSON object")
    return value
