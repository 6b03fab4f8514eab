"""Per-token features computed inside the model, from the raw token strings.

Keeping them in the graph means a served model needs nothing but the tokens: the lookups, the
regular expressions and the character split travel with the weights. Padding is the empty string
everywhere, and it is the only token that maps to id 0.
"""

import tensorflow as tf
from keras import KerasTensor, layers, ops, random, saving

# Casing and shape classes, tried in order; a token gets the first that matches, id 0 is padding.
SHAPES = (
    ("url", r"(?:https?://|www\.).*"),
    ("mention", r"@.+"),
    ("hashtag", r"#.+"),
    ("number", r"[0-9]+(?:[.,:/-][0-9]+)*"),
    ("capitals", r"[^\p{Ll}]*\p{Lu}[^\p{Ll}]*\p{Lu}[^\p{Ll}]*"),
    ("initial", r"\p{Lu}\.?"),
    ("title", r"\p{Lu}[^\p{Lu}]*"),
    ("mixed", r".*\p{Lu}.*"),
    ("lower", r".*\p{Ll}.*"),
    ("digits", r".*[0-9].*"),
    ("other", r".+"),
)


class _StringLayer(layers.Layer):
    """A stateless layer over a string tensor; subclasses give `transform` and the output."""

    output_dtype = "string"

    def call(self, tokens):
        return self.transform(tf.convert_to_tensor(tokens))

    def compute_output_spec(self, tokens):
        return KerasTensor(self.output_shape_for(tokens.shape), dtype=self.output_dtype)

    def output_shape_for(self, shape):
        return shape


@saving.register_keras_serializable(package="tagger")
class WordKeys(_StringLayer):
    """Maps tokens to the keys of the word vocabulary.

    Lowercased, with every digit read as 0, URLs as `<url>`, @mentions as `<user>` and a hashtag as
    its word, so "#Denver", "Denver" and "DENVER" share one embedding; the casing and the `#` are
    left to the shape and character features. The empty padding token stays empty.

    Example:
    >>> WordKeys()(tf.constant([["#Denver", "@bob", "2010", ""]])).numpy().tolist()
    [[b'denver', b'<user>', b'0000', b'']]
    """

    def transform(self, tokens):
        keys = tf.strings.lower(tokens, encoding="utf-8")
        keys = tf.strings.regex_replace(keys, r"[0-9]", "0")
        keys = tf.strings.regex_replace(keys, r"^#(.)", r"\1")
        keys = tf.where(tf.strings.regex_full_match(keys, SHAPES[0][1]), "<url>", keys)
        return tf.where(tf.strings.regex_full_match(keys, SHAPES[1][1]), "<user>", keys)


@saving.register_keras_serializable(package="tagger")
class TokenShapes(_StringLayer):
    """Maps each token to its casing/shape class: 1 + its index in `SHAPES`, 0 for padding.

    Example:
    >>> TokenShapes()(tf.constant([["Harry", "NASA", "spell", ""]])).numpy().tolist()
    [[7, 5, 9, 0]]
    """

    output_dtype = "int32"

    def transform(self, tokens):
        ids = tf.zeros_like(tokens, dtype=tf.int32)
        for index, (_, pattern) in reversed(list(enumerate(SHAPES, start=1))):
            ids = tf.where(tf.strings.regex_full_match(tokens, pattern), index, ids)
        return ids


@saving.register_keras_serializable(package="tagger")
class CharacterSplit(_StringLayer):
    """Splits every token into its first `max_chars` Unicode characters, padded with "".

    Args:
        max_chars: characters kept per token.

    Input `(batch, Tx)` strings; output `(batch, Tx, max_chars)` strings. Bytes that are not UTF-8
    become U+FFFD.
    """

    def __init__(self, max_chars, **kwargs):
        super().__init__(**kwargs)
        self.max_chars = max_chars

    def transform(self, tokens):
        characters = tf.strings.unicode_split(tokens, "UTF-8", errors="replace")
        shape = tf.concat([tf.shape(tokens), [self.max_chars]], axis=0)
        return characters.to_tensor(default_value="", shape=shape)

    def output_shape_for(self, shape):
        return (*shape, self.max_chars)

    def get_config(self):
        return {**super().get_config(), "max_chars": self.max_chars}


