"""A trained tagger's folder: what `train --out DIR` writes and `evaluate`/`tag --model DIR` read.

    DIR/tagger.keras       the Keras model, token strings → tag probabilities
    DIR/config.json        TaggerConfig: settings, tags, the data's scheme
    DIR/vocab/words.txt    word keys, chars.txt characters, tags.txt the model's classes
    DIR/export/            the SavedModel with the `tag` signature
    DIR/checkpoints/, DIR/logs/   written while training (resume, TensorBoard)

Every file is written atomically; `config.json` goes last, so a folder that has it is complete.
"""

from pathlib import Path

from apps.common.export import atomic_file, read_json, write_json
from apps.common.training import load_keras, save_keras
from apps.tagger import entity_f1, features  # noqa: F401  (register the custom objects)
from apps.tagger.config import TaggerConfig
from apps.tagger.export import TagServer, export_tagger
from datasets.errors import InputError

MODEL_FILE = "tagger.keras"
CONFIG_FILE = "config.json"


def save_model_dir(out, tagger, config: TaggerConfig, words, chars) -> TagServer:
    out = Path(out)
    save_keras(tagger, out / MODEL_FILE)
    for name, entries in (("words", words), ("chars", chars), ("tags", config.tags)):
        with atomic_file(out / "vocab" / f"{name}.txt") as handle:
            handle.writelines(f"{entry}\n" for entry in entries)
    server = TagServer(tagger, config)
    export_tagger(server, out / "export")
    write_json(out / CONFIG_FILE, config.to_dict())
    return server


def load_model_dir(model_dir) -> tuple[TagServer, TaggerConfig]:
    model_dir = Path(model_dir)
    if not (model_dir / CONFIG_FILE).is_file():
        raise InputError(
            f"{model_dir}: no trained tagger here (no {CONFIG_FILE}); "
            f"run `python -m apps.tagger train --out {model_dir}` first"
        )
    config = TaggerConfig.from_dict(
        read_json(model_dir / CONFIG_FILE), str(model_dir / CONFIG_FILE)
    )
    tagger = load_keras(model_dir / MODEL_FILE)
    return TagServer(tagger, config), config
