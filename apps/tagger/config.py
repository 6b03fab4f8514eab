"""The tagger's settings in one plain object, saved beside the model as `config.json`.

What training finds in the data (the model's tags, the data's scheme) is not a setting: the tags
go to `vocab.json` with the words and characters, the scheme to `facts.json`.
"""

from dataclasses import dataclass

from apps.common.config import JsonConfig

CELLS = ("lstm", "gru", "rnn")


@dataclass
class TaggerConfig(JsonConfig):
    """Data, model, input and training settings; the defaults are the ones tuned on the WNUT-16
    dev split.

    Args:
        train, dev: CoNLL files (None: the embedded corpus; no dev: a seeded tenth of train).
        scheme: the files' tag scheme, "auto" to detect it, or iob1, iob2, bioes.
        binary: the course's example: 1 for a token inside a person's name, else 0.
        internal_scheme: the scheme of the model's classes (BIOES: every chunk has an end).
    """

    train: str | None = None
    dev: str | None = None
    scheme: str = "auto"
    cell: str = "lstm"
    units: int = 100
    layers: int = 1
    word_dim: int = 100
    min_count: int = 1
    word_dropout: float = 0.1
    shape_dim: int = 8
    char_dim: int = 32
    char_filters: int = 50
    char_widths: tuple[int, ...] = (2, 3, 4)
    max_chars: int = 20
    dropout: float = 0.5
    learning_rate: float = 4e-3
    batch_size: int = 32
    epochs: int = 25
    patience: int = 6
    seed: int = 0
    binary: bool = False
    internal_scheme: str = "bioes"
