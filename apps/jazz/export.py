"""The SavedModel, and reading a trained model folder back for `generate`.

The folder (see `apps.common.model_folder`) holds model.keras, config.json, vocab.json
({"values": [...]}), facts.json (see `apps.jazz.train`) and export/1/, the SavedModel whose `sample`
(= `serving_default`) and `solo` signatures are `apps.jazz.sampling.Sampler`'s.
"""

from dataclasses import dataclass

import tensorflow as tf

from apps.common.model_folder import read_model_folder
from apps.jazz.conditioning import N_CONDITIONING
from apps.jazz.config import JazzConfig
from datasets.errors import InputError
from datasets.music import ChordTimeline, Meter, Vocabulary, parse_time_signature

FACTS = ("meter", "bar_length", "register", "progression", "progression_bars", "tempo")


@dataclass
class TrainedJazz:
    config: JazzConfig
    vocab: Vocabulary
    model: object
    facts: dict
    meter: Meter
    progression: ChordTimeline


def export_sampler(sampler, path) -> None:
    """Save the SavedModel into the empty folder `path`, with the signatures `sample` (also
    `serving_default`, what TF Serving calls without a name) and `solo` (a line in phrases on
    the meter's grid; see `apps.jazz.sampling`)."""
    tf.saved_model.save(sampler, str(path), signatures={
        "serving_default": sampler.sample, "sample": sampler.sample, "solo": sampler.solo,
    })


def load_trained(model_dir) -> TrainedJazz:
    """Config, vocabulary, Keras model and facts of a trained model folder."""
    trained = read_model_folder(model_dir, "jazz")
    config = JazzConfig.from_dict(trained.config, source=trained.path / "config.json")
    vocab_path = trained.path / "vocab.json"
    if "values" not in trained.vocabularies:
        raise InputError(f"{vocab_path}: no 'values' vocabulary")
    vocab = Vocabulary.from_json(trained.vocabularies["values"], str(vocab_path))
    facts_path = trained.path / "facts.json"
    missing = [name for name in FACTS if name not in trained.facts]
    if missing:
        raise InputError(f"{facts_path}: missing {', '.join(missing)} (a model trained by an "
                         "older version: train it again)")
    if trained.model.output_shape[-1] != len(vocab):
        raise InputError(f"{vocab_path}: {len(vocab)} values, but the model predicts "
                         f"{trained.model.output_shape[-1]}")
    if config.chord_input and trained.model.input_shape[-1][-1] != N_CONDITIONING:
        raise InputError(f"{trained.path / 'model.keras'}: its chord input is not this "
                         "version's conditioning; train it again")
    meter = parse_time_signature(trained.facts["meter"], f"{facts_path}: meter")
    progression = ChordTimeline.from_json(trained.facts["progression"], f"{facts_path}")
    return TrainedJazz(config, vocab, trained.model, trained.facts, meter, progression)
