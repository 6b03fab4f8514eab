"""The served tagger: token strings in, tag strings out, in one TensorFlow graph.

The model folder's SavedModel has three signatures:

    loaded = tf.saved_model.load("saved_models/tagger/export/1")   # export/ in older folders
    loaded.signatures["tag"](tokens=tf.constant([["Harry", "Potter", "flies"]]))["tags"]

- `tag` and `serving_default` (the same function; TF Serving calls the second by default): input
  `tokens`, a `(batch, Tx)` string matrix padded with ""; output `tags`, the same shape, with ""
  at the padding.
- `scores`: the same input; outputs `tags` and `scores`, what the model computes before decoding
  (a CRF's potentials ψ `(batch, Tx, n + 2, n)`, else per-token probabilities `(batch, Tx, n)`, or
  `(batch, Tx, 1)` for a binary sigmoid), from which `apps.tagger.confidence` computes how sure
  the model is of each entity.

Vocabularies, regular expressions and the tag scheme are in the graph, so loading it needs
TensorFlow alone.
"""

import tensorflow as tf

from apps.common.model_folder import read_model_folder
from apps.common.serving import keep_variables
from apps.tagger.chunk_ops import TagTables, write_scheme
from apps.tagger.config import TaggerConfig
from apps.tagger.decoding import transitions, viterbi
from datasets.errors import InputError
from layers.crf import crf_decode

# Settings a config.json written before they existed implies: the model it describes.
EARLIER_DEFAULTS = {"vectors": "none", "decoder": "softmax", "casing_share": 0.0}

SIGNATURE = "tag"
SCORES_SIGNATURE = "scores"


class TagServer(tf.Module):
    """The tagger with its decoding, written in the training data's scheme: Viterbi with the
    CRF's learned scores, or for a softmax model the best well-formed tag sequence (Viterbi under
    the scheme's constraints; a 0.5 threshold for a binary model's sigmoid).

    Args:
        tagger: the Keras model from token strings to CRF potentials or tag probabilities.
        config: its `TaggerConfig` (decoder, binary, internal_scheme).
        tags: the model's classes, in `config.internal_scheme`.
        scheme: the training data's scheme, which the served tags are written in.
    """

    def __init__(self, tagger, config: TaggerConfig, tags, scheme):
        super().__init__(name="tagger")
        # Not the Keras model itself: only its variables (`keep_variables`) are saved.
        object.__setattr__(self, "tagger", tagger)
        keep_variables(self, tagger)
        self.lookup_tables = [
            layer.lookup_table for layer in _all_layers(tagger) if hasattr(layer, "lookup_table")
        ]
        self.binary = config.binary
        self.crf = config.decoder == "crf"
        self.scheme = scheme
        if not config.binary:
            self.tables = TagTables(tags)
            self.transitions = transitions(tags, config.internal_scheme)

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.string, name="tokens")])
    def tag(self, tokens):
        return {"tags": self._decode(tokens, self.tagger(tokens, training=False))}

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.string, name="tokens")])
    def scores(self, tokens):
        output = self.tagger(tokens, training=False)
        return {"tags": self._decode(tokens, output), "scores": output}

    def _decode(self, tokens, output):
        padding = tf.equal(tokens, "")
        if self.crf:
            ids = crf_decode(output, ~padding)[0]
        elif self.binary:
            ids = tf.cast(output[..., 0] > 0.5, tf.int32)
        else:
            log_probabilities = tf.math.log(tf.maximum(output, 1e-12))
            ids = viterbi(log_probabilities, ~padding, *self.transitions)
        if self.binary:
            tags = tf.where(tf.equal(ids, 1), "1", "0")
        else:
            # Padding reads as O so that it neither opens nor continues a chunk.
            ids = tf.where(padding, 0, ids)
            prefix, type_ = self.tables.lookup(ids)
            tags = write_scheme(prefix, type_, self.tables.types, self.scheme)
        return tf.where(padding, "", tags)


def _all_layers(model):
    for layer in model.layers:
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


def export_tagger(server: TagServer, path) -> None:
    """Save the SavedModel with its signatures (`tag`, `serving_default`, `scores`) into the
    empty folder `path`."""
    signatures = {SIGNATURE: server.tag, "serving_default": server.tag,
                  SCORES_SIGNATURE: server.scores}
    tf.saved_model.save(server, str(path), signatures=signatures)


def load_tagger(model_dir) -> tuple[TagServer, TaggerConfig]:
    """The served tagger and its config from a folder `train` wrote (see
    `apps.common.model_folder`).

    Raises:
        InputError: the folder or one of its files is missing or unreadable.
    """
    from apps.tagger import f1_metric, features  # noqa: F401  (register the custom objects)

    trained = read_model_folder(model_dir, "tagger")
    config = TaggerConfig.from_dict(
        {**EARLIER_DEFAULTS, **trained.config}, source=trained.path / "config.json"
    )
    tags = trained.vocabularies.get("tags")
    scheme = trained.facts.get("scheme")
    if tags is None or scheme is None:
        raise InputError(f"{trained.path}: vocab.json has no tags or facts.json no scheme")
    return TagServer(trained.model, config, tags, scheme), config
