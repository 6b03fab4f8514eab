"""The SavedModel, and reading a trained model folder back for `generate`.

The folder (see `apps.common.model_folder`) holds model.keras, config.json, vocab.json
({"values": [...]}), facts.json (see `apps.jazz.train`) and export/, the SavedModel whose `sample`
signature is `apps.jazz.sampling.Sampler.sample`.
"""

from dataclasses import dataclass

import tensorflow as tf

from apps.common.model_folder import read_model_folder
from apps.jazz.config import JazzConfig
from datasets.errors import InputError
from datasets.music import Vocabulary

FACTS = ("bar_length", "register", "progression", "tempo")


@dataclass
class TrainedJazz:
    config: JazzConfig
    vocab: Vocabulary
    model: object
    facts: dict


def export_sampler(sampler, path) -> None:
    """Save the SavedModel with the `sample` signature into the empty folder `path`."""
    tf.saved_model.save(sampler, str(path), signatures={"sample": sampler.sample})


def load_trained(model_dir) -> TrainedJazz:
    """Config, vocabulary, Keras model and facts of a trained model folder."""
    trained = read_model_folder(model_dir, "jazz")
    config = JazzConfig.from_dict(trained.config, source=trained.path / "config.json")
    vocab_path = trained.path / "vocab.json"
    if "values" not in trained.vocabularies:
        raise InputError(f"{vocab_path}: no 'values' vocabulary")
    vocab = Vocabulary.from_json(trained.vocabularies["values"], str(vocab_path))
    missing = [name for name in FACTS if name not in trained.facts]
    if missing:
        raise InputError(f"{trained.path / 'facts.json'}: missing {', '.join(missing)}")
    if trained.model.output_shape[-1] != len(vocab):
        raise InputError(f"{vocab_path}: {len(vocab)} values, but the model predicts "
                         f"{trained.model.output_shape[-1]}")
    return TrainedJazz(config, vocab, trained.model, trained.facts)
