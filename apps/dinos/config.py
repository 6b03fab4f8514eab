"""The character model's settings, and the size presets that fill in what a run leaves open.

The right model for 1,306 dinosaur names overfits nothing on 30,000 baby names, and the right
one for the baby names is slow and overfits on the dinosaurs. So the settings that depend on how
much there is to learn (the model's size, the batch, the epochs, the dropout) default to None
and are filled in from a named preset (`PRESETS`) when training starts; a setting given
explicitly always wins. `size="auto"` picks the preset from the number of training characters
(end tokens included) by `choose_size`:

    fewer than 60,000 characters (the dinosaurs: 16,700)  → "small"
    60,000 or more (names.txt: 211,000)                   → "large"

60,000 is about the geometric mean of the two lists each preset was tuned on (benchmarks/dinos.py
measures both): about 5,000 names of typical length.
Every preset stops early: after `patience` epochs without a lower validation perplexity,
training ends and the best epoch's weights are kept; every epoch without one halves the
learning rate first. `epochs` is the most a run may take.
"""

import dataclasses
from dataclasses import dataclass

from apps.common.config import JsonConfig

SIZES = ("auto", "small", "large")
LARGE_FROM_CHARS = 60_000

PRESETS = {
    # Tuned on the dinosaurs: a thousand names overfit in a few epochs, so heavy dropout.
    "small": dict(
        units=128, layers=1, batch_size=32, epochs=30, patience=8, lr_factor=0.5,
        dropout=0.25, recurrent_dropout=0.0, output_dropout=0.4, learning_rate=0.005,
    ),
    # Tuned on names.txt: a wider cell, larger batches (faster per character on a CPU).
    "large": dict(
        units=256, layers=1, batch_size=128, epochs=40, patience=4, lr_factor=0.5,
        dropout=0.25, recurrent_dropout=0.0, output_dropout=0.4, learning_rate=0.005,
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
