"""Time signatures: how long a bar is, where its beats fall, and which beats are strong.

Times are in quarter notes. A beat is one count of the signature: a quarter in 3/4 and 4/4,
a half in 2/2, and a dotted quarter in the compound meters 6/8, 9/8 and 12/8, which players
count in two, three and four.

Example:
>>> waltz = parse_time_signature("3/4")
>>> waltz.bar_length, waltz.beat_length, waltz.beats_per_bar
(3.0, 1.0, 3)
"""

import math
import re
from dataclasses import dataclass

from datasets.errors import InputError

_SIGNATURE = re.compile(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*")


@dataclass(frozen=True)
class Meter:
    """A time signature such as 4/4, 3/4 or 6/8.

    Args:
        numerator: counts written on top (beats of the denominator's note value).
        denominator: the note value counted: 2, 4, 8 or 16.
    """

    numerator: int = 4
    denominator: int = 4

    def __post_init__(self):
        if self.numerator < 1 or self.denominator not in (1, 2, 4, 8, 16, 32):
            raise ValueError(f"not a time signature: {self.numerator}/{self.denominator}")

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    @property
    def bar_length(self) -> float:
        return self.numerator * 4.0 / self.denominator

    @property
    def is_compound(self) -> bool:
        """6/8, 9/8, 12/8 (and 6/16 ...): beats of three of the written unit."""
        return self.denominator >= 8 and self.numerator % 3 == 0 and self.numerator > 3

    @property
    def beat_length(self) -> float:
        unit = 4.0 / self.denominator
        return 3 * unit if self.is_compound else unit

    @property
    def beats_per_bar(self) -> int:
        return max(1, round(self.bar_length / self.beat_length))

    @property
    def count_length(self) -> float:
        """One count of the written signature (a quarter in 4/4, an eighth in 6/8): the unit of
        `G7:2` in a chord chart."""
        return 4.0 / self.denominator

    @property
    def swings(self) -> bool:
        """Whether paired eighths in this meter can swing: not in compound meters, whose beats
        already divide in three."""
        return not self.is_compound

    def strong_beats(self) -> tuple[int, ...]:
        """Indices (from 0) of the beats that carry weight: 1 and 3 in 4/4, 1 in 3/4, 1 and 4
        in 6/4, the first of each group of two or three otherwise."""
        n = self.beats_per_bar
        if n % 2 == 0:
            return tuple(range(0, n, 2))
        if n % 3 == 0:
            return tuple(range(0, n, 3))
        return (0, n - n // 2) if n >= 5 else (0,)

    def backbeats(self) -> tuple[int, ...]:
        """Beats a drummer's hi-hat closes on: 2 and 4 in 4/4, 2 and 3 in 3/4, every weak
        beat of the bar otherwise."""
        strong = set(self.strong_beats())
        return tuple(b for b in range(self.beats_per_bar) if b not in strong)

    def to_json(self) -> str:
        return str(self)

    @classmethod
    def from_bar_length(cls, bar_length: float) -> "Meter":
        """The simple meter of a bar of `bar_length` quarters (3.0 gives 3/4, 2.5 gives 5/8)."""
        for denominator in (4, 8, 16):
            numerator = bar_length * denominator / 4
            if numerator >= 1 and math.isclose(numerator, round(numerator)):
                return cls(round(numerator), denominator)
        raise ValueError(f"no time signature has bars of {bar_length} quarter notes")


FOUR_FOUR = Meter(4, 4)


def parse_time_signature(text: str, source: str = "--time-signature") -> Meter:
    """"3/4", "6/8", ... as a Meter; an InputError naming `source` otherwise."""
    match = _SIGNATURE.fullmatch(str(text))
    if match:
        try:
            return Meter(int(match[1]), int(match[2]))
        except ValueError:
            pass
    raise InputError(
        f"{source}: {text!r} is not a time signature (write it as 4/4, 3/4, 6/8, ...)"
    )
