"""From tagged sentences to vocabularies, label ids and padded, length-bucketed tf.data batches."""

from collections import Counter
from collections.abc import Sequence

import numpy as np
import tensorflow as tf

from apps.common.data import EpochStream
from apps.tagger.config import TaggerConfig
from apps.tagger.features import WordKeys
from datasets.conll import Sentence
from datasets.schemes import chunks, convert

PERSON_TYPES = frozenset({"person", "per"})
BINARY_TAGS = ["0", "1"]
# Tweets and news sentences are mostly short; one bucket per range keeps padding low.
BUCKET_BOUNDARIES = [8, 16, 24, 32, 48]
FEATURES = ("words", "shapes", "chars")


def word_keys(words: Sequence[str]) -> list[str]:
    """`WordKeys` of each word, as Python strings."""
    if not words:
        return []
    keys = WordKeys()(tf.constant(list(words), dtype=tf.string)).numpy()
    return [key.decode("utf-8") for key in keys]


def word_vocabulary(sentences: Sequence[Sentence], min_count: int) -> list[str]:
    """Word keys (as `WordKeys` makes them) seen at least `min_count` times, most frequent
    first."""
    counts = Counter(word_keys([token for sentence in sentences for token in sentence.tokens]))
    return [
        key for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= min_count
    ]


def add_pretrained_words(words: list[str], pretrained: Sequence[str]) -> list[str]:
    """`words`, then every word of `pretrained` (in its order) not among them that a token can
    be looked up as: a word `WordKeys` would change (one with a digit 1–9, an @mention, …) is
    never looked up and is left out."""
    seen = set(words)
    extra = [
        word for word, key in zip(pretrained, word_keys(pretrained), strict=True)
        if word == key and word not in seen
    ]
    return [*words, *extra]


def char_vocabulary(sentences: Sequence[Sentence]) -> list[str]:
    counts = Counter(char for sentence in sentences for token in sentence.tokens for char in token)
    return [char for char, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def tag_vocabulary(sentences: Sequence[Sentence], internal_scheme: str) -> list[str]:
    """`O` first, then every tag the data uses once written in `internal_scheme`."""
    tags = {tag for sentence in sentences for tag in convert(sentence.tags, internal_scheme)}
    return ["O", *sorted(tags - {"O"})]


def person_labels(tags: Sequence[str]) -> list[int]:
    """The course's binary target: 1 for a token inside a person's name, else 0."""
    labels = [0] * len(tags)
    for type_, start, end in chunks(tags):
        if type_.lower() in PERSON_TYPES:
            labels[start:end] = [1] * (end - start)
    return labels


def encode_labels(sentence: Sentence, config: TaggerConfig, index: dict[str, int]) -> list[int]:
    """Label ids of one sentence; `index` maps the model's tags to their ids."""
    if config.binary:
        return person_labels(sentence.tags)
    return [index[tag] for tag in convert(sentence.tags, config.internal_scheme)]


def pad_tokens(token_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """A (batch, longest) string matrix padded with ""."""
    longest = max((len(tokens) for tokens in token_lists), default=0)
    rows = [list(tokens) + [""] * (longest - len(tokens)) for tokens in token_lists]
    return np.array(rows, dtype=object).reshape(len(token_lists), longest)


def featurize(featurizer, token_lists: Sequence[Sequence[str]], chunk: int = 256) -> dict:
    """The featurizer's ids for every sentence, as ragged tensors (sentence, Tx, ...)."""
    parts = {name: [] for name in FEATURES}
    for first in range(0, len(token_lists), chunk):
        batch = token_lists[first : first + chunk]
        ids = featurizer.predict_on_batch(pad_tokens(batch))
        for name in FEATURES:
            parts[name].extend(ids[name][row, : len(tokens)] for row, tokens in enumerate(batch))
    lengths = [len(tokens) for tokens in token_lists]
    return {
        name: tf.RaggedTensor.from_row_lengths(np.concatenate(rows), lengths)
        for name, rows in parts.items()
    }


def examples(
    sentences: Sequence[Sentence], config: TaggerConfig, tags: list[str], featurizer
) -> tf.data.Dataset:
    """Single `(ids, labels)` examples, labels as ids into `tags`; the strings are looked up
    once, here."""
    ids = featurize(featurizer, [s.tokens for s in sentences])
    index = {tag: i for i, tag in enumerate(tags)}
    labels = tf.ragged.constant([encode_labels(s, config, index) for s in sentences], tf.int32)
    return tf.data.Dataset.range(len(sentences)).map(
        lambda i: ({name: ids[name][i] for name in FEATURES}, labels[i])
    )


def batching(config: TaggerConfig):
    """Examples → `(ids, labels, weights)` batches padded with 0 within buckets of similar length.

    Labels are `(batch, Tx)` tag ids, or `(batch, Tx, 1)` floats for a sigmoid output. The sample
    weights, 0 on padding, keep padded steps out of the loss and of the entity F1 metric.
    """
    sigmoid = config.sigmoid_output
    label_type = tf.float32 if sigmoid else tf.int32

    def finish_batch(x, y):
        # Only as many characters as the batch's longest word: the char CNN ignores the rest.
        longest = tf.reduce_max(tf.math.count_nonzero(x["chars"], axis=-1, dtype=tf.int32))
        x = {**x, "chars": x["chars"][:, :, : tf.maximum(longest, 1)]}
        weights = tf.cast(x["words"] != 0, tf.float32)
        y = tf.cast(y, label_type)
        y = y[..., None] if sigmoid else y
        return x, y, weights

    def batch(dataset):
        return dataset.bucket_by_sequence_length(
            lambda x, _: tf.shape(x["words"])[0],
            bucket_boundaries=BUCKET_BOUNDARIES,
            bucket_batch_sizes=[config.batch_size] * (len(BUCKET_BOUNDARIES) + 1),
        ).map(finish_batch)

    return batch


def make_dataset(sentences: Sequence[Sentence], config: TaggerConfig, tags, featurizer):
    """Batches in a fixed order, for validation."""
    batch = batching(config)
    dataset = examples(sentences, config, tags, featurizer).cache()
    return batch(dataset).prefetch(tf.data.AUTOTUNE)


def training_stream(sentences: Sequence[Sentence], config: TaggerConfig, tags, featurizer):
    """Batches shuffled afresh each epoch by (seed, epoch), so that --resume is exact."""
    return EpochStream(
        examples(sentences, config, tags, featurizer), batching(config), config.seed
    )
