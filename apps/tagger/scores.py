"""Entity-level precision, recall and F1 with conlleval's semantics.

A predicted chunk counts only if its type, first and last token all match a gold chunk. Chunks
never cross sentences, and every scheme is read with the same rules (`datasets.schemes.chunks`).
A score whose denominator is zero is 0.
"""

from collections import Counter
from collections.abc import Iterable, Sequence

from datasets.schemes import chunks


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _prf(correct: int, n_pred: int, n_gold: int) -> dict:
    precision, recall = _ratio(correct, n_pred), _ratio(correct, n_gold)
    f1 = _ratio(2 * correct, n_pred + n_gold)
    return {"precision": precision, "recall": recall, "f1": f1}


def entity_scores(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> dict:
    """`{"precision", "recall", "f1", "per_type": {type: {..., "support"}}}` over sentences."""
    correct, n_pred, n_gold = Counter(), Counter(), Counter()
    for gold_tags, predicted_tags in zip(gold, predicted, strict=True):
        if len(gold_tags) != len(predicted_tags):
            raise ValueError("a predicted sentence differs in length from its gold sentence")
        gold_chunks, predicted_chunks = set(chunks(gold_tags)), set(chunks(predicted_tags))
        n_gold.update(chunk[0] for chunk in gold_chunks)
        n_pred.update(chunk[0] for chunk in predicted_chunks)
        correct.update(chunk[0] for chunk in gold_chunks & predicted_chunks)
    scores = _prf(sum(correct.values()), sum(n_pred.values()), sum(n_gold.values()))
    scores["per_type"] = {
        type_: {**_prf(correct[type_], n_pred[type_], n_gold[type_]), "support": n_gold[type_]}
        for type_ in sorted(n_gold | n_pred)
    }
    return scores


def format_scores(scores: dict) -> str:
    """A conlleval-like table: overall first, then one row per type, then (when the scores have
    `per_source`) one row per source."""
    rows = [f"{'':14} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
    rows.append(_row("overall", scores, _support(scores)))
    rows.extend(_row(type_, row, row["support"]) for type_, row in scores["per_type"].items())
    for source, row in scores.get("per_source", {}).items():
        rows.append(_row(f"[{source}]", row, _support(row)))
    return "\n".join(rows)


def _support(scores: dict) -> int:
    return sum(row["support"] for row in scores["per_type"].values())


def _row(name: str, row: dict, support: int) -> str:
    return f"{name:14} {row['precision']:9.4f} {row['recall']:9.4f} {row['f1']:9.4f} {support:8d}"
