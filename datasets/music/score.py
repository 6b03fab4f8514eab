"""A file's music as plain data: parts of timed notes, chord symbols, the bar grid.

Readers turn MIDI, MusicXML and ABC into these few types once, so melody selection, chord
inference and the grammar work on numbers and never walk a music21 stream again.
Times are in quarter notes ("quarter lengths", music21's unit).
"""

import bisect
from dataclasses import dataclass, field, replace

from datasets.errors import InputError
from datasets.music.chords import Chord
from datasets.music.meter import Meter


@dataclass(frozen=True)
class Note:
    """One note, or a rest when `pitch` is None."""

    offset: float
    duration: float
    pitch: int | None = None

    @property
    def end(self) -> float:
        return self.offset + self.duration

    @property
    def is_rest(self) -> bool:
        return self.pitch is None


@dataclass
class Part:
    """One instrument's notes (possibly several at once) as read from the file."""

    name: str
    notes: list[Note]
    is_drums: bool = False


@dataclass
class Score:
    """Everything a reader extracts from one file.

    Args:
        name: the file or corpus path, for messages.
        parts: every part, drums included and flagged.
        chord_symbols: (offset, Chord) pairs written in the file, sorted; empty when none.
        bar_length: quarter notes per bar, from the first time signature.
        bar_phase: offset of the first full bar line (non-zero after a pickup).
        tempo: quarter notes per minute.
        meter: the first time signature (4/4 when the file has none); derived from
            `bar_length` when not given.
    """

    name: str
    parts: list[Part]
    chord_symbols: list[tuple[float, Chord]] = field(default_factory=list)
    bar_length: float = 4.0
    bar_phase: float = 0.0
    tempo: float = 120.0
    meter: Meter | None = None

    def __post_init__(self):
        self.meter = _meter_for(self.meter, self.bar_length)


class ChordTimeline:
    """Which chord sounds at any offset: each chord lasts until the next one starts.

    Before the first chord, the first chord applies.
    """

    def __init__(self, changes: list[tuple[float, Chord]]):
        if not changes:
            raise ValueError("a chord timeline needs at least one chord")
        changes = sorted(changes, key=lambda change: change[0])
        self.offsets = [offset for offset, _ in changes]
        self.chords = [chord for _, chord in changes]

    @classmethod
    def one_per_bar(cls, chords: list[Chord], bar_length: float = 4.0) -> "ChordTimeline":
        return cls([(i * bar_length, chord) for i, chord in enumerate(chords)])

    @property
    def changes(self) -> list[tuple[float, Chord]]:
        return list(zip(self.offsets, self.chords, strict=True))

    def next_change(self, offset: float) -> float | None:
        """Where the next chord after `offset` starts, or None when none follows."""
        index = bisect.bisect_right(self.offsets, offset + 1e-9)
        return self.offsets[index] if index < len(self.offsets) else None

    def to_json(self) -> list[list]:
        """[[offset, root, intervals, bass, figure], ...]: what a model folder keeps."""
        return [
            [offset, chord.root, list(chord.intervals), chord.bass, chord.figure]
            for offset, chord in self.changes
        ]

    @classmethod
    def from_json(cls, rows, source: str) -> "ChordTimeline":
        """A timeline written by `to_json`; `source` names the file in errors."""
        try:
            changes = [
                (float(offset), Chord(int(root) % 12, tuple(int(i) for i in intervals),
                                      None if bass is None else int(bass) % 12, str(figure)))
                for offset, root, intervals, bass, figure in rows
            ]
        except (TypeError, ValueError):
            raise InputError(f"{source}: not a chord timeline") from None
        if not changes:
            raise InputError(f"{source}: the chord timeline is empty")
        return cls(changes)

    def without_breaks(self) -> "ChordTimeline":
        """The chords a soloist hears: over "N.C." (a break: the band lays out) the chord the
        break leads into, else the one before it.

        Raises:
            ValueError: every chord is "N.C.": there is no harmony to hear.
        """
        changes = self.changes
        if all(chord.is_no_chord for _, chord in changes):
            raise ValueError("every chord is N.C.")
        heard = []
        for index, (offset, chord) in enumerate(changes):
            if chord.is_no_chord:
                after = [c for _, c in changes[index + 1:] if not c.is_no_chord]
                before = [c for _, c in changes[:index] if not c.is_no_chord]
                chord = after[0] if after else before[-1]
            heard.append((offset, chord))
        return ChordTimeline(heard)

    def at(self, offset: float) -> Chord:
        index = bisect.bisect_right(self.offsets, offset + 1e-9) - 1
        return self.chords[max(index, 0)]

    def transposed(self, semitones: int) -> "ChordTimeline":
        return ChordTimeline(
            [(o, c.transposed(semitones)) for o, c in zip(self.offsets, self.chords, strict=True)]
        )

    def per_bar(self, n_bars: int, bar_length: float) -> list[Chord]:
        """The chord sounding at the start of each of the first `n_bars` bars."""
        return [self.at(i * bar_length) for i in range(n_bars)]


@dataclass
class Piece:
    """A melody ready for the grammar: a monophonic line on the rhythm grid with its chords.

    Args:
        name: the source, for messages.
        melody: notes and rests, contiguous from the first bar line, no overlaps.
        chords: the chord at every offset of the melody.
        bar_length: quarter notes per bar.
        tempo: quarter notes per minute.
        melody_part: index of the part the melody came from.
        start: where offset 0 of the melody lies in the source file (its first bar line).
        melody_name: that part's name in the file.
        meter: the time signature (derived from `bar_length` when not given).
        swing: the long-to-short ratio of paired eighths found in the file and straightened
            before the melody was put on the grid (1.0: played straight).
    """

    name: str
    melody: list[Note]
    chords: ChordTimeline
    bar_length: float = 4.0
    tempo: float = 120.0
    melody_part: int = 0
    start: float = 0.0
    melody_name: str = ""
    meter: Meter | None = None
    swing: float = 1.0

    def __post_init__(self):
        self.meter = _meter_for(self.meter, self.bar_length)

    def transposed(self, semitones: int) -> "Piece":
        melody = [
            n if n.is_rest else Note(n.offset, n.duration, n.pitch + semitones)
            for n in self.melody
        ]
        return replace(
            self,
            name=f"{self.name} ({semitones:+d})",
            melody=melody,
            chords=self.chords.transposed(semitones),
        )


def _meter_for(meter: Meter | None, bar_length: float) -> Meter:
    if meter is None:
        return Meter.from_bar_length(bar_length)
    if abs(meter.bar_length - bar_length) > 1e-9:
        raise ValueError(f"a {meter} bar is {meter.bar_length} quarter notes, not {bar_length}")
    return meter
