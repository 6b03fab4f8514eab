"""The solo and its band laid out in time: count-in, the passes of the chart, the ending.

`arrange` asks each instrument for its part over the form, in the style's manner, then puts a
count-in bar before it when asked (so the band enters on bar 2) and the ending after it: the
chart's first chord once more, held by the bass and the piano under a crash, with the solo's
last note on it.
"""

import math
from dataclasses import dataclass, field, replace

import numpy as np

from apps.jazz.band.bass import bass_line
from apps.jazz.band.drums import count_in as count_in_bar
from apps.jazz.band.drums import drum_part
from apps.jazz.band.parts import BASS, CHANNELS, DRUMS, PIANO, SOLO, Form, Track, tempo_feel
from apps.jazz.band.piano import piano_part
from apps.jazz.band.solo import shape_solo
from apps.jazz.styles import Style, load_style
from datasets.music.chords import Chord, ascii_figure
from datasets.music.meter import Meter
from datasets.music.rhythm import STRAIGHT, TRIPLET_SWING, is_straight, swing_notes, swing_time
from datasets.music.score import ChordTimeline, Note


@dataclass
class Arrangement:
    """The solo and its band in straight time, with what rendering needs.

    Args:
        tracks: the solo first (unless left out), then (unless left out) piano, bass and drums.
        markers: (offset, text) where each chord starts, the symbol in ASCII.
        meter: the time signature written into the MIDI.
        tempo: quarter notes per minute.
        length: quarter notes, whole bars: count-in, passes of the chart and ending.
        swing: long-to-short ratio of paired eighths applied when rendering.
        chords: (offset, chord) where each chord starts.
        cues: (offset, text) of the sections: "Count-in", "Chorus 1", ..., "Ending".
        form_length: quarter notes of the passes of the chart.
        style: the style's name.
    """

    tracks: list[Track]
    markers: list[tuple[float, str]]
    meter: Meter
    tempo: float
    length: float
    swing: float = TRIPLET_SWING
    title: str = "Jazz solo"
    chords: list[tuple[float, Chord]] = field(default_factory=list)
    cues: list[tuple[float, str]] = field(default_factory=list)
    form_length: float | None = None
    style: str = "swing"

    def track(self, name: str) -> Track | None:
        return next((t for t in self.tracks if t.name == name), None)

    def played(self) -> "Arrangement":
        """The same arrangement with swing applied to every part and marker (how it sounds)."""
        if not self.meter.swings or abs(self.swing - STRAIGHT) < 1e-9:
            return self
        tracks = [replace(t, notes=swing_notes(t.notes, self.swing)) for t in self.tracks]
        markers = [(_swung(o, self.swing), text) for o, text in self.markers]
        cues = [(_swung(o, self.swing), text) for o, text in self.cues]
        return replace(self, tracks=tracks, markers=markers, cues=cues, swing=STRAIGHT)


def _swung(offset: float, ratio: float) -> float:
    return swing_time(offset, ratio) if is_straight(offset) else offset


def arrange(
    solo: list[Note],
    chords: ChordTimeline,
    *,
    meter: Meter | None = None,
    length: float | None = None,
    tempo: float = 140.0,
    swing: float = TRIPLET_SWING,
    band: bool = True,
    seed: int = 0,
    style: Style | None = None,
    count_in: bool = False,
    ending: Chord | None = None,
    chorus_bars: int | None = None,
    solo_track: bool = True,
) -> Arrangement:
    """The solo over its chords with (unless `band` is False) piano, bass and drums.

    Args:
        solo: the solo's notes in straight time from the form's first bar line (rests are
            skipped); its last note may sound in the ending.
        chords: the chord at every offset of the form; each change becomes a marker.
        meter: time signature (default 4/4).
        length: quarter notes of the form, rounded up to whole bars (default: to the solo's end
            or the last chord's bar, whichever is later).
        tempo: quarter notes per minute.
        swing: long-to-short ratio of paired eighths when rendering (2 triplet swing,
            1 straight); ignored in compound meters and by straight styles (bossa).
        band: False for the solo alone (chord markers are still written).
        seed: the band's choices; the same seed gives the same band.
        style: what the band plays (default: `apps/jazz/styles/swing.py`).
        count_in: one bar of the drums' count-in before the form, so the band enters on bar 2.
        ending: the chord of the ending (a bar after the form, held), or None for no ending.
        chorus_bars: bars of one pass of the chart (default: the whole form is one).
        solo_track: False for the band alone, a minus-one track to play over.
    """
    style = style or load_style("swing")
    meter = meter or Meter(4, 4)
    if swing <= 0:
        raise ValueError(f"swing ratio must be positive, not {swing}")
    solo_notes = [n for n in solo if not n.is_rest]
    if length is None:
        length = max([n.end for n in solo_notes] + [chords.offsets[-1] + 1e-6, 1e-6])
    n_bars = max(1, math.ceil(length / meter.bar_length - 1e-9))
    length = n_bars * meter.bar_length
    has_ending = ending is not None and not ending.is_no_chord
    form = Form(meter, length, chorus_bars or n_bars, meter.bar_length if has_ending else 0.0)
    changes = [(o, c) for o, c in chords.changes if o < length - 1e-9]
    if has_ending:
        changes.append((length, ending))
    feel = tempo_feel(tempo)

    tracks = []
    if solo_track:
        tracks.append(Track(SOLO, shape_solo(solo_notes, meter), CHANNELS[SOLO],
                            style.solo_program))
    drum_notes = []
    if band:
        rngs = [np.random.default_rng(s) for s in np.random.SeedSequence([seed, 1789]).spawn(3)]
        tracks += [
            Track(PIANO, piano_part(chords, form, style.piano, rngs[0], feel, ending),
                  CHANNELS[PIANO], style.piano.program),
            Track(BASS, bass_line(chords, form, style.bass, rngs[1], feel, ending),
                  CHANNELS[BASS], style.bass.program),
        ]
        drum_notes = drum_part(form, style.drums, rngs[2], feel)

    shift = meter.bar_length if count_in else 0.0
    if shift:
        tracks = [replace(t, notes=[n.shifted(shift) for n in t.notes]) for t in tracks]
        drum_notes = count_in_bar(meter, style.drums) + [n.shifted(shift) for n in drum_notes]
    if drum_notes:
        tracks.append(Track(DRUMS, drum_notes, CHANNELS[DRUMS], style.drums.program))

    cues = [(0.0, "Count-in")] if shift else []
    chorus_length = form.chorus_bars * meter.bar_length
    cues += [(shift + k * chorus_length, f"Chorus {k + 1}")
             for k in range(math.ceil(length / chorus_length - 1e-9))]
    if has_ending:
        cues.append((shift + length, "Ending"))
    return Arrangement(
        tracks,
        [(o + shift, ascii_figure(c.figure)) for o, c in changes],
        meter,
        float(tempo),
        shift + length + form.ending,
        STRAIGHT if style.straight else float(swing),
        chords=[(o + shift, c) for o, c in changes],
        cues=cues,
        form_length=length,
        style=style.name,
    )
