import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.tagger.chunk_ops import TagTables, write_scheme
from apps.tagger.decoding import transitions, viterbi
from apps.tagger.f1_metric import EntityF1
from apps.tagger.scores import entity_scores
from datasets.schemes import SCHEMES, convert

TAGS = ["O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"]
rows = st.integers(1, 8).flatmap(
    lambda width: st.lists(
        st.lists(st.integers(0, len(TAGS) - 1), min_size=width, max_size=width),
        min_size=1,
        max_size=4,
    )
)


@settings(max_examples=40, deadline=None)
@given(rows, st.sampled_from(SCHEMES))
def test_tensor_scheme_writer_equals_convert(ids, scheme):
    tables = TagTables(TAGS)
    written = write_scheme(*tables.lookup(np.array(ids)), tables.types, scheme).numpy()
    for row, tags in zip(ids, written, strict=True):
        assert [t.decode() for t in tags] == convert([TAGS[i] for i in row], scheme)


@settings(max_examples=40, deadline=None)
@given(rows, rows, st.data())
def test_streaming_f1_equals_entity_scores(gold, predicted, data):
    width = len(gold[0])
    predicted = [(row * width)[:width] for row in predicted][: len(gold)]
    gold = gold[: len(predicted)]
    lengths = [data.draw(st.integers(0, width)) for _ in gold]
    weights = np.array([[float(t < n) for t in range(width)] for n in lengths])
    metric = EntityF1(TAGS)
    metric.update_state(np.array(gold), np.eye(len(TAGS))[np.array(predicted)], weights)
    expected = entity_scores(
        [[TAGS[i] for i in row[:n]] for row, n in zip(gold, lengths, strict=True)],
        [[TAGS[i] for i in row[:n]] for row, n in zip(predicted, lengths, strict=True)],
    )
    assert float(metric.result()) == pytest.approx(expected["f1"], abs=1e-6)


def test_streaming_f1_accumulates_over_batches_and_resets():
    metric = EntityF1(["O", "B-PER", "I-PER"])
    metric.update_state(np.array([[1, 2]]), np.eye(3)[[[1, 2]]])
    metric.update_state(np.array([[1, 0]]), np.eye(3)[[[0, 0]]])
    assert float(metric.result()) == pytest.approx(2 / 3)
    metric.reset_state()
    assert float(metric.result()) == 0.0


def test_binary_metric_thresholds_the_sigmoid():
    metric = EntityF1(["O", "I-person"])
    metric.update_state(np.array([[[1.0], [1.0], [0.0]]]), np.array([[[0.9], [0.7], [0.2]]]))
    assert float(metric.result()) == 1.0


def test_metric_with_a_scheme_scores_the_viterbi_decoding():
    rng = np.random.default_rng(1)
    probabilities = rng.dirichlet(np.ones(len(TAGS)), size=(6, 7)).astype("float32")
    gold = rng.integers(0, len(TAGS), size=(6, 7))
    weights = (np.arange(7)[None] < rng.integers(1, 8, size=(6, 1))).astype("float32")
    metric = EntityF1(TAGS, scheme="bioes")
    metric.update_state(gold, probabilities, weights)
    decoded = viterbi(np.log(probabilities), weights > 0, *transitions(TAGS, "bioes")).numpy()
    lengths = weights.sum(axis=1).astype(int)
    expected = entity_scores(
        [[TAGS[i] for i in row[:n]] for row, n in zip(gold, lengths, strict=True)],
        [[TAGS[i] for i in row[:n]] for row, n in zip(decoded, lengths, strict=True)],
    )
    assert float(metric.result()) == pytest.approx(expected["f1"], abs=1e-6)
    assert expected["f1"] != pytest.approx(_argmax_f1(gold, probabilities, lengths))


def _argmax_f1(gold, probabilities, lengths):
    predicted = probabilities.argmax(axis=-1)
    return entity_scores(
        [[TAGS[i] for i in row[:n]] for row, n in zip(gold, lengths, strict=True)],
        [[TAGS[i] for i in row[:n]] for row, n in zip(predicted, lengths, strict=True)],
    )["f1"]


def test_metric_on_crf_potentials_scores_the_crf_viterbi_path():
    from layers.crf import CRF, allowed_transitions, crf_decode

    rng = np.random.default_rng(2)
    pair, first, last = allowed_transitions(TAGS, "bioes")
    crf = CRF(len(TAGS), allowed=pair, allowed_start=first, allowed_end=last,
              initializer=keras.initializers.RandomNormal(seed=3))
    potentials = crf(rng.normal(size=(6, 7, len(TAGS))).astype("float32"))
    weights = (np.arange(7)[None] < rng.integers(1, 8, size=(6, 1))).astype("float32")
    decoded = np.asarray(crf_decode(potentials, weights > 0)[0])
    # Gold agrees with the decoding on about half the tokens, so the F1 is neither 0 nor 1.
    gold = np.where(rng.random((6, 7)) < 0.5, decoded, rng.integers(0, len(TAGS), size=(6, 7)))
    metric = EntityF1(TAGS, scheme="bioes")
    metric.update_state(gold, potentials, weights)
    lengths = weights.sum(axis=1).astype(int)
    expected = entity_scores(
        [[TAGS[i] for i in row[:n]] for row, n in zip(gold, lengths, strict=True)],
        [[TAGS[i] for i in row[:n]] for row, n in zip(decoded, lengths, strict=True)],
    )
    assert float(metric.result()) == pytest.approx(expected["f1"], abs=1e-6)
    assert 0 < expected["f1"] < 1
