"""The served tagger: token strings in, tag strings out, in one TensorFlow graph.

`DIR/export/` is a SavedModel with one signature, `tag`:

    loaded = tf.saved_model.load("saved_models/tagger/export")
    loaded.signatures["tag"](tokens=tf.constant([["Harry", "Potter", "flies"]]))["tags"]

Input `tokens`, a `(batch, Tx)` string matrix padded with ""; output `tags`, the same shape, with ""
at the padding. Vocabularies, regular expressions and the tag scheme are in the graph, so loading it
needs TensorFlow alone.
"""

import tensorflow as tf

from apps.common.export import atomic_dir
from apps.tagger.chunk_ops import TagTables, write_scheme
from apps.tagger.config import TaggerConfig
from apps.tagger.decoding import transitions, viterbi

SIGNATURE = "tag"


class TagServer(tf.Module):
    """The tagger with its decoding: the best well-formed tag sequence (Viterbi under the scheme's
    constraints; a 0.5 threshold for a binary model), written in the training data's scheme.

    Args:
        tagger: the Keras model from token strings to tag probabilities.
        config: its `TaggerConfig` (tags, scheme, binary).
    """

    def __init__(self, tagger, config: TaggerConfig):
        super().__init__(name="tagger")
        self.tagger = tagger
        self.binary = config.binary
        self.scheme = config.scheme
        if not config.binary:
            self.tables = TagTables(config.tags)
            self.transitions = transitions(config.tags, config.internal_scheme)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.string, name="tokens")])
    def tag(self, tokens):
        probabilities = self.tagger(tokens, training=False)
        padding = tf.equal(tokens, "")
        if self.binary:
            tags = tf.where(probabilities[..., 0] > 0.5, "1", "0")
        else:
            log_probabilities = tf.math.log(tf.maximum(probabilities, 1e-12))
            ids = viterbi(log_probabilities, ~padding, *self.transitions)
            # Padding reads as O so that it neither opens nor continues a chunk.
            ids = tf.where(padding, 0, ids)
            prefix, type_ = self.tables.lookup(ids)
            tags = write_scheme(prefix, type_, self.tables.types, self.scheme)
        return {"tags": tf.where(padding, "", tags)}


def export_tagger(server: TagServer, path) -> None:
    """Writes the SavedModel to `path` atomically: a crash leaves the previous export intact."""
    with atomic_dir(path) as tmp:
        tf.saved_model.save(server, str(tmp), signatures={SIGNATURE: server.tag})
