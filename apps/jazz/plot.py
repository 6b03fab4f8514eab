"""A piano roll of the solo over its chords, as a PNG (matplotlib, Agg backend: no display)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.patches import Rectangle  # noqa: E402

from apps.common.atomic import atomic_path  # noqa: E402
from apps.jazz.midi import chord_voicing  # noqa: E402
from datasets.music import Chord, Note  # noqa: E402


def piano_roll(notes: list[Note], bar_chords: list[Chord], bar_length: float, path: Path) -> None:
    """Solo notes as dark bars, each bar's chord voicing as pale bars, chord names on top."""
    end = max(len(bar_chords) * bar_length, max((n.end for n in notes), default=bar_length))
    figure, axes = plt.subplots(figsize=(max(8.0, end / 3), 4.5), dpi=100)
    for bar, chord in enumerate(bar_chords):
        start = bar * bar_length
        for pitch in chord_voicing(chord):
            axes.add_patch(Rectangle((start, pitch - 0.4), bar_length, 0.8, color="#c9d6ea"))
        axes.axvline(start, color="#888888", linewidth=0.6)
        axes.text(start + 0.1, 1.0, chord.figure, transform=axes.get_xaxis_transform(),
                  va="bottom", fontsize=8)
    for note in notes:
        axes.add_patch(Rectangle((note.offset, note.pitch - 0.4), note.duration, 0.8,
                                 color="#1f4e9c"))
    pitches = [n.pitch for n in notes] + [p for c in bar_chords for p in chord_voicing(c)]
    axes.set_xlim(0, end)
    axes.set_ylim(min(pitches, default=48) - 2, max(pitches, default=84) + 2)
    axes.set_xlabel("quarter notes")
    axes.set_ylabel("MIDI pitch")
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png")
    plt.close(figure)
