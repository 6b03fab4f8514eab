"""The most probable well-formed tag sequence under the per-token softmax.

Argmax picks each token's tag on its own and can produce `O I-X` or `B-X E-Y`; conlleval would
read those as chunks anyway, usually wrong ones. Viterbi over log ŷ⟨t⟩ with the scheme's
transitions as hard constraints (a tag may follow another or not; no learned weights) returns the
best sequence among the valid ones instead.
"""

import numpy as np
import tensorflow as tf

from datasets.schemes import split_tag

# Stands in for log 0: finite, so that sums stay ordered and never become NaN.
_IMPOSSIBLE = -1e4


def transitions(tags: list[str], scheme: str):
    """Allowed `(previous, next)` tag pairs of a well-formed sequence in `scheme` (IOB2 or
    BIOES), and which tags may start and end a sentence, as 0 / `_IMPOSSIBLE` scores."""
    split = [split_tag(tag) for tag in tags]
    closes = [prefix in ("O", "E", "S") or scheme == "iob2" for prefix, _ in split]
    opens = [prefix in ("O", "B", "S") for prefix, _ in split]

    def allowed(previous, following):
        (p_prefix, p_type), (f_prefix, f_type) = split[previous], split[following]
        continues = f_prefix in ("I", "E") and p_prefix in ("B", "I") and p_type == f_type
        return continues or (closes[previous] and opens[following])

    n = len(tags)
    pair = [[allowed(p, f) for f in range(n)] for p in range(n)]
    return tuple(_as_score(ok) for ok in (pair, opens, closes))


def _as_score(allowed):
    return np.where(np.array(allowed), 0.0, _IMPOSSIBLE).astype("float32")


def viterbi(log_probabilities, mask, pair, start, end):
    """Best tag ids `(batch, Tx)` under the constraints; steps where `mask` is False (padding at
    the end of a row) leave the path unchanged and get the last real step's tag."""
    n_tags = tf.shape(pair)[0]
    pair, start, end = (tf.constant(x) for x in (pair, start, end))
    time_major = tf.transpose(log_probabilities, [1, 0, 2])
    mask = tf.transpose(mask, [1, 0])
    stay = tf.range(n_tags)[None, :]

    def forward(carry, step):
        score, _ = carry
        log_p, real = step
        candidates = score[:, :, None] + pair[None]
        best = tf.reduce_max(candidates, axis=1) + log_p
        pointer = tf.argmax(candidates, axis=1, output_type=tf.int32)
        return tf.where(real[:, None], best, score), tf.where(real[:, None], pointer, stay)

    first = time_major[0] + start
    initial_pointer = tf.zeros_like(first, dtype=tf.int32) + stay
    scores, pointers = tf.scan(forward, (time_major[1:], mask[1:]), (first, initial_pointer))
    final = tf.concat([first[None], scores], axis=0)[-1] + end
    last = tf.argmax(final, axis=-1, output_type=tf.int32)

    def backward(following, step_pointers):
        return tf.gather(step_pointers, following, batch_dims=1)

    earlier = tf.scan(backward, pointers, last, reverse=True)
    path = tf.concat([earlier, last[None]], axis=0)
    return tf.transpose(path, [1, 0])
