"""Scoring a `Tagger` on gold sentences: any file's types renamed (`--map`), some types kept
(`--types`), and a clear refusal when the model's types and the file's have none in common.

The model tags the gold tokens as they are (`Tagger.tag_tokens`). A binary model is scored on
person names only (its runs of 1 against the gold PER/person chunks; adjacent names then count
as one).
"""

from collections.abc import Sequence

from apps.tagger.data import person_labels
from apps.tagger.scores import entity_scores
from datasets.conll import Sentence
from datasets.errors import InputError
from datasets.schemes import chunks, from_chunks


def parse_types(text: str | None, flag: str = "--types") -> tuple[str, ...] | None:
    """`"PER,LOC"` → `("PER", "LOC")`; None stays None."""
    if text is None:
        return None
    types = tuple(part.strip() for part in text.split(","))
    if not all(types):
        raise InputError(f"{flag}: expected types separated by commas, e.g. PER,LOC,ORG; got "
                         f"{text!r}")
    return types


def parse_mapping(text: str | None, flag: str = "--map") -> dict[str, str]:
    """`"corporation=ORG,location=LOC"` → `{"corporation": "ORG", "location": "LOC"}`; a type
    mapped to `O` is dropped."""
    if text is None:
        return {}
    mapping = {}
    for part in text.split(","):
        old, equals, new = (piece.strip() for piece in part.partition("="))
        if not (old and equals and new) or "-" in new:
            raise InputError(
                f"{flag}: expected FILE_TYPE=MODEL_TYPE pairs separated by commas, e.g. "
                f"corporation=ORG,location=LOC; got {part.strip()!r}"
            )
        mapping[old] = new
    return mapping


def relabel(tags: Sequence[str], mapping: dict[str, str], keep=None) -> list[str]:
    """IOB2 tags of the chunks of `tags`, types renamed by `mapping` (to `O`: dropped), and only
    the types in `keep` (None: all)."""
    kept = []
    for type_, start, end in chunks(tags):
        type_ = mapping.get(type_, type_)
        if type_ != "O" and (keep is None or type_ in keep):
            kept.append((type_, start, end))
    return from_chunks(kept, len(tags), "iob2")


def score(
    tagger, sentences: Sequence[Sentence], *, types=None, mapping=None, source="the data"
) -> dict:
    """Entity-level precision, recall and F1 (`apps.tagger.scores`), overall and per type; with
    `per_source` when the sentences name their `source` (`datasets.ner.NerSentence`).

    Args:
        tagger: an `apps.tagger.Tagger`.
        sentences: gold sentences, any scheme.
        types: score only these types (in the model's names, after `mapping`); None: all.
        mapping: `{file type: model type}` renames the gold types first (to "O": dropped).
        source: names the data in messages.

    Raises:
        InputError: the model's types and the gold types (after `mapping`) share none, or
            `types` names one that neither has.
    """
    mapping = mapping or {}
    binary = tagger.config.binary
    gold = [list(s.tags) for s in sentences]
    if binary:
        gold = [_person_chunks(tags) for tags in gold]
    else:
        gold = [relabel(tags, mapping) for tags in gold]
    gold_types = {type_ for tags in gold for type_, _, _ in chunks(tags)}
    model_types = {"person"} if binary else set(tagger.types)
    _check_types(model_types, gold_types, types, mapping, source)
    predicted = [tagger.readable(t.tags)
                 for t in tagger.tag_tokens([s.tokens for s in sentences], scores=False)]
    keep = None if types is None else set(types)
    gold = [relabel(tags, {}, keep) for tags in gold]
    predicted = [relabel(tags, {}, keep) for tags in predicted]
    scores = entity_scores(gold, predicted)
    sources = [getattr(sentence, "source", None) for sentence in sentences]
    if sentences and None not in sources:
        scores["per_source"] = {}
        for name in sorted(set(sources)):
            rows = [i for i, s in enumerate(sources) if s == name]
            scores["per_source"][name] = entity_scores(
                [gold[i] for i in rows], [predicted[i] for i in rows]
            )
    return scores


def _person_chunks(tags):
    return ["I-person" if label == 1 else "O" for label in person_labels(tags)]


def _check_types(model_types, gold_types, types, mapping, source):
    def listed(names):
        return ", ".join(sorted(names)) or "none"

    if types is not None:
        unknown = [t for t in types if t not in model_types and t not in gold_types]
        if unknown:
            raise InputError(
                f"--types: {', '.join(unknown)} is neither the model's type ({listed(model_types)})"
                f" nor one of {source}'s ({listed(gold_types)})"
            )
        model_types = model_types & set(types)
        gold_types = gold_types & set(types)
    if gold_types and not model_types & gold_types:
        hint = "rename the file's types with --map, e.g. --map " + ",".join(
            f"{g}={m}" for g, m in zip(sorted(gold_types)[:2], sorted(model_types)[:2],
                                       strict=False)
        ) if not mapping else "check --map"
        raise InputError(
            f"the model's types ({listed(model_types)}) and {source}'s "
            f"({listed(gold_types)}) have none in common, so every score would be 0; {hint}"
        )
