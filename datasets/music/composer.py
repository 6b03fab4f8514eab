"""Lines this project composes itself: bebop-style phrases over blues and ii-V-I progressions.

A small, seeded rule system builds each phrase from the cells jazz players practise —
arpeggios, scale runs, enclosures of a chord tone, chromatic approach notes into the next
bar, sixteenth-note turns — and ends phrases on a held chord tone and a breath. The same
seed always writes the same notes, so the embedded corpus is data, not chance.
"""

import numpy as np

from datasets.music.chords import Chord, parse_chord_symbol
from datasets.music.melody import monophonic_line
from datasets.music.score import ChordTimeline, Note, Piece

BAR = 4.0
REGISTER = (58, 82)

# Bars separated by "|"; two symbols in a bar split it in halves.
PROGRESSIONS = {
    "blues": "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7 | Gm7 | C7 | F7 D7 | Gm7 C7",
    "minor blues": "Cm7 | Fm7 | Cm7 | Cm7 | Fm7 | Fm7 | Cm7 | Cm7 | Ab7 | G7 | Cm7 | G7",
    "major ii-V-I": "Dm7 | G7 | Cmaj7 | Cmaj7 | Fm7 | Bb7 | Ebmaj7 | Ebmaj7",
    "minor ii-V-i": "Dm7b5 | G7b9 | Cm6 | Cm6 | Gm7b5 | C7b9 | Fm6 | Fm6",
    "cycle": "Cm7 | F7 | Bbmaj7 | Ebmaj7 | Am7b5 | D7 | Gm6 | Gm6",
}
# (progression, semitones to transpose it): blues in F, Bb, C, Eb, G and the rest in two keys.
CHORUSES = (
    ("blues", 0), ("blues", 5), ("blues", 7), ("blues", -2), ("blues", 2),
    ("minor blues", 0), ("minor blues", 7),
    ("major ii-V-I", 0), ("major ii-V-I", 3),
    ("minor ii-V-i", 0), ("minor ii-V-i", -5),
    ("cycle", 0), ("cycle", 2),
)


def progression_bars(text: str) -> list[list[Chord]]:
    return [[parse_chord_symbol(s) for s in bar.split()] for bar in text.split("|")]


class _Line:
    """The phrase being written: its notes, the last pitch, and the seeded choices."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.notes: list[Note] = []
        self.pitch = 67

    def tones(self, chord: Chord, kind: str) -> list[int]:
        classes = chord.pitch_classes if kind == "chord" else chord.scale_classes
        return [p for p in range(REGISTER[0], REGISTER[1] + 1) if p % 12 in classes]

    def direction(self) -> int:
        if self.pitch > REGISTER[1] - 7:
            return -1
        if self.pitch < REGISTER[0] + 7:
            return 1
        return int(self.rng.choice([-1, 1]))

    def play(self, offset: float, duration: float, pitch: int) -> float:
        self.notes.append(Note(offset, duration, pitch))
        self.pitch = pitch
        return offset + duration

    def run(self, offset: float, chord: Chord, kind: str, durations: list[float]) -> float:
        """Consecutive chord tones (an arpeggio) or scale tones (a run) in one direction."""
        tones, step = self.tones(chord, kind), self.direction()
        start = min(tones, key=lambda p: (abs(p - self.pitch), p))
        index = tones.index(start)
        if start == self.pitch:
            index += step
        for duration in durations:
            if not 0 <= index < len(tones):  # the edge of the register: turn around
                step = -step
                index += 2 * step
            offset = self.play(offset, duration, tones[index])
            index += step
        return offset

    def enclosure(self, offset: float, chord: Chord) -> float:
        """Scale tone above, semitone below, then the chord tone itself."""
        targets = [p for p in self.tones(chord, "chord") if abs(p - self.pitch) <= 5]
        target = int(self.rng.choice(targets or self.tones(chord, "chord")))
        above = min(p for p in self.tones(chord, "scale") + [target + 2] if p > target)
        offset = self.play(offset, 0.5, above)
        offset = self.play(offset, 0.5, target - 1)
        return self.play(offset, 1.0, target)

    def approach(self, offset: float, next_chord: Chord) -> float:
        """A chromatic neighbour of the next chord's nearest tone, on the last eighth."""
        target = min(self.tones(next_chord, "chord"), key=lambda p: abs(p - self.pitch))
        return self.play(offset, 0.5, target + int(self.rng.choice([-1, 1])))

    def half_bar(self, offset: float, chord: Chord, next_chord: Chord, phrase_end: bool) -> float:
        """Two beats of line over `chord`; `next_chord` is the harmony that follows."""
        if phrase_end:
            others = [p for p in self.tones(chord, "chord") if p != self.pitch]
            held = min(others, key=lambda p: abs(p - self.pitch))
            self.play(offset, float(self.rng.choice([1.0, 1.5])), held)
            return offset + 2.0
        cell = self.rng.choice(
            ["arpeggio", "scale", "enclosure", "sixteenths", "quarters", "approach"],
            p=[0.25, 0.25, 0.15, 0.1, 0.1, 0.15],
        )
        if cell == "arpeggio":
            return self.run(offset, chord, "chord", [0.5] * 4)
        if cell == "scale":
            return self.run(offset, chord, "scale", [0.5] * 4)
        if cell == "enclosure":
            return self.enclosure(offset, chord)
        if cell == "sixteenths":
            offset = self.run(offset, chord, "scale", [0.25] * 4)
            return self.run(offset, chord, "chord", [0.5] * 2)
        if cell == "quarters":
            return self.run(offset, chord, "chord", [1.0] * 2)
        offset = self.run(offset, chord, "scale", [0.5] * 3)
        return self.approach(offset, next_chord)


def compose_chorus(bars: list[list[Chord]], seed: int) -> Piece:
    """One chorus of phrases of two or four bars over `bars`, seeded."""
    rng = np.random.default_rng(seed)
    line = _Line(rng)
    halves = [bar[min(h, len(bar) - 1)] for bar in bars for h in (0, 1)]
    changes = [
        (i * BAR + (BAR / 2) * h, chord)
        for i, bar in enumerate(bars)
        for h, chord in enumerate(bar)
    ]
    phrase_ends, bar = set(), 0
    while bar < len(bars):
        bar += int(rng.choice([2, 4]))
        phrase_ends.add(min(bar, len(bars)) * 2 - 1)

    offset, breathing = float(rng.choice([0.0, 0.5, 1.0])), False
    for half, chord in enumerate(halves):
        start = half * BAR / 2
        if breathing:
            breathing = False
            offset = start + float(rng.choice([0.5, 1.0]))
            line.run(offset, chord, "chord", [0.5] * int((start + 2 - offset) / 0.5))
            continue
        next_chord = halves[(half + 1) % len(halves)]
        line.half_bar(max(offset, start), chord, next_chord, half in phrase_ends)
        breathing = half in phrase_ends
        offset = start + 2.0
    melody = monophonic_line(line.notes, 0.0, BAR)
    return Piece(f"composed chorus {seed}", melody, ChordTimeline(changes), BAR, 160.0)


def composed_pieces() -> list[Piece]:
    """The embedded composed corpus: every chorus of CHORUSES with its own seed."""
    pieces = []
    for seed, (name, semitones) in enumerate(CHORUSES):
        bars = [[c.transposed(semitones) for c in bar] for bar in progression_bars(
            PROGRESSIONS[name]
        )]
        piece = compose_chorus(bars, seed)
        piece.name = f"composed: {name} +{semitones % 12} (seed {seed})"
        pieces.append(piece)
    return pieces
