"""The dinosaur-name model's settings, with the defaults `train` uses."""

from dataclasses import dataclass

from apps.common.config import JsonConfig


@dataclass
class Config(JsonConfig):
    """Everything that decides the model, its training and its sampling.

    Args:
        data: a names file, one per line (None: the embedded dinosaur names).
        text: a running-text file to learn instead of names (with `window`).
        cell: "lstm", "gru", "simple_gru" or "rnn" (see `layers.CELLS`).
        units: n_a of every recurrent layer.
        layers: how many recurrent layers are stacked.
        embedding_dim: size of the learned vector of each input character.
        dropout: input dropout of every cell while training.
        output_dropout: dropout of the last layer's a⟨t⟩ before the softmax, while training.
        epochs, batch_size, learning_rate: Adam training.
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
    cell: str = "lstm"
    units: int = 128
    layers: int = 1
    embedding_dim: int = 64
    dropout: float = 0.25
    output_dropout: float = 0.4
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 0.005
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
