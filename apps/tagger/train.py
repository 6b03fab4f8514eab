"""Training: vocabularies from the data, the model, and early stopping on dev entity F1."""

import contextlib
import random
from collections.abc import Sequence

import keras

from apps.common.training import fit
from apps.tagger.config import TaggerConfig
from apps.tagger.data import (
    BINARY_TAGS,
    char_vocabulary,
    make_dataset,
    tag_vocabulary,
    training_stream,
    word_vocabulary,
)
from apps.tagger.model import build_tagger, compile_network
from datasets.conll import Sentence

DEV_FRACTION = 0.1


def dev_slice(sentences: Sequence[Sentence], seed: int) -> tuple[list[Sentence], list[Sentence]]:
    """A seeded `DEV_FRACTION` of the training sentences held out for early stopping."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_dev = max(1, round(DEV_FRACTION * len(sentences)))
    held = set(order[:n_dev])
    train = [s for i, s in enumerate(sentences) if i not in held]
    return train, [s for i, s in enumerate(sentences) if i in held]


def prepare(config: TaggerConfig, train: Sequence[Sentence], dev: Sequence[Sentence]):
    """Fills in the tag set and returns the word and character vocabularies.

    Tags come from the dev sentences too, so that a type missing from train can still be scored.
    """
    tagged = [*train, *dev]
    config.tags = BINARY_TAGS if config.binary else tag_vocabulary(tagged, config.internal_scheme)
    return word_vocabulary(train, config.min_count), char_vocabulary(train)


def train_tagger(
    config: TaggerConfig,
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
    out_dir,
    *,
    resume: bool = False,
    strategy=None,
    chief: bool = True,
    verbose="auto",
):
    """Trains a tagger; returns `(model, words, chars, history)` with the best dev-F1 weights."""
    words, chars = prepare(config, train, dev)
    scope = strategy.scope() if strategy is not None else contextlib.nullcontext()
    with scope:
        tagger, featurizer, network = build_tagger(config, words, chars)
        compile_network(network, config)
    history = fit(
        network,
        training_stream(train, config, featurizer),
        make_dataset(dev, config, featurizer),
        epochs=config.epochs,
        out_dir=out_dir,
        resume=resume,
        monitor="val_f1",
        mode="max",
        callbacks=[keras.callbacks.EarlyStopping("val_f1", mode="max", patience=config.patience)],
        verbose=verbose,
        chief=chief,
    )
    return tagger, words, chars, history
