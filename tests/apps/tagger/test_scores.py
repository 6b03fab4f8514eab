import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from apps.tagger.scores import entity_scores, format_scores

TAGS = ["O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B", "I-C"]


@st.composite
def gold_and_predicted(draw):
    lengths = draw(st.lists(st.integers(0, 10), min_size=1, max_size=6))
    sentences = [
        [draw(st.lists(st.sampled_from(TAGS), min_size=n, max_size=n)) for n in lengths]
        for _ in range(2)
    ]
    return sentences[0], sentences[1]


@settings(max_examples=300, deadline=None)
@given(gold_and_predicted())
def test_scores_equal_seqeval_on_random_tag_sequences(pair):
    gold, predicted = pair
    ours = entity_scores(gold, predicted)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = classification_report(gold, predicted, output_dict=True, zero_division=0)
        assert ours["precision"] == pytest.approx(precision_score(gold, predicted))
        assert ours["recall"] == pytest.approx(recall_score(gold, predicted))
        assert ours["f1"] == pytest.approx(f1_score(gold, predicted))
    for type_, row in ours["per_type"].items():
        assert row["precision"] == pytest.approx(theirs[type_]["precision"])
        assert row["recall"] == pytest.approx(theirs[type_]["recall"])
        assert row["f1"] == pytest.approx(theirs[type_]["f1-score"])
        assert row["support"] == theirs[type_]["support"]
    assert set(ours["per_type"]) == {t for t in theirs if " avg" not in t}


def test_a_chunk_counts_only_with_matching_type_and_boundaries():
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    predicted = [["B-PER", "O", "O", "B-LOC"]]
    scores = entity_scores(gold, predicted)
    assert (scores["precision"], scores["recall"]) == (0.5, 0.5)
    assert scores["per_type"]["PER"]["f1"] == 0.0
    assert scores["per_type"]["LOC"]["f1"] == 1.0


def test_no_predictions_scores_zero_not_an_error():
    scores = entity_scores([["B-PER"]], [["O"]])
    assert scores["precision"] == scores["recall"] == scores["f1"] == 0.0


def test_table_lists_overall_then_each_type():
    table = format_scores(entity_scores([["B-PER", "B-LOC"]], [["B-PER", "O"]])).splitlines()
    assert [line.split()[0] for line in table[1:]] == ["overall", "LOC", "PER"]
