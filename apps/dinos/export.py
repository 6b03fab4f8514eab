"""The SavedModel, and reading a trained model folder back for `sample` and `score`.

The folder (see `apps.common.model_folder`) holds model.keras, config.json, vocab.json
({"chars": [...]}) and names.txt (the training names, for --novel); export/1/ is the SavedModel
with the `sample` and `score` signatures of `apps.dinos.sampling.CharModel`, and
`serving_default`, the one TF Serving calls when a request names none: `sample`.
"""

import tensorflow as tf

from apps.common.model_folder import read_model_folder
from apps.dinos.config import Config
from apps.dinos.data import Vocabulary
from apps.dinos.sampling import CharModel
from datasets.errors import InputError

NAMES_FILE = "names.txt"


def save_savedmodel(char_model, path):
    """Save `char_model` into the empty folder `path` with the `sample`, `score` and
    `serving_default` (= `sample`) signatures."""
    tf.saved_model.save(
        char_model,
        str(path),
        signatures={
            "serving_default": char_model.sample,
            "sample": char_model.sample,
            "score": char_model.score,
        },
    )


def load_trained(model_dir):
    """(CharModel, Vocabulary, Config, training names) from a folder `train` wrote.

    Raises:
        InputError: the folder or one of its files is missing or unreadable.
    """
    trained = read_model_folder(model_dir, "dinos")
    config = Config.from_dict(trained.config, source=trained.path / "config.json")
    chars = trained.vocabularies.get("chars")
    if chars is None:
        raise InputError(f"{trained.path / 'vocab.json'}: no 'chars' vocabulary")
    vocab = Vocabulary(chars)
    names = _read_names(trained.path / NAMES_FILE)
    return CharModel(trained.model, vocab, config), vocab, config, names


def _read_names(path):
    """The training names, one per line; a text model's file is empty."""
    try:
        return {line for line in path.read_text(encoding="utf-8").split("\n") if line}
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; train the model again") from None
