import numpy as np

from apps.tagger.config import TaggerConfig
from apps.tagger.data import (
    char_vocabulary,
    make_dataset,
    person_labels,
    tag_vocabulary,
    training_stream,
    word_vocabulary,
)
from apps.tagger.model import build_featurizer
from datasets.conll import Sentence, read_conll

from .conftest import FIXTURE

SENTENCES = [
    Sentence(("Harry", "Potter", "flies"), ("B-PER", "I-PER", "O")),
    Sentence(("harry", "saw", "London", "and", "Harry"), ("B-PER", "O", "B-LOC", "O", "B-PER")),
]


def test_vocabularies_are_lowercased_and_frequency_ordered():
    assert word_vocabulary(SENTENCES, min_count=1)[0] == "harry"
    assert word_vocabulary(SENTENCES, min_count=2) == ["harry"]
    assert char_vocabulary(SENTENCES)[0] == "r"
    assert tag_vocabulary(SENTENCES, "bioes") == ["O", "B-PER", "E-PER", "S-LOC", "S-PER"]


def test_person_labels_mark_tokens_inside_person_names():
    tags = ("B-PER", "I-PER", "O", "B-person", "B-LOC")
    assert person_labels(tags) == [1, 1, 0, 1, 0]


def test_batches_are_padded_with_zero_weight_and_bucketed_by_length():
    sentences = read_conll(FIXTURE)
    config = TaggerConfig(batch_size=4)
    tags = tag_vocabulary(sentences, "bioes")
    featurizer = build_featurizer(config, ["harry"], ["a", "r"])
    seen = 0
    for x, y, weights in training_stream(sentences, config, tags, featurizer).epoch(1):
        words, chars = x["words"].numpy(), x["chars"].numpy()
        np.testing.assert_array_equal(weights.numpy() > 0, words != 0)
        assert y.shape == words.shape == chars.shape[:2]
        assert not chars[words == 0].any()
        lengths = weights.numpy().sum(axis=1)
        assert lengths.max() - lengths.min() < 8
        seen += len(lengths)
    assert seen == len(sentences)


def test_binary_labels_are_one_float_per_token_for_a_sigmoid():
    config = TaggerConfig(binary=True, decoder="softmax")
    featurizer = build_featurizer(config, ["harry"], ["a"])
    _, y, _ = next(iter(make_dataset(SENTENCES[:1], config, ["0", "1"], featurizer)))
    np.testing.assert_array_equal(y.numpy()[0, :, 0], [1.0, 1.0, 0.0])


def test_binary_labels_are_class_ids_for_a_crf():
    config = TaggerConfig(binary=True, decoder="crf")
    featurizer = build_featurizer(config, ["harry"], ["a"])
    _, y, _ = next(iter(make_dataset(SENTENCES[:1], config, ["0", "1"], featurizer)))
    assert y.dtype == "int32"
    np.testing.assert_array_equal(y.numpy()[0], [1, 1, 0])
