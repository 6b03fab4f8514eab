import numpy as np
import pytest

from apps.dinos.data import (
    OFFSET,
    PAD,
    START,
    Vocabulary,
    length_buckets,
    make_dataset,
    text_windows,
    training_stream,
)
from datasets.errors import InputError


def test_vocabulary_is_sorted_lower_case_characters_with_the_end_token_first():
    vocab = Vocabulary.from_texts(["Zby", "Anzu"])
    assert vocab.chars == ("\n", "a", "b", "n", "u", "y", "z")
    assert vocab.char_to_ix["\n"] == vocab.end_id == 0
    assert vocab.decode(vocab.encode("AnZu")) == "anzu"


def test_encoding_an_unknown_character_names_it():
    with pytest.raises(InputError, match=r"'t-rex'.*'-'"):
        Vocabulary.from_texts(["trex"]).encode("t-rex")


def test_batches_are_start_then_name_in_and_name_then_end_out():
    vocab = Vocabulary.from_texts(["anzu", "zby"])
    (x, y, w), = make_dataset(["anzu", "zby"], vocab, batch_size=2).as_numpy_iterator()
    assert x.shape == y.shape == w.shape == (2, 5)
    assert x.dtype == y.dtype == np.int32
    assert x[:, 0].tolist() == [START, START]
    assert vocab.decode(y[0]) == "anzu\n"
    assert vocab.decode(y[1, :4]) == "zby\n"
    # Teacher forcing: the input at t+1 is the target at t.
    assert np.array_equal(x[0, 1:], y[0, :-1] + OFFSET)


def test_padding_is_masked_in_the_input_and_weighted_zero():
    vocab = Vocabulary.from_texts(["anzu", "zby"])
    (x, _, w), = make_dataset(["anzu", "zby"], vocab, batch_size=2).as_numpy_iterator()
    assert x[1, 4] == PAD
    assert w.tolist() == [[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]]
    assert np.array_equal(w, (x != PAD).astype("float32"))


def test_text_windows_have_no_end_token():
    vocab = Vocabulary.from_texts(["ab cd"])
    (x, y, _), = make_dataset(["ab cd"], vocab, batch_size=1, end_token=False).as_numpy_iterator()
    assert vocab.decode(y[0]) == "ab cd"
    assert x.shape == (1, 5)


def test_shuffling_is_seeded():
    names = [f"{chr(97 + i)}x" for i in range(20)]
    vocab = Vocabulary.from_texts(names)

    def epoch(seed, e):
        stream = training_stream(names, vocab, batch_size=20, seed=seed)
        return next(stream.epoch(e).as_numpy_iterator())[1].tolist()

    assert epoch(3, 0) == epoch(3, 0)
    assert epoch(3, 0) != epoch(4, 0)
    assert epoch(3, 0) != epoch(3, 1)


def test_text_windows_cut_lower_cased_text_without_overlap():
    assert text_windows("ABCDEFG", 3) == ["abc", "def"]
    assert text_windows("ABCDEFGH", 3) == ["abc", "def", "gh"]


def test_bucketed_batches_hold_similar_lengths_and_every_name_once():
    names = [("abcdefghijklmnop"[: 2 + i % 9]) + chr(97 + i % 26) for i in range(90)]
    vocab = Vocabulary.from_texts(names)
    boundaries = length_buckets([len(name) + 1 for name in names], batch_size=8)
    assert boundaries == sorted(boundaries) and len(boundaries) >= 3
    stream = training_stream(names, vocab, batch_size=8, seed=1, bucket=True)
    seen, steps = [], 0
    for _, y, w in stream.epoch(0).as_numpy_iterator():
        lengths = w.sum(axis=1).astype(int)
        buckets = {int(np.searchsorted(boundaries, n, side="right")) for n in lengths}
        assert len(buckets) == 1, lengths  # one bucket per batch
        seen += [vocab.decode(row[:n - 1]) for row, n in zip(y, lengths, strict=True)]
        steps += 1
    assert sorted(seen) == sorted(names)
    assert steps == stream.steps_per_epoch
    plain = training_stream(names, vocab, batch_size=8, seed=1)
    padded = sum(x.size for x, _, _ in plain.epoch(0).as_numpy_iterator())
    bucketed = sum(x.size for x, _, _ in stream.epoch(0).as_numpy_iterator())
    assert bucketed < padded


def test_length_buckets_hold_at_least_a_batch_each():
    lengths = [3] * 5 + [4] * 20 + [5] * 2 + [9]
    boundaries = length_buckets(lengths, batch_size=4)
    edges = [0, *boundaries, 100]
    pairs = zip(edges[:-1], edges[1:], strict=True)
    sizes = [sum(lo <= n < hi for n in lengths) for lo, hi in pairs]
    assert all(size >= 4 for size in sizes) and sum(sizes) == len(lengths)
    assert length_buckets([5] * 3, batch_size=4) == []  # too few for two buckets
