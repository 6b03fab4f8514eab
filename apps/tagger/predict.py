"""Tagging many sentences with a `TagServer`, and scoring the result against gold tags."""

from collections.abc import Sequence

from apps.tagger.data import BINARY_TAGS, pad_tokens, person_labels
from apps.tagger.scores import entity_scores
from datasets.conll import Sentence
from datasets.schemes import chunks

BATCH_SIZE = 64


def predict_tags(server, token_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """Tags for each sentence; sentences of similar length share a batch to keep padding low."""
    order = sorted(range(len(token_lists)), key=lambda i: len(token_lists[i]))
    tags = [[] for _ in token_lists]
    for first in range(0, len(order), BATCH_SIZE):
        batch = [i for i in order[first : first + BATCH_SIZE] if token_lists[i]]
        if not batch:
            continue
        output = server.tag(pad_tokens([token_lists[i] for i in batch]))["tags"].numpy()
        for row, i in enumerate(batch):
            tags[i] = [tag.decode("utf-8") for tag in output[row, : len(token_lists[i])]]
    return tags


def chunk_tags(tags: Sequence[str], binary: bool) -> list[str]:
    """Tags to read chunks from: a binary model's runs of 1 become chunks of type `person`."""
    return ["I-person" if tag == "1" else "O" for tag in tags] if binary else list(tags)


def entities(tags: Sequence[str], binary: bool) -> list[tuple[str, int, int]]:
    return chunks(chunk_tags(tags, binary))


def score(server, sentences: Sequence[Sentence], binary: bool) -> dict:
    """Entity-level scores on tagged sentences; for a binary model, person names only (adjacent
    names then count as one). Sentences that name their `source` (`datasets.ner.NerSentence`)
    are also scored per source, under `per_source`."""
    predicted = predict_tags(server, [s.tokens for s in sentences])
    gold = [s.tags for s in sentences]
    if binary:
        gold = [[BINARY_TAGS[label] for label in person_labels(tags)] for tags in gold]
    gold = [chunk_tags(tags, binary) for tags in gold]
    predicted = [chunk_tags(tags, binary) for tags in predicted]
    scores = entity_scores(gold, predicted)
    sources = [getattr(sentence, "source", None) for sentence in sentences]
    if sentences and None not in sources:
        scores["per_source"] = {}
        for source in sorted(set(sources)):
            kept = [i for i, s in enumerate(sources) if s == source]
            scores["per_source"][source] = entity_scores(
                [gold[i] for i in kept], [predicted[i] for i in kept]
            )
    return scores
