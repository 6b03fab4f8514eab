"""A piano roll of a solo with its band, as a PNG (matplotlib, Agg backend: no display).

The solo, the bass and the piano's voicings are drawn in their own colours, in written
(straight) time, with bar lines, the chord names where each chord starts, the sections (count-in,
choruses, ending), and the drums as ticks in a strip under the bass.
"""

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from apps.common.atomic import atomic_path  # noqa: E402
from apps.jazz.band import BASS, DRUMS, PIANO, SOLO, Arrangement  # noqa: E402

COLOURS = {SOLO: "#1f4e9c", PIANO: "#f0a43a", BASS: "#2e8b57", DRUMS: "#777777"}
_CHARACTER_INCHES = 0.08  # an 8-point character, roughly
_LABELS = {SOLO: "solo", PIANO: "piano (comping)", BASS: "bass", DRUMS: "drums"}


def piano_roll(arrangement: Arrangement, path: Path, title: str | None = None) -> None:
    """Draw `arrangement` to the PNG `path`, written atomically."""
    length = arrangement.length
    pitched = [t for t in arrangement.tracks if not t.is_drums]
    pitches = [n.pitch for t in pitched for n in t.notes] or [60]
    low, high = min(pitches) - 2, max(pitches) + 2
    drum_strip = low - 4
    width = min(60.0, max(10.0, length / 2.5))
    figure, axes = plt.subplots(figsize=(width, 6.0), dpi=100)
    quarters_per_character = _CHARACTER_INCHES * length / (0.8 * width)

    for bar in range(round(length / arrangement.meter.bar_length) + 1):
        axes.axvline(bar * arrangement.meter.bar_length, color="#bbbbbb", linewidth=0.6,
                     zorder=0)
    previous, previous_width, raised = -math.inf, 0.0, False
    for offset, text in arrangement.markers:
        axes.axvline(offset, color="#888888", linewidth=0.8, linestyle=":", zorder=0)
        # A name that would run into the one before it goes a line higher.
        raised = offset - previous < previous_width and not raised
        axes.text(offset + 0.05, 1.045 if raised else 1.005, text,
                  transform=axes.get_xaxis_transform(), va="bottom", ha="left", fontsize=8)
        previous, previous_width = offset, (len(text) + 1) * quarters_per_character

    for offset, text in arrangement.cues:  # the sections: count-in, choruses, ending
        axes.axvline(offset, color="#555555", linewidth=1.2, zorder=0)
        axes.text(offset + 0.1, 0.01, text, transform=axes.get_xaxis_transform(), va="bottom",
                  ha="left", fontsize=8, style="italic", color="#555555")

    order = {PIANO: 1, BASS: 2, SOLO: 3}
    for track in sorted(pitched, key=lambda t: order.get(t.name, 0)):
        colour = COLOURS.get(track.name, "#444444")
        alpha = 0.55 if track.name == PIANO else 0.95
        for note in track.notes:
            axes.add_patch(Rectangle((note.offset, note.pitch - 0.42), note.duration, 0.84,
                                     color=colour, alpha=alpha, linewidth=0,
                                     zorder=order.get(track.name, 0)))
    drums = arrangement.track(DRUMS)
    if drums is not None:
        onsets = [n.offset for n in drums.notes]
        axes.scatter(onsets, [drum_strip] * len(onsets), marker="|", s=40,
                     color=COLOURS[DRUMS], zorder=1)

    axes.set_xlim(0, length)
    axes.set_ylim(drum_strip - 2 if drums is not None else low, high)
    axes.set_xlabel(f"quarter notes (written; played with swing {arrangement.swing:g}:1)")
    axes.set_ylabel("MIDI pitch")
    axes.legend(
        handles=[Patch(color=COLOURS[t.name], label=_LABELS.get(t.name, t.name))
                 for t in arrangement.tracks if t.name in COLOURS],
        loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=8, framealpha=0.8,
    )
    axes.set_title(title or f"{arrangement.title}: {arrangement.style}, {arrangement.meter}, "
                   f"{arrangement.tempo:g} bpm", fontsize=10, pad=26)
    figure.tight_layout()
    with atomic_path(Path(path)) as tmp:
        figure.savefig(tmp, format="png")
    plt.close(figure)
