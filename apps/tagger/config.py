"""The tagger's settings in one plain object, saved beside the model as `config.json`."""

import dataclasses
from dataclasses import dataclass, field

from datasets.errors import InputError

CELLS = ("lstm", "gru", "rnn")


@dataclass
class TaggerConfig:
    """Model, input and training settings; the defaults are the ones tuned on the WNUT-16 dev split.

    `tags` (the model's output classes, in `internal_scheme`) and `scheme` (the scheme of the
    training data, used for everything the user sees) are filled in from the data at training time.
    """

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
    scheme: str = "iob2"
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict, source: str = "config") -> "TaggerConfig":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InputError(f"{source}: unknown settings {', '.join(unknown)}")
        values = dict(values)
        if "char_widths" in values:
            values["char_widths"] = tuple(values["char_widths"])
        return cls(**values)
