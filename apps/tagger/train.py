"""Training: the shared run (`apps.common.run`) with the tagger's data, model and model folder;
the best epoch is the one with the best dev entity F1, and training stops early."""

import json
import shutil
import sys
from pathlib import Path

import numpy as np

from apps.common.model_folder import write_model_folder
from apps.common.run import Prepared, train_run
from apps.common.split import seeded_split
from apps.common.training import ResumableEarlyStopping
from apps.tagger.data import (
    BINARY_TAGS,
    add_pretrained_words,
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
EMBEDDED = (
    "the embedded corpus (wikigold, Broad Twitter Corpus, the team's sentences; PER, LOC, ORG)"
)


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
    """`(train, dev, source)`: the user's files, or the embedded corpus's split by the seed."""
    from datasets.ner import split_ner

    if config.train is None:
        if config.dev is not None:
            raise InputError("--dev needs --train: the embedded corpus brings its own dev split")
        train, dev, _ = split_ner(config.seed)
        return train, dev, EMBEDDED
    train = read_tagged(config.train, config.scheme)
    if config.dev is not None:
        return train, read_tagged(config.dev, config.scheme), config.train
    if len(train) < 2:
        raise InputError(
            f"{config.train}: needs at least 2 sentences to hold one out, or give --dev"
        )
    train, dev = seeded_split(train, DEV_FRACTION, config.seed)
    return train, dev, config.train


def load_vectors(config):
    """`(words, vectors)` of GloVe when `config.vectors` asks for them, else None; first thing,
    so that a missing package stops the run before any work."""
    if config.vectors == "none":
        return None
    from datasets.glove import load_glove

    return load_glove()


def word_lookup(config, words, glove=None):
    """`(lookup, vectors, coverage)`: the lookup vocabulary (the training `words`, then with
    GloVe its `glove_words` most frequent words), the initial embedding rows (None without
    vectors; row i + 2 is word i's, after the padding and OOV ids of `StringLookup`) and the
    share of training words that have a GloVe vector. `glove` is `load_vectors`'s."""
    if glove is None:
        return words, None, None
    from datasets.glove import embedding_matrix

    glove, vectors = glove
    lookup = add_pretrained_words(words, glove[: config.glove_words])
    matrix, found = embedding_matrix(lookup, glove, vectors, seed=config.seed)
    # Rows 0 and 1: padding (masked, never read) and the OOV id, a seeded draw like the rest.
    unknown, _ = embedding_matrix(["", "<oov>"], glove[:10_000], vectors, seed=config.seed + 1)
    unknown[0] = 0.0
    coverage = float(found[: len(words)].mean()) if words else 0.0
    return lookup, np.concatenate([unknown, matrix]), coverage


def prepare(config):
    """Sentences, the data's scheme, the vocabularies (tags from dev too, so that a type missing
    from train can still be scored) and the batches, looked up once by the featurizer."""
    glove = load_vectors(config)
    train, dev, source = load_sentences(config)
    scheme = (
        detect_scheme(s.tags for s in train + dev) if config.scheme == "auto" else config.scheme
    )
    recased = 0
    if config.casing_share:
        from datasets.ner import vary_casing

        varied = vary_casing(train, config.casing_share, config.seed)
        recased = sum(a.tokens != b.tokens for a, b in zip(train, varied, strict=True))
        train = varied
    print(
        f"training on {len(train)} sentences of {source} ({scheme}), "
        f"early stopping on {len(dev)}",
        file=sys.stderr,
    )
    tags = BINARY_TAGS if config.binary else tag_vocabulary([*train, *dev], config.internal_scheme)
    training_words = word_vocabulary(train, config.min_count)
    words, vectors, coverage = word_lookup(config, training_words, glove)
    chars = char_vocabulary(train)
    # The featurizer has no weights: it is built outside the strategy's scope, once.
    _, featurizer, _ = build_tagger(config, tags, words, chars)
    found = {"scheme": scheme, "data": str(source), "train_sentences": len(train),
             "dev_sentences": len(dev), "recased_sentences": recased,
             "training_words": len(training_words)}
    if coverage is not None:
        found["glove_coverage"] = round(coverage, 4)
    return Prepared(
        train=training_stream(train, config, tags, featurizer),
        val=make_dataset(dev, config, tags, featurizer),
        facts={
            "found": found, "tags": tags, "words": words, "chars": chars, "dev": dev,
            "featurizer": featurizer, "vectors": vectors,
        },
    )


def build(config, prepared):
    facts = prepared.facts
    _, _, network = build_tagger(config, facts["tags"], facts["words"], facts["chars"])
    if facts["vectors"] is not None:
        network.get_layer("word_embedding").embeddings.assign(facts["vectors"])
    return compile_network(network, config, facts["tags"])


def write(out, network, config, prepared):
    """The model folder: model.keras (token strings → CRF potentials or tag probabilities),
    config.json, vocab.json (words, chars, tags), facts.json (scheme, data, GloVe coverage, the
    best epoch and its dev F1), export/1/."""
    facts = prepared.facts
    best = Path(out) / "checkpoints" / "best.json"
    if best.is_file():
        # The checkpoints go when training ends well; the facts keep what they decided.
        record = json.loads(best.read_text(encoding="utf-8"))
        facts["found"]["best_epoch"] = record["epoch"]
        facts["found"]["best_dev_f1"] = round(record["value"], 4)
    # A fresh copy without the optimizer, whose moments would double the files' size twice.
    _, _, served = build_tagger(config, facts["tags"], facts["words"], facts["chars"])
    served.set_weights(network.get_weights())
    tagger = compose_tagger(facts["featurizer"], served)
    server = TagServer(tagger, config, facts["tags"], facts["found"]["scheme"])
    write_model_folder(
        out,
        model=tagger,
        config=config.to_dict(),
        vocabularies={name: facts[name] for name in ("words", "chars", "tags")},
        facts=facts["found"],
        export=lambda path: export_tagger(server, path),
    )


def train_and_evaluate(
    config, out, *, distribute="none", resume=False, verbose=None, keep_checkpoints=False
):
    """Train as `config` says, write the model folder `out`; returns the `apps.common.run.Run`
    (its `model` is the trainable network, from the featurizer's ids).

    The checkpoints (80 MB with the defaults: weights, optimizer state, best weights) are
    removed once the model folder is written, unless `keep_checkpoints`; a run that fails or is
    interrupted keeps them, so that `--resume` continues it.
    """

    def early_stopping(model, prepared, chief):
        # Resumable: its count of stale epochs is checkpointed, so --resume stops where an
        # uninterrupted run does.
        return [ResumableEarlyStopping("val_f1", mode="max", patience=config.patience)]

    run = train_run(
        config, out, prepare=prepare, build=build, write=write, distribute=distribute,
        resume=resume, monitor="val_f1", mode="max", callbacks=early_stopping, verbose=verbose,
    )
    if run.chief and not keep_checkpoints:
        shutil.rmtree(Path(out) / "checkpoints", ignore_errors=True)
    return run
