import itertools

import numpy as np
import pytest

from apps.tagger.confidence import CRFMarginals, TokenMarginals, chunk_constraints, crf_marginals
from datasets.schemes import chunks, convert
from layers.crf import allowed_transitions

BIOES = ["O", "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC", "I-LOC", "E-LOC", "S-LOC"]
IOB2 = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]


def random_potentials(tags, scheme, length, seed):
    """ψ `(Tx, n + 2, n)` as `layers.crf.CRF` builds it, forbidden moves at −10,000."""
    rng = np.random.default_rng(seed)
    n = len(tags)
    pair, first, last = allowed_transitions(tags, scheme)
    transitions = np.where(pair, rng.normal(size=(n, n)), -1e4)
    start = np.where(first, rng.normal(size=n), -1e4)
    end = np.where(last, rng.normal(size=n), -1e4)
    emissions = rng.normal(scale=2.0, size=(length, n))
    psi = np.zeros((length, n + 2, n))
    psi[:, :n] = transitions[None] + emissions[:, None]
    psi[:, n] = start[None] + emissions
    psi[:, n + 1] = end[None]
    return psi


def path_probabilities(psi):
    """Every tag path with its probability, by enumeration."""
    length, n = psi.shape[0], psi.shape[-1]
    paths, scores = [], []
    for path in itertools.product(range(n), repeat=length):
        score = psi[0, n, path[0]] + psi[0, n + 1, path[-1]]
        score += sum(psi[t, path[t - 1], path[t]] for t in range(1, length))
        paths.append(path)
        scores.append(score)
    scores = np.array(scores)
    p = np.exp(scores - scores.max())
    return paths, p / p.sum()


@pytest.mark.parametrize(("tags", "scheme"), [(BIOES, "bioes"), (IOB2, "iob2")])
@pytest.mark.parametrize("seed", [0, 1])
def test_crf_span_probability_is_the_sum_over_the_paths_that_hold_the_span(tags, scheme, seed):
    length = 4
    psi = random_potentials(tags, scheme, length, seed)
    paths, probabilities = path_probabilities(psi)
    marginals = CRFMarginals(psi)
    expected = {}
    for path, p in zip(paths, probabilities, strict=True):
        for chunk in chunks(convert([tags[i] for i in path], "iob2")):
            expected[chunk] = expected.get(chunk, 0.0) + p
    assert len(expected) > 10
    for (type_, start, end), p in expected.items():
        constraints = chunk_constraints(tags, scheme, type_, start, end, length)
        assert marginals.probability(constraints) == pytest.approx(p, abs=1e-6)


def test_binary_span_probability_needs_a_zero_on_each_side():
    tags = ["O", "I-person"]
    psi = random_potentials(tags, "iob1", 5, seed=3)
    paths, probabilities = path_probabilities(psi)
    marginals = CRFMarginals(psi)
    expected = {}
    for path, p in zip(paths, probabilities, strict=True):
        for chunk in chunks([tags[i] for i in path]):
            expected[chunk] = expected.get(chunk, 0.0) + p
    for (type_, start, end), p in expected.items():
        constraints = chunk_constraints(tags, "binary", type_, start, end, 5)
        assert marginals.probability(constraints) == pytest.approx(p, abs=1e-6)


def test_softmax_span_probability_is_the_product_over_its_tokens():
    probabilities = np.array([[0.1, 0.8, 0.1, 0.0, 0.0], [0.2, 0.1, 0.7, 0.0, 0.0],
                              [0.6, 0.1, 0.1, 0.1, 0.1]])
    marginals = TokenMarginals(probabilities)
    constraints = chunk_constraints(IOB2, "iob2", "PER", 0, 2, 3)
    # B-PER, then I-PER, then anything but I-PER.
    assert marginals.probability(constraints) == pytest.approx(0.8 * 0.7 * 0.9)


@pytest.mark.parametrize(("tags", "scheme"), [(BIOES, "bioes"), (IOB2, "iob2")])
def test_a_padded_batch_gives_each_sentence_its_own_marginals(tags, scheme):
    lengths = [1, 5, 3, 7]
    sentences = [random_potentials(tags, scheme, length, seed)
                 for seed, length in enumerate(lengths)]
    n = len(tags)
    batch = np.full((len(lengths), max(lengths), n + 2, n), np.nan)  # padding holds anything
    batch[2, 4:] = -np.inf
    for row, psi in enumerate(sentences):
        batch[row, : len(psi)] = psi
    for psi, batched in zip(sentences, crf_marginals(batch, lengths), strict=True):
        alone = CRFMarginals(psi)
        assert batched.log_z == pytest.approx(alone.log_z, abs=1e-9)
        for type_, start, end in [("PER", 0, 1), ("LOC", len(psi) - 1, len(psi)),
                                  ("PER", 0, len(psi))]:
            constraints = chunk_constraints(tags, scheme, type_, start, end, len(psi))
            assert batched.probability(constraints) == pytest.approx(
                alone.probability(constraints), abs=1e-9)
