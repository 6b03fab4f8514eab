"""The character model's settings, and the size presets that fill in what a run leaves open.

A model sized for 1,306 dinosaur names underfits 30,000 baby names, and one sized for the baby
names is slow on the dinosaurs. So the settings that depend on how much there is to learn (the
model's size, the batch, the epochs, the dropout, early stopping) default to None and are filled
in from a named preset (`PRESETS`) when training starts; a setting given explicitly always wins.
`size="auto"` picks the preset from the characters the model learns to predict (each name's end
token included) by `choose_size`:

    fewer than 60,000 characters (the dinosaurs: 16,689)  → "small"
    60,000 or more (names.txt: 211,328)                   → "large"

60,000 (about 8,000 baby names, or 5,000 dinosaurs) is near the geometric mean of the two lists
the presets were tuned on (benchmarks/dinos.py measures both).

- "small" is the dinosaurs' model as it was tuned before presets existed (128 units, batch 32,
  heavy dropout on the inputs and before the softmax, 30 epochs, a constant learning rate), and
  gives the same weights: with patience 10 it stops 10 epochs after its best one.
- "large" (tuned on names.txt, 1,000 names held out): 256 units, batches of 128 names of
  similar length (a third fewer padded steps per epoch), lighter input and output dropout with
  recurrent dropout added, and a learning rate that halves after every epoch without a lower
  validation perplexity, stopping after 4 such epochs. Measured on names.txt (validation nats
  per character, 1,000 names held out, same seed): 1.967 with the small preset's dropout and
  learning rate at 256 units over 20 epochs; 1.949 with the halving; 1.938 with recurrent
  dropout as well (1.954 with more input and output dropout instead, 1.953 with a second
  layer, which overfits). 256 units keep the
  SavedModel near 10,000 sampled names a second at a batch of 1,000 on 2 busy CPU cores.
"""

import dataclasses
from dataclasses import dataclass

from apps.common.config import JsonConfig

SIZES = ("auto", "small", "large")
LARGE_FROM_CHARS = 60_000

PRESETS = {
    # The dinosaurs: a thousand names overfit in a few epochs, so heavy dropout.
    "small": dict(
        units=128, layers=1, batch_size=32, epochs=30, patience=10, lr_factor=1.0,
        bucket_by_length=False, dropout=0.25, recurrent_dropout=0.0, output_dropout=0.4,
        learning_rate=0.005,
    ),
    # names.txt: a wider cell, larger batches (faster per character on a CPU), recurrent dropout.
    "large": dict(
        units=256, layers=1, batch_size=128, epochs=40, patience=4, lr_factor=0.5,
        bucket_by_length=True, dropout=0.2, recurrent_dropout=0.2, output_dropout=0.3,
        learning_rate=0.005,
    ),
}
SIZED = tuple(PRESETS["small"])  # the settings a preset fills in


@dataclass
class Config(JsonConfig):
    """Everything that decides the model, its training and its sampling.

    Args:
        data: a names file, one per line, or a built-in list's name ("dinosaurs", "names");
            None: the dinosaurs.
        text: a running-text file to learn instead of names (with `window`).
        size: "auto", "small" or "large": the preset that fills in the settings left None
            (see the module docstring); a trained model's config names the preset it used.
        cell: "lstm", "gru", "simple_gru" or "rnn" (see `layers.CELLS`).
        units: n_a of every recurrent layer.
        layers: how many recurrent layers are stacked.
        embedding_dim: size of the learned vector of each input character.
        dropout: input dropout of every cell while training.
        recurrent_dropout: dropout of every cell's a⟨t−1⟩ while training (one mask per sequence).
        output_dropout: dropout of the last layer's a⟨t⟩ before the softmax, while training.
        epochs: the most epochs a run takes (it stops earlier, see `patience`).
        bucket_by_length: draw each training batch from sequences of similar length, so that
            batches carry little padding (`apps.dinos.data.length_buckets`).
        patience: stop after this many epochs in a row without a lower validation perplexity.
        lr_factor: multiply the learning rate by this after every such epoch (1: keep it).
        batch_size, learning_rate: Adam training.
        clip_value: clip every gradient entry to [−clip_value, clip_value] (the course uses 5).
        clip_norm: clip every gradient's norm instead; set clip_value to None to use it.
        seed: seeds the split, the initial weights, the shuffling and the printed samples.
        validation_fraction: share of the sequences held out to pick the best epoch.
        window: None for a names list; the length of the windows cut from running text.
        sample_every: print a few sampled names every this many epochs (0: never).
        max_length: longest sample, in characters, of the exported `sample` signature.
    """

    data: str | None = None
    text: str | None = None
    size: str = "auto"
    cell: str = "lstm"
    units: int | None = None
    layers: int | None = None
    embedding_dim: int = 64
    dropout: float | None = None
    recurrent_dropout: float | None = None
    output_dropout: float | None = None
    epochs: int | None = None
    patience: int | None = None
    lr_factor: float | None = None
    batch_size: int | None = None
    bucket_by_length: bool | None = None
    learning_rate: float | None = None
    clip_value: float | None = 5.0
    clip_norm: float | None = None
    seed: int = 0
    validation_fraction: float = 0.1
    window: int | None = None
    sample_every: int = 10
    max_length: int = 50

    @property
    def is_text(self):
        return self.window is not None

    def sized(self, num_chars):
        """This config with the settings left None taken from its preset, and `size` naming
        the preset (`choose_size(num_chars)` for "auto")."""
        size = choose_size(num_chars) if self.size == "auto" else self.size
        if size not in PRESETS:
            raise ValueError(f"size must be one of {', '.join(SIZES)}, got {self.size!r}")
        filled = {key: value for key, value in PRESETS[size].items() if getattr(self, key) is None}
        return dataclasses.replace(self, size=size, **filled)


def choose_size(num_chars):
    """The preset for training data of `num_chars` characters (end tokens included)."""
    return "large" if num_chars >= LARGE_FROM_CHARS else "small"
