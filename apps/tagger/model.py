"""The tagger: raw tokens in, a score for every tag of every token out (Tx = Ty).

    tokens (batch, Tx) strings, "" = padding
    featurizer (no weights):
      ├─ WordKeys → StringLookup (+1 OOV id)                 words  (batch, Tx)
      ├─ TokenShapes                                          shapes (batch, Tx)
      └─ CharacterSplit → StringLookup                        chars  (batch, Tx, max_chars)
    network:
      words → WordDropout → Embedding(mask_zero=True)         (GloVe 6B 50-d to start from)
      shapes → Embedding                                      (casing and shape)
      chars → CharCNN                                         (characters of each word)
      concatenate → Dropout → deep bidirectional RNN (layers.deep_rnn) → Dropout
      → Dense on the last axis: e⟨t⟩, one score per tag → CRF (layers.crf): potentials
        (`decoder="softmax"`: a softmax over tags, or for `binary` one sigmoid, as in the course)

The featurizer and the network are two models so that training can look the strings up once and
reuse the ids every epoch; the tagger is the two composed and shares their weights. The mask made
by the word embedding follows the sequence through the RNN and the CRF, so padding changes neither
the other tokens' outputs nor the loss.
"""

import keras
from keras import layers

from apps.tagger.config import TaggerConfig
from apps.tagger.f1_metric import EntityF1
from apps.tagger.features import SHAPES, CharacterSplit, CharCNN, TokenShapes, WordDropout, WordKeys
from layers import CELLS, deep_rnn
from layers.crf import CRF, CRFLoss, allowed_transitions


def build_featurizer(config: TaggerConfig, words: list[str], chars: list[str]) -> keras.Model:
    """Token strings to the network's three id tensors; 0 is padding, 1 an unknown word or char."""
    tokens = keras.Input(shape=(None,), dtype="string", name="tokens")
    word_ids = layers.StringLookup(vocabulary=words, mask_token="", name="word_lookup")(
        WordKeys(name="word_keys")(tokens)
    )
    char_ids = layers.StringLookup(vocabulary=chars, mask_token="", name="char_lookup")(
        CharacterSplit(config.max_chars, name="characters")(tokens)
    )
    shape_ids = TokenShapes(name="shapes")(tokens)
    outputs = {"words": word_ids, "shapes": shape_ids, "chars": char_ids}
    return keras.Model(tokens, outputs, name="featurizer")


def output_tags(config: TaggerConfig, tags: list[str]) -> list[str]:
    """The classes the metric and the CRF see: a binary model's 0 / 1 read as O / I-person."""
    return ["O", "I-person"] if config.binary else list(tags)


def build_network(config: TaggerConfig, n_words: int, n_chars: int, tags: list[str]) -> keras.Model:
    """The trainable part: ids to CRF potentials, or per-token tag probabilities."""
    inputs = {
        "words": keras.Input(shape=(None,), dtype="int64", name="words"),
        "shapes": keras.Input(shape=(None,), dtype="int32", name="shapes"),
        "chars": keras.Input(shape=(None, None), dtype="int64", name="chars"),
    }
    word_ids = WordDropout(config.word_dropout, seed=config.seed, name="word_dropout")(
        inputs["words"]
    )
    word_vectors = layers.Embedding(
        n_words, config.embedding_dim, mask_zero=True, name="word_embedding"
    )(word_ids)
    # Every branch masks the padding: Concatenate keeps a step if ANY input's mask does.
    shape_vectors = layers.Embedding(
        len(SHAPES) + 1, config.shape_dim, mask_zero=True, name="shape_embedding"
    )(inputs["shapes"])
    char_vectors = CharCNN(
        n_chars, config.char_dim, config.char_filters, config.char_widths, name="char_cnn"
    )(inputs["chars"])

    x = layers.Concatenate(name="token_features")([word_vectors, shape_vectors, char_vectors])
    x = layers.Dropout(config.dropout, seed=config.seed, name="feature_dropout")(x)
    cell = CELLS[config.cell](config.units, seed=config.seed)
    a = deep_rnn(x, cell, num_layers=config.layers, bidirectional=True, name="birnn")
    a = layers.Dropout(config.dropout, seed=config.seed, name="rnn_dropout")(a)
    if config.sigmoid_output:
        y = layers.Dense(1, activation="sigmoid", name="is_person")(a)
    elif config.decoder == "softmax":
        y = layers.Dense(len(tags), activation="softmax", name="tag_probabilities")(a)
    else:
        classes = output_tags(config, tags)
        # e⟨t⟩: one score per tag, which the CRF adds to the learned transition scores.
        emissions = layers.Dense(len(classes), name="emissions")(a)
        allowed = {}
        if not config.binary:
            pair, first, last = allowed_transitions(classes, config.internal_scheme)
            allowed = {"allowed": pair, "allowed_start": first, "allowed_end": last}
        y = CRF(len(classes), **allowed, name="crf")(emissions)
    return keras.Model(inputs, y, name="network")


def build_tagger(config: TaggerConfig, tags: list[str], words: list[str], chars: list[str]):
    """`(tagger, featurizer, network)`; the tagger maps token strings to probabilities over
    `tags` (the model's classes), or to CRF potentials."""
    featurizer = build_featurizer(config, words, chars)
    # StringLookup adds the padding and OOV ids to the vocabulary.
    network = build_network(config, len(words) + 2, len(chars) + 2, tags)
    return compose_tagger(featurizer, network), featurizer, network


def compose_tagger(featurizer: keras.Model, network: keras.Model) -> keras.Model:
    """Token strings → tag probabilities: the featurizer, then the network (weights shared)."""
    tokens = keras.Input(shape=(None,), dtype="string", name="tokens")
    return keras.Model(tokens, network(featurizer(tokens)), name="tagger")


def compile_network(network: keras.Model, config: TaggerConfig, tags: list[str]) -> keras.Model:
    """Adam on the CRF's negative log-likelihood or on cross-entropy, with entity F1 (decoded as
    served) as the metric that picks the best epoch."""
    classes = output_tags(config, tags)
    f1 = EntityF1(classes, None if config.binary else config.internal_scheme)
    if config.decoder == "crf":
        loss = CRFLoss()
    elif config.sigmoid_output:
        loss = "binary_crossentropy"
    else:
        loss = "sparse_categorical_crossentropy"
    network.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate), loss=loss, weighted_metrics=[f1]
    )
    return network
