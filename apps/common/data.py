"""Training batches whose order depends only on (seed, epoch), so a resumed run sees what an
uninterrupted one would have."""

import tensorflow as tf


class EpochStream:
    """Shuffle and batch a finite dataset of examples afresh for every epoch.

    Epoch e is `examples` shuffled with a seed made of (`seed`, e), then batched by `batch`, so
    the stream can start at any epoch. Pass it to `apps.common.training.fit` as `train`.

    Args:
        examples: a finite `tf.data.Dataset` of single examples (small enough to cache).
        batch: a function dataset → batched dataset (e.g. `lambda d: d.padded_batch(32)`).
        seed: the run's seed.
    """

    def __init__(self, examples, batch, seed):
        self.examples = examples.cache()
        self.batch = batch
        self.seed = int(seed)
        # The number of batches does not depend on the order (padded and bucketed batching
        # alike), so one pass over the unshuffled data counts it.
        self.steps_per_epoch = int(self.batch(self.examples).reduce(0, lambda n, _: n + 1))
        if self.steps_per_epoch == 0:
            raise ValueError("no training batches: the training set is empty")

    def epoch(self, e):
        """The batches of epoch `e` (counted from 0)."""
        shuffled = self.examples.shuffle(
            buffer_size=1 << 20,
            seed=(self.seed * 1_000_003 + e) % (1 << 31),
            reshuffle_each_iteration=False,
        )
        return self.batch(shuffled)

    def stream(self, first_epoch, epochs):
        """Epochs `first_epoch` … `epochs − 1`, one after another, prefetched."""
        batches = self.epoch(first_epoch)
        for e in range(first_epoch + 1, epochs):
            batches = batches.concatenate(self.epoch(e))
        return batches.prefetch(tf.data.AUTOTUNE)
