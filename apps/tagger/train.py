"""Training: the shared run (`apps.common.run`) with the tagger's data, model and model folder;
the best epoch is the one with the best dev entity F1, and training stops early."""

import sys

import keras

from apps.common.model_folder import write_model_folder
from apps.common.run import Prepared, train_run
from apps.common.split import seeded_split
from apps.tagger.data import (
    BINARY_TAGS,
    char_vocabulary,
    make_dataset,
    tag_vocabulary,
    training_stream,
    word_vocabulary,
)
from apps.tagger.export import TagServer, export_tagger
from apps.tagger.model import build_tagger, compile_network, compose_tagger
from datasets.conll import read_conll
from datasets.errors import InputError
from datasets.schemes import detect_scheme, foreign_tag

DEV_FRACTION = 0.1


def read_tagged(path, scheme):
    """A CoNLL file whose tags must fit `scheme` unless it is "auto"."""
    sentences = read_conll(path)
    if scheme != "auto":
        for sentence in sentences:
            tag = foreign_tag(sentence.tags, scheme)
            if tag is not None:
                raise InputError(
                    f"{path}, sentence starting line {sentence.line}: tag {tag!r} is not "
                    f"{scheme.upper()}; use --scheme auto or the file's scheme"
                )
    return sentences


def load_sentences(config):
    """`(train, dev, source)`: the user's files, or the embedded corpus's split."""
    from datasets.wnut import SOURCE, split_wnut16

    if config.train is None:
        if config.dev is not None:
            raise InputError("--dev needs --train: the embedded corpus brings its own dev split")
        train, dev, _ = split_wnut16()
        return train, dev, SOURCE
    train = read_tagged(config.train, config.scheme)
    if config.dev is not None:
        return train, read_tagged(config.dev, config.scheme), config.train
    if len(train) < 2:
        raise InputError(
            f"{config.train}: needs at least 2 sentences to hold one out, or give --dev"
        )
    train, dev = seeded_split(train, DEV_FRACTION, config.seed)
    return train, dev, config.train


def prepare(config):
    """Sentences, the data's scheme, the vocabularies (tags from dev too, so that a type missing
    from train can still be scored) and the batches, looked up once by the featurizer."""
    train, dev, source = load_sentences(config)
    scheme = (
        detect_scheme(s.tags for s in train + dev) if config.scheme == "auto" else config.scheme
    )
    print(
        f"training on {len(train)} sentences of {source} ({scheme}), "
        f"early stopping on {len(dev)}",
        file=sys.stderr,
    )
    tags = BINARY_TAGS if config.binary else tag_vocabulary([*train, *dev], config.internal_scheme)
    words, chars = word_vocabulary(train, config.min_count), char_vocabulary(train)
    # The featurizer has no weights: it is built outside the strategy's scope, once.
    _, featurizer, _ = build_tagger(config, tags, words, chars)
    return Prepared(
        train=training_stream(train, config, tags, featurizer),
        val=make_dataset(dev, config, tags, featurizer),
        facts={
            "scheme": scheme, "tags": tags, "words": words, "chars": chars, "dev": dev,
            "featurizer": featurizer,
        },
    )


def build(config, prepared):
    facts = prepared.facts
    _, _, network = build_tagger(config, facts["tags"], facts["words"], facts["chars"])
    return compile_network(network, config, facts["tags"])


def write(out, network, config, prepared):
    """The model folder: model.keras (token strings → tag probabilities), config.json,
    vocab.json (words, chars, tags), facts.json (scheme), export/."""
    facts = prepared.facts
    tagger = compose_tagger(facts["featurizer"], network)
    server = TagServer(tagger, config, facts["tags"], facts["scheme"])
    write_model_folder(
        out,
        model=tagger,
        config=config.to_dict(),
        vocabularies={name: facts[name] for name in ("words", "chars", "tags")},
        facts={"scheme": facts["scheme"]},
        export=lambda path: export_tagger(server, path),
    )


def train_and_evaluate(config, out, *, distribute="none", resume=False, verbose=None):
    """Train as `config` says, write the model folder `out`; returns the `apps.common.run.Run`
    (its `model` is the trainable network, from the featurizer's ids)."""

    def early_stopping(model, prepared, chief):
        return [keras.callbacks.EarlyStopping("val_f1", mode="max", patience=config.patience)]

    return train_run(
        config, out, prepare=prepare, build=build, write=write, distribute=distribute,
        resume=resume, monitor="val_f1", mode="max", callbacks=early_stopping, verbose=verbose,
    )
