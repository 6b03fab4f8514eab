"""Entity F1 as a streaming Keras metric, so training can keep the weights of the best dev F1.

A predicted chunk is correct when a gold chunk has the same start, end and type, chunks being read
with conlleval's rules (`apps.tagger.chunk_ops`). The tests check it against
`apps.tagger.scores.entity_scores`.
"""

import numpy as np
import tensorflow as tf
from keras import metrics, saving

from apps.tagger.chunk_ops import TagTables, chunk_flags, next_end
from apps.tagger.decoding import transitions, viterbi
from layers.crf import crf_decode


@saving.register_keras_serializable(package="tagger")
class EntityF1(metrics.Metric):
    """Micro-averaged entity F1 over all types, accumulated over batches.

    Args:
        tags: the model's classes in order, e.g. `["O", "B-PER", "E-PER", ...]`; a binary model
            passes `["O", "I-person"]` and gets its sigmoid output thresholded at 0.5.
        scheme: the scheme of `tags` ("iob2" or "bioes") to decode softmax predictions as the
            served tagger does, with constrained Viterbi (`apps.tagger.decoding`); None for
            argmax. The potentials of a `layers.CRF` (a 4-D `y_pred`) are always decoded by
            Viterbi with the CRF's learned scores, as served.
        name: metric name; with `fit` on validation data it is logged as `val_<name>`.

    Padding is recognised from the sample weights: a step with weight 0 counts as `O`.
    """

    def __init__(self, tags, scheme=None, name="f1", **kwargs):
        super().__init__(name=name, **kwargs)
        self.tags = list(tags)
        self.scheme = scheme
        self._tables = TagTables(self.tags)
        self._transitions = transitions(self.tags, scheme) if scheme else None
        self.counts = self.add_variable(shape=(3,), initializer="zeros", name="counts")

    def _predicted_ids(self, y_pred, real):
        if len(y_pred.shape) == 4:
            return crf_decode(y_pred, real)[0]
        if y_pred.shape[-1] == 1:
            return tf.cast(y_pred[..., 0] > 0.5, tf.int32)
        if self._transitions is None:
            return tf.argmax(y_pred, axis=-1, output_type=tf.int32)
        log_probabilities = tf.math.log(tf.maximum(tf.cast(y_pred, tf.float32), 1e-12))
        return viterbi(log_probabilities, real, *self._transitions)

    def update_state(self, y_true, y_pred, sample_weight=None):
        gold = tf.cast(y_true, tf.int32)
        gold = gold[..., 0] if gold.shape.rank == 3 else gold
        real = tf.ones_like(gold, tf.bool)
        if sample_weight is not None:
            real = tf.reshape(sample_weight, tf.shape(gold)) > 0
        predicted = self._predicted_ids(y_pred, real)
        gold, predicted = tf.where(real, gold, 0), tf.where(real, predicted, 0)
        flags = []
        for ids in (gold, predicted):
            prefix, type_ = self._tables.lookup(ids)
            starts, ends = chunk_flags(prefix, type_)
            flags.append((starts, next_end(ends), type_))
        (gold_starts, gold_end, gold_type), (pred_starts, pred_end, pred_type) = flags
        correct = (
            gold_starts
            & pred_starts
            & tf.equal(gold_type, pred_type)
            & tf.equal(gold_end, pred_end)
        )
        batch_counts = tf.stack(
            [tf.math.count_nonzero(x) for x in (correct, gold_starts, pred_starts)]
        )
        self.counts.assign_add(tf.cast(batch_counts, self.counts.dtype))

    def result(self):
        correct, n_gold, n_pred = self.counts[0], self.counts[1], self.counts[2]
        return tf.math.divide_no_nan(2 * correct, n_gold + n_pred)

    def reset_state(self):
        self.counts.assign(np.zeros(3, self.counts.dtype))

    def get_config(self):
        return {**super().get_config(), "tags": self.tags, "scheme": self.scheme}
