"""The value vocabulary: sorted, so every process and every machine numbers it the same way."""

from collections.abc import Iterable

from datasets.errors import InputError
from datasets.music.grammar import parse_value


class Vocabulary:
    """Grammar values in sorted order, with their indices.

    Sorting (never set iteration order, which changes with PYTHONHASHSEED) makes the index of
    every value, and so a saved model's output layer, reproducible.

    Example:
    >>> vocab = Vocabulary(["S,0.500", "C,0.250", "S,0.500"])
    >>> vocab.values
    ('C,0.250', 'S,0.500')
    """

    def __init__(self, values: Iterable[str]):
        self.values = tuple(sorted(set(values)))
        self.index = {value: i for i, value in enumerate(self.values)}

    def __len__(self) -> int:
        return len(self.values)

    def encode(self, values: Iterable[str]) -> list[int]:
        return [self.index[value] for value in values]

    def decode(self, indices: Iterable[int]) -> list[str]:
        return [self.values[i] for i in indices]

    def to_json(self) -> list[str]:
        return list(self.values)

    @classmethod
    def from_json(cls, values, source: str) -> "Vocabulary":
        """A vocabulary read back from a model folder; `source` names the file in errors."""
        if not isinstance(values, list) or not values:
            raise InputError(f"{source}: expected a non-empty list of grammar values")
        for value in values:
            try:
                parse_value(value)
            except (ValueError, TypeError):
                raise InputError(f"{source}: {value!r} is not a grammar value") from None
        return cls(values)
