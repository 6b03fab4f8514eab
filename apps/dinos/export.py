"""What a trained model leaves in its folder, and how the CLI reads it back.

    DIR/model.keras   the Keras model        DIR/vocab.json    the vocabulary
    DIR/config.json   the Config             DIR/names.txt     the training names (for --novel)
    DIR/export/       the SavedModel: `sample` and `score` signatures, see `CharModel`
"""

from pathlib import Path

import tensorflow as tf

from apps.common.export import atomic_dir, atomic_file, read_json, write_json
from apps.common.training import load_keras, save_keras
from apps.dinos.config import Config
from apps.dinos.data import Vocabulary
from apps.dinos.sampling import CharModel
from datasets.errors import InputError

MODEL_FILE = "model.keras"
VOCAB_FILE = "vocab.json"
CONFIG_FILE = "config.json"
NAMES_FILE = "names.txt"
EXPORT_DIR = "export"


def save_savedmodel(char_model, path):
    """Save `char_model` as a SavedModel with the `sample` and `score` signatures, atomically."""
    with atomic_dir(path) as tmp:
        tf.saved_model.save(
            char_model,
            str(tmp),
            signatures={"sample": char_model.sample, "score": char_model.score},
        )


def write_outputs(out, model, vocab, config, names):
    """Write the model folder; every file appears whole or not at all."""
    out = Path(out)
    save_keras(model, out / MODEL_FILE)
    vocab.save(out / VOCAB_FILE)
    write_json(out / CONFIG_FILE, config.to_dict())
    with atomic_file(out / NAMES_FILE) as handle:
        handle.writelines(f"{name}\n" for name in names)
    save_savedmodel(CharModel(model, vocab, config), out / EXPORT_DIR)


def load_trained(model_dir):
    """(CharModel, Vocabulary, Config, training names) from a folder `train` wrote.

    Raises:
        InputError: the folder or one of its files is missing or unreadable.
    """
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise InputError(f"{model_dir}: no such model folder; run `python -m apps.dinos train`")
    config = Config.from_dict(read_json(model_dir / CONFIG_FILE), source=model_dir / CONFIG_FILE)
    vocab = Vocabulary.load(model_dir / VOCAB_FILE)
    model = load_keras(model_dir / MODEL_FILE)
    return CharModel(model, vocab, config), vocab, config, _read_names(model_dir / NAMES_FILE)


def _read_names(path):
    """The training names, one per line; a text model's file is empty."""
    try:
        return {line for line in path.read_text(encoding="utf-8").split("\n") if line}
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; train the model again") from None