@saving.register_keras_serializable(package="tagger")
class CharCNN(layers.Layer):
    """A word's character feature: embed its characters, convolve, max-pool over the word.

    Works on the 4-D tensor `(batch, Tx, max_chars)` of character ids directly: each convolution
    is a `Conv2D` with a `(1, width)` kernel, so it slides along the characters of one word and
    never across words, and no reshape or `TimeDistributed` is needed. Padding characters (id 0)
    are excluded from the max; a padding word gives zeros and is masked (the output mask is True
    for words with at least one character).

    Args:
        n_chars: size of the character vocabulary, padding and OOV ids included.
        char_dim: size of a character embedding.
        filters: filters per kernel width.
        widths: kernel widths in characters; the output has `filters * len(widths)` units.

    Example:
    >>> ids = np.random.default_rng(0).integers(0, 50, size=(2, 5, 12))  # (batch, Tx, chars)
    >>> tuple(CharCNN(n_chars=50, char_dim=8, filters=16, widths=(2, 3))(ids).shape)
    (2, 5, 32)
    """

    def __init__(self, n_chars, char_dim=32, filters=50, widths=(3,), **kwargs):
        super().__init__(**kwargs)
        self.n_chars = n_chars
        self.char_dim = char_dim
        self.filters = filters
        self.widths = tuple(widths)
        self.embedding = layers.Embedding(n_chars, char_dim, name="char_embedding")
        self.convolutions = [
            layers.Conv2D(
                filters, (1, width), padding="same", activation="relu", name=f"conv{width}"
            )
            for width in self.widths
        ]

    def build(self, input_shape):
        self.embedding.build(input_shape)
        for convolution in self.convolutions:
            convolution.build((*input_shape, self.char_dim))

    def call(self, char_ids):
        keep = ops.expand_dims(ops.cast(ops.not_equal(char_ids, 0), self.compute_dtype), -1)
        # Padding characters embed to zeros, as the convolutions' own padding does, so a word's
        # feature does not depend on how many padding characters follow it; and as ReLU outputs
        # are ≥ 0, zeroing them again after the convolution keeps them out of the max.
        x = ops.multiply(self.embedding(char_ids), keep)
        pooled = [ops.max(ops.multiply(conv(x), keep), axis=2) for conv in self.convolutions]
        return ops.concatenate(pooled, axis=-1)

    def compute_mask(self, char_ids, mask=None):
        return ops.any(ops.not_equal(char_ids, 0), axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:2], self.filters * len(self.widths))

    def get_config(self):
        return {
            **super().get_config(),
            "n_chars": self.n_chars,
            "char_dim": self.char_dim,
            "filters": self.filters,
            "widths": list(self.widths),
        }

    @classmethod
    def from_config(cls, config):
        # Models saved before 0.2 carry an unused "seed".
        return cls(**{key: value for key, value in config.items() if key != "seed"})


@saving.register_keras_serializable(package="tagger")
class WordDropout(layers.Layer):
    """While training, replaces word ids by the out-of-vocabulary id with probability `rate`.

    The model thus learns to tag words it has never seen from their shape and characters, which
    is most of a test set's entities. Padding (0) is kept, and the layer is the identity at
    inference.

    Args:
        rate: probability of dropping a word.
        oov_id: the id that stands for an unknown word.
        seed: seed of the random draws.
    """

    def __init__(self, rate, oov_id=1, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.oov_id = oov_id
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)

    def call(self, ids, training=False):
        if not training or self.rate == 0:
            return ids
        draw = random.uniform(ops.shape(ids), seed=self.seed_generator)
        dropped = ops.logical_and(draw < self.rate, ops.not_equal(ids, 0))
        return ops.where(dropped, ops.cast(self.oov_id, ids.dtype), ids)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "oov_id": self.oov_id, "seed": self.seed}
