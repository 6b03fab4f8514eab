"""The one seeded split every app uses to hold data out."""

import numpy as np


def seeded_split(items, fraction, seed):
    """`(kept, held_out)`: round(fraction · n) items held out, at least 1 and at most n − 1.

    The held-out items are chosen by a NumPy generator seeded with `seed`; both lists keep the
    items' original order, so the same seed and items always give the same split.

    >>> seeded_split(list("abcdefghij"), 0.2, seed=0)
    (['a', 'b', 'c', 'd', 'f', 'h', 'i', 'j'], ['e', 'g'])
    """
    items = list(items)
    if fraction <= 0 or len(items) < 2:
        return items, []
    held = min(len(items) - 1, max(1, round(fraction * len(items))))
    chosen = set(np.random.default_rng(seed).permutation(len(items))[:held].tolist())
    kept = [item for i, item in enumerate(items) if i not in chosen]
    return kept, [items[i] for i in sorted(chosen)]
