"""The temperature rule every sampler follows, inside TensorFlow graphs.

One id per row is drawn from softmax(z / T) with stateless random numbers keyed by `seed`, so the
same seed draws the same ids. T = 0 (anything below `GREEDY_BELOW`) is the T → 0 limit: the most
likely choice, the argmax.
"""

import tensorflow as tf

GREEDY_BELOW = 1e-6


def draw(logits, temperature, seed):
    """Ids `(batch,)` int32 drawn from `logits` `(batch, n)` at `temperature` with a stateless
    `seed` (a pair of int32)."""
    greedy = temperature < GREEDY_BELOW
    scale = 1.0 / tf.maximum(temperature, GREEDY_BELOW)
    drawn = tf.random.stateless_categorical(logits * scale, 1, seed=seed, dtype=tf.int32)[:, 0]
    return tf.where(greedy, tf.argmax(logits, axis=-1, output_type=tf.int32), drawn)
