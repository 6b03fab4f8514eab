"""keras-hub-style checks for every custom layer and metric of the apps: the config round-trips,
the registered name deserializes to the same class, and a rebuilt layer computes the same."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from apps.dinos.model import Perplexity
from apps.tagger.f1_metric import EntityF1
from apps.tagger.features import CharacterSplit, CharCNN, TokenShapes, WordDropout, WordKeys

TOKENS = tf.constant([["Harry", "Potter", "flies", ""], ["NASA", "@bob", "2010", "x"]])
CHAR_IDS = np.random.default_rng(0).integers(0, 30, size=(2, 4, 6))

LAYERS = {
    "WordKeys": (lambda: WordKeys(), TOKENS),
    "TokenShapes": (lambda: TokenShapes(), TOKENS),
    "CharacterSplit": (lambda: CharacterSplit(5), TOKENS),
    "CharCNN": (lambda: CharCNN(30, char_dim=4, filters=3, widths=(2, 3)), CHAR_IDS),
    "WordDropout": (lambda: WordDropout(0.3, oov_id=1, seed=5), CHAR_IDS[..., 0]),
}
METRICS = {
    "Perplexity": lambda: Perplexity(),
    "EntityF1": lambda: EntityF1(["O", "B-PER", "E-PER", "S-PER"], "bioes"),
    "EntityF1 binary": lambda: EntityF1(["O", "I-person"]),
}


def round_trip(obj):
    serialized = keras.saving.serialize_keras_object(obj)
    return keras.saving.deserialize_keras_object(serialized)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_config_round_trips_and_the_copy_computes_the_same(name):
    make, inputs = LAYERS[name]
    layer = make()
    expected = np.asarray(layer(inputs))
    copy = round_trip(layer)
    assert type(copy) is type(layer)
    assert copy.get_config() == layer.get_config()
    copy(inputs)
    copy.set_weights(layer.get_weights())
    np.testing.assert_array_equal(np.asarray(copy(inputs)), expected)


@pytest.mark.parametrize("name", sorted(METRICS))
def test_metric_config_round_trips(name):
    metric = METRICS[name]()
    copy = round_trip(metric)
    assert type(copy) is type(metric)
    assert copy.get_config() == metric.get_config()


def test_char_cnn_reads_configs_of_models_saved_with_a_seed():
    config = CharCNN(30, char_dim=4, filters=3).get_config()
    assert CharCNN.from_config({**config, "seed": 7}).get_config() == config
