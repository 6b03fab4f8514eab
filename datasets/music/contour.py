"""The shape of a line: how much of it moves by step, and how often it turns around.

A bebop line is mostly steps (a half or whole tone) with arpeggio skips between, and runs in
one direction for a while before it turns; a line of random pitches inside the same bounds
leaps and zig-zags. Both measures are shares of the intervals between consecutive notes
(rests skipped, so a phrase ending and the next phrase's start count as one interval).
"""

from dataclasses import dataclass

from datasets.music.score import Note


@dataclass(frozen=True)
class Contour:
    """Shares of a line's intervals.

    Args:
        stepwise_share: intervals of one or two semitones among all intervals.
        direction_change_share: among consecutive pairs of moving intervals (repeats skipped),
            the pairs that turn around (up then down, or down then up).
        repeat_share: intervals of zero (the same pitch again).
        intervals: how many intervals the shares are of.
    """

    stepwise_share: float
    direction_change_share: float
    repeat_share: float
    intervals: int

    def to_json(self) -> dict:
        return {
            "stepwise_share": round(self.stepwise_share, 4),
            "direction_change_share": round(self.direction_change_share, 4),
            "repeat_share": round(self.repeat_share, 4),
            "intervals": self.intervals,
        }


def contour(notes: list[Note]) -> Contour:
    """The stepwise and direction-change shares of a note list (rests and order as given).

    Example:
    >>> line = [Note(i * 0.5, 0.5, p) for i, p in enumerate([60, 62, 64, 65, 64, 60])]
    >>> c = contour(line)
    >>> c.stepwise_share, c.direction_change_share
    (0.8, 0.25)
    """
    pitches = [note.pitch for note in notes if note.pitch is not None]
    steps = [b - a for a, b in zip(pitches, pitches[1:], strict=False)]
    if not steps:
        return Contour(0.0, 0.0, 0.0, 0)
    moving = [s for s in steps if s]
    turns = [(a > 0) != (b > 0) for a, b in zip(moving, moving[1:], strict=False)]
    return Contour(
        stepwise_share=sum(1 for s in steps if 1 <= abs(s) <= 2) / len(steps),
        direction_change_share=sum(turns) / len(turns) if turns else 0.0,
        repeat_share=sum(1 for s in steps if s == 0) / len(steps),
        intervals=len(steps),
    )
