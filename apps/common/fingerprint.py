"""A fingerprint of a run's data, so that `--resume` can tell the same data from other data."""

import hashlib

import tensorflow as tf

_BUCKETS = 1 << 62


def dataset_fingerprint(dataset):
    """A hex digest of every element of the finite `dataset`, in order.

    Computed inside TensorFlow in one pass (each element serialized and hashed with FarmHash,
    the hashes chained), so it costs about one epoch of reading and works for any element
    structure (dense, ragged, strings).
    """

    def element(*parts):
        flat = tf.nest.flatten(parts, expand_composites=True)
        serialized = tf.strings.join([tf.io.serialize_tensor(t) for t in flat], separator="\x1f")
        return tf.strings.to_hash_bucket_fast(serialized, _BUCKETS)

    def chain(state, value):
        return tf.strings.to_hash_bucket_fast(tf.strings.format("{}:{}", (state, value)), _BUCKETS)

    hashes = dataset.map(element)
    value = int(hashes.reduce(tf.constant(0, tf.int64), chain))
    return f"{value:016x}"


def run_fingerprint(prepared):
    """The data's fingerprint for a `Prepared`: the app's own (`prepared.fingerprint`), else the
    training examples' (an `EpochStream`'s) and the validation batches', hashed; None when
    neither can be read twice in the same order."""
    from apps.common.data import EpochStream

    if getattr(prepared, "fingerprint", None) is not None:
        return str(prepared.fingerprint)
    parts = []
    if isinstance(prepared.train, EpochStream):
        parts.append(dataset_fingerprint(prepared.train.examples))
    if prepared.val is not None and parts:
        parts.append(dataset_fingerprint(prepared.val))
    if not parts:
        return None
    return hashlib.sha256(":".join(parts).encode("ascii")).hexdigest()[:32]
