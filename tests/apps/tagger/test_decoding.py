import itertools

import numpy as np
import pytest

from apps.tagger.decoding import transitions, viterbi
from datasets.schemes import convert

TAGS = {
    "bioes": ["O", "B-A", "I-A", "E-A", "S-A", "B-B", "I-B", "E-B", "S-B"],
    "iob2": ["O", "B-A", "I-A", "B-B", "I-B"],
}


def best_by_enumeration(log_p, pair, start, end):
    def total(path):
        steps = sum(pair[a, b] for a, b in zip(path, path[1:], strict=False))
        return start[path[0]] + end[path[-1]] + steps + sum(log_p[range(len(path)), path])

    return max(itertools.product(range(len(start)), repeat=len(log_p)), key=total)


@pytest.mark.parametrize("scheme", sorted(TAGS))
def test_viterbi_finds_the_best_well_formed_sequence(scheme):
    tags = TAGS[scheme]
    pair, start, end = transitions(tags, scheme)
    rng = np.random.default_rng(0)
    for _ in range(15):
        width = int(rng.integers(1, 5))
        lengths = rng.integers(1, width + 1, size=3)
        log_p = np.log(rng.dirichlet(np.ones(len(tags)), size=(3, width))).astype("float32")
        mask = np.arange(width)[None] < lengths[:, None]
        paths = viterbi(log_p, mask, pair, start, end).numpy()
        for row, length in enumerate(lengths):
            path = tuple(paths[row, :length])
            assert path == best_by_enumeration(log_p[row, :length], pair, start, end)
            sequence = [tags[i] for i in path]
            assert convert(sequence, scheme) == sequence


def test_viterbi_repairs_what_argmax_would_leave_ill_formed():
    tags = TAGS["bioes"]
    pair, start, end = transitions(tags, "bioes")
    # Per token, argmax says O, I-A, O: an inside tag with no chunk around it.
    probabilities = np.full((1, 3, len(tags)), 0.01, "float32")
    probabilities[0, :, 0] = [0.9, 0.2, 0.9]
    probabilities[0, 1, 2] = 0.4
    probabilities[0, 1, 4] = 0.25
    path = viterbi(np.log(probabilities), np.ones((1, 3), bool), pair, start, end).numpy()[0]
    assert [tags[i] for i in path] == ["O", "S-A", "O"]
