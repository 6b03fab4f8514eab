"""conlleval's chunk rules on tensors of tag ids, for the F1 metric and the served tagger.

The same reading as `datasets.schemes.chunks`: a chunk starts at `s` when
`startOfChunk(tag[s-1], tag[s])` and ends before the first `t > s` where `endOfChunk(tag[t-1],
tag[t])`. Tensors are `(batch, Tx)`; padding must already be the `O` id.
"""

import tensorflow as tf

from datasets.schemes import split_tag

O, B, I, E, S = range(5)
_PREFIX_CODES = {"O": O, "B": B, "I": I, "E": E, "S": S}


class TagTables:
    """Each tag id's prefix code and type id (0 for `O`), and the type names (index 0 is "")."""

    def __init__(self, tags):
        split = [split_tag(tag) for tag in tags]
        self.types = ["", *sorted({type_ for _, type_ in split if type_})]
        self.prefix = tf.constant([_PREFIX_CODES[p] for p, _ in split], tf.int32)
        self.type = tf.constant([self.types.index(t) for _, t in split], tf.int32)

    def lookup(self, ids):
        return tf.gather(self.prefix, ids), tf.gather(self.type, ids)


def _among(x, codes):
    return tf.reduce_any(tf.stack([tf.equal(x, c) for c in codes]), axis=0)


def _previous(x, fill):
    return tf.concat([tf.fill([tf.shape(x)[0], 1], fill), x[:, :-1]], axis=1)


def chunk_flags(prefix, type_):
    """`starts (batch, Tx)` and `ends (batch, Tx + 1)`, where `ends[:, t]` closes a chunk just
    before t (so `ends[:, Tx]` closes one still open after the last token)."""
    prefix = tf.pad(prefix, [[0, 0], [0, 1]])  # an O after the last token closes open chunks
    type_ = tf.pad(type_, [[0, 0], [0, 1]])
    previous, previous_type = _previous(prefix, O), _previous(type_, 0)
    other_type = tf.not_equal(type_, previous_type)
    starts = _among(prefix, [B, S]) | (
        _among(prefix, [I, E]) & (_among(previous, [E, S, O]) | other_type)
    )
    ends = _among(previous, [E, S]) | (
        _among(previous, [B, I]) & (_among(prefix, [B, S, O]) | other_type)
    )
    return starts[:, :-1], ends


def next_end(ends):
    """For every s, the first t > s with `ends[:, t]`: where the chunk starting at s ends."""
    length = tf.shape(ends)[1]
    positions = tf.where(ends, tf.range(length)[None, :], length)
    # A running minimum from the right, over time-major rows.
    from_right = tf.scan(tf.minimum, tf.reverse(tf.transpose(positions), [0]))
    return tf.transpose(tf.reverse(from_right, [0]))[:, 1:]


def write_scheme(prefix, type_, type_names, scheme):
    """Tag strings in `scheme` for the chunks the ids describe; ill-formed input is repaired the
    way `datasets.schemes.convert` repairs it."""
    starts, ends = chunk_flags(prefix, type_)
    inside = tf.not_equal(prefix, O)
    last = ends[:, 1:]
    previous_inside = _previous(inside, False)
    same_type_before = previous_inside & tf.equal(_previous(type_, 0), type_)
    if scheme == "iob1":
        new = starts & same_type_before
        letter = tf.where(new, "B", "I")
    elif scheme == "iob2":
        letter = tf.where(starts, "B", "I")
    else:
        letter = tf.where(starts, tf.where(last, "S", "B"), tf.where(last, "E", "I"))
    names = tf.gather(tf.constant(type_names), type_)
    return tf.where(inside, tf.strings.join([letter, names], separator="-"), "O")
