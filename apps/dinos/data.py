"""The character vocabulary and the tf.data pipeline: start step in, next character out.

A name y⟨1⟩…y⟨Ty⟩ followed by the end token "\n" is the target; the input is a start step
followed by the name, x = (start, y⟨1⟩, …, y⟨Ty⟩), so the model learns P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩) at
every step — the course's language model. Input ids shift the vocabulary by OFFSET to make room
for the padding id (masked) and the start id; target ids are vocabulary indices.
"""

import numpy as np
import tensorflow as tf

from apps.common.data import EpochStream
from datasets.errors import InputError

END = "\n"
PAD, START = 0, 1
OFFSET = 2  # input id of the character with vocabulary index i


class Vocabulary:
    """The course's vocabulary: the lower-case characters of the data, sorted, with "\\n".

    Sorting puts "\\n" first, so as in the course `char_to_ix["\\n"] == 0`.

    Args:
        chars: the characters; they are lower-cased, de-duplicated, sorted and "\\n" is added.

    Example:
    >>> vocab = Vocabulary.from_texts(["Anzu", "Zby"])
    >>> vocab.chars
    ('\\n', 'a', 'b', 'n', 'u', 'y', 'z')
    >>> vocab.encode("zu")
    [6, 4]
    """

    def __init__(self, chars):
        self.chars = tuple(sorted(set("".join(chars).lower()) | {END}))
        self.char_to_ix = {char: ix for ix, char in enumerate(self.chars)}
        self.ix_to_char = dict(enumerate(self.chars))

    @classmethod
    def from_texts(cls, texts):
        return cls(set().union(*map(set, texts)) if texts else ())

    @property
    def size(self):
        return len(self.chars)

    @property
    def end_id(self):
        return self.char_to_ix[END]

    def unknown(self, text):
        """The characters of `text` (lower-cased) that are not in the vocabulary, sorted."""
        return sorted(set(text.lower()) - set(self.chars))

    def encode(self, text):
        """Vocabulary indices of the lower-cased `text`; InputError for unknown characters."""
        missing = self.unknown(text)
        if missing:
            shown = ", ".join(repr(char) for char in missing)
            what = f"character {shown} is" if len(missing) == 1 else f"characters {shown} are"
            raise InputError(f"{text!r}: {what} not in the model's vocabulary")
        return [self.char_to_ix[char] for char in text.lower()]

    def decode(self, ids):
        return "".join(self.ix_to_char[int(ix)] for ix in ids)


def text_windows(text, window):
    """Running text cut into consecutive windows of `window` characters (the last may be shorter).

    Windows do not overlap, so a seeded split of them leaves no shared text between train and
    validation.
    """
    text = text.lower()
    windows = [text[i : i + window] for i in range(0, len(text), window)]
    return [w for w in windows if len(w) >= 2]


def targets(sequences, vocab, end_token=True):
    """Each sequence's target ids (with the end token for names) as a RaggedTensor."""
    encoded = [vocab.encode(s) + ([vocab.end_id] if end_token else []) for s in sequences]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    flat = np.fromiter((ix for ids in encoded for ix in ids), dtype=np.int32, count=lengths.sum())
    return tf.RaggedTensor.from_row_lengths(flat, lengths)


def _with_input(y):
    x = tf.concat([[START], y[:-1] + OFFSET], axis=0)
    return x, y


def _with_weights(x, y):
    return x, y, tf.cast(tf.not_equal(x, PAD), tf.float32)


def examples(sequences, vocab, *, end_token=True):
    """Single `(x, y)` examples: x is the start step then the characters, y the characters
    (then the end token for names)."""
    ds = tf.data.Dataset.from_tensor_slices(targets(sequences, vocab, end_token))
    return ds.map(_with_input, num_parallel_calls=tf.data.AUTOTUNE)


def batches(ds, batch_size):
    """Padded batches `(x, y, weights)` of int32 `(batch, T)` ids and float 0/1 weights.

    Padding is PAD in x (masked by the model's embedding) and weight 0, so padded steps count in
    neither the loss nor the perplexity.
    """
    ds = ds.padded_batch(batch_size, padding_values=(PAD, 0))
    return ds.map(_with_weights)


def make_dataset(sequences, vocab, batch_size, *, end_token=True):
    """The batches of `sequences` in order (for validation and scoring)."""
    ds = examples(sequences, vocab, end_token=end_token)
    return batches(ds, batch_size).prefetch(tf.data.AUTOTUNE)


def length_buckets(lengths, batch_size):
    """Bucket boundaries for sequences of these lengths: each bucket holds one length, or a run
    of neighbouring lengths, with at least `batch_size` sequences in it (the last bucket takes
    what is left).

    A batch is padded to its longest sequence and the recurrent layers run over the padding
    too, so a random batch of names wastes a third or more of its steps; batches drawn from one
    bucket waste almost none.

    >>> length_buckets([2, 3, 3, 4, 4, 4, 5, 9], batch_size=2)
    [4, 5]
    """
    counts = np.bincount(np.asarray(lengths, dtype=np.int64))
    boundaries, held = [], 0
    for length, count in enumerate(counts):
        held += count
        if held >= batch_size and length + 1 < len(counts):
            boundaries.append(length + 1)
            held = 0
    if boundaries and held < batch_size:
        boundaries.pop()  # the last bucket would be short: join it to the one before
    return boundaries


def bucketed_batches(ds, batch_size, boundaries):
    """Like `batches`, but each batch is drawn from one bucket of sequence lengths."""
    ds = ds.bucket_by_sequence_length(
        lambda x, y: tf.shape(y)[0],
        bucket_boundaries=boundaries,
        bucket_batch_sizes=[batch_size] * (len(boundaries) + 1),
        padding_values=(PAD, 0),
    )
    return ds.map(_with_weights)


def training_stream(sequences, vocab, batch_size, *, end_token=True, seed=0, bucket=False):
    """Training batches shuffled afresh every epoch by (seed, epoch), so --resume is exact; with
    `bucket`, each drawn from one bucket of similar lengths (`length_buckets`)."""
    ds = examples(sequences, vocab, end_token=end_token)
    if not bucket:
        return EpochStream(ds, lambda d: batches(d, batch_size), seed)
    boundaries = length_buckets([len(s) + end_token for s in sequences], batch_size)
    return EpochStream(ds, lambda d: bucketed_batches(d, batch_size, boundaries), seed)
