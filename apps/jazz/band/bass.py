"""The bass: a walking line, or a style's pattern (a ballad's two feel, a bossa's root and
fifth), always the chord's bass note where a chord starts, silent under "N.C.".

- **Walking** (`walking_bass`): a note on every beat, the chord's bass note where a chord
  starts, chord tones on the other strong beats, scale and chord tones stepping towards the
  next chord, and on the beat before a change a half or whole step into the next chord's root.
- **Patterns** (`pattern_bass`): the style's cell of roots and fifths, started again on every
  bar line and every change, each note held its length.
- **Ending**: the chart's first chord's bass note, held.
"""

import numpy as np

from apps.jazz.band.parts import BandNote, Form, beat_time, phrase_swell, velocity
from apps.jazz.styles import BassLine
from datasets.music.chords import Chord
from datasets.music.meter import Meter
from datasets.music.score import ChordTimeline

BASS_RANGE = (28, 55)  # E1 to G3, a four-string bass
ROOT_RANGE = (31, 50)  # where chord roots land, so approach notes stay in range


def bass_line(chords: ChordTimeline, form: Form, style: BassLine, rng: np.random.Generator,
              feel: float = 1.0, ending: Chord | None = None) -> list[BandNote]:
    """The style's bass over the form, then the held ending (when `ending` is a chord)."""
    if style.walk:
        notes = walking_bass(chords, form.meter, form.length, rng)
    else:
        notes = pattern_bass(chords, form.meter, form.length, style, rng)
    scale = 0.85 + 0.15 * feel
    notes = [BandNote(n.offset, n.duration, n.pitch, velocity(n.velocity * scale, (40, 115)))
             for n in notes]
    if ending is not None and form.ending > 0 and not ending.is_no_chord:
        around = notes[-1].pitch if notes else 40
        root = in_range(ending.bass_class, around, *ROOT_RANGE)
        notes.append(BandNote(form.length, form.ending, root, velocity(style.velocity + 4)))
    return notes


def in_range(pitch_class: int, around: float, low: int, high: int) -> int:
    """The pitch of `pitch_class` nearest `around` inside [low, high]."""
    options = [p for p in range(low, high + 1) if p % 12 == pitch_class % 12]
    return min(options, key=lambda p: (abs(p - around), p))


def _change_between(chords: ChordTimeline, start: float, end: float) -> bool:
    """Whether a chord starts in (start, end]."""
    return any(start + 1e-9 < o <= end + 1e-9 for o in chords.offsets)


# -- Walking ---------------------------------------------------------------------------------


def walking_bass(
    chords: ChordTimeline, meter: Meter, length: float, rng: np.random.Generator
) -> list[BandNote]:
    """A walking line: one note a beat (see the module docstring)."""
    beat = meter.beat_length
    n_beats = round(length / beat)
    strong = set(meter.strong_beats())
    notes: list[BandNote] = []
    pitch: int | None = None
    for k in range(n_beats):
        t = k * beat
        chord = chords.at(t)
        if chord.is_no_chord:
            pitch = None  # the bass lays out; it comes back on the next chord's root
            continue
        starts = k == 0 or _change_between(chords, t - beat, t)
        at_end = k == n_beats - 1
        following = chords.at(0.0) if at_end else chords.at(t + beat)
        ends = (at_end or _change_between(chords, t, t + beat)) and not following.is_no_chord
        beat_in_bar = round((t % meter.bar_length) / beat)
        if starts or pitch is None:
            pitch = in_range(chord.bass_class, 40 if pitch is None else pitch, *ROOT_RANGE)
            kind = "root"
        elif ends:
            pitch = _approach(pitch, chord, following, rng)
            kind = "approach"
        else:
            beats_left = _beats_to_change(chords, t, beat, length)
            goal = following if not following.is_no_chord else chord
            target = in_range(goal.bass_class, pitch, *ROOT_RANGE)
            pitch = _walk(pitch, chord, target, beats_left, beat_in_bar in strong, rng)
            kind = "walk"
        loud = 84 + (8 if beat_in_bar == 0 else 0) - (4 if kind == "approach" else 0)
        loud += 3 * phrase_swell(t, meter) + int(rng.integers(-3, 4))
        notes.append(BandNote(t, beat * 0.95, pitch, velocity(loud, (50, 110))))
    return notes


def _beats_to_change(chords: ChordTimeline, t: float, beat: float, length: float) -> int:
    change = chords.next_change(t)
    end = length if change is None else min(change, length)
    return max(1, round((end - t) / beat))


def _approach(pitch: int, chord: Chord, following: Chord, rng: np.random.Generator) -> int:
    """A half or whole step into the next chord's bass note, from below or above."""
    target = in_range(following.bass_class, pitch, *ROOT_RANGE)
    scale = chord.scale_classes | following.scale_classes
    options = [(target - 1, 0.35), (target + 1, 0.3)]
    options += [(target + s, 0.175) for s in (-2, 2) if (target + s) % 12 in scale]
    options = [(p, w) for p, w in options if p != pitch and BASS_RANGE[0] <= p <= BASS_RANGE[1]]
    pitches = [p for p, _ in options]
    weights = np.array([w for _, w in options])
    return int(rng.choice(pitches, p=weights / weights.sum()))


def _walk(pitch: int, chord: Chord, target: int, beats_left: int, strong: bool,
          rng: np.random.Generator) -> int:
    """A chord tone (strong beats) or a chord or scale tone (weak beats) near `pitch`, moving
    towards `target`, never `pitch` itself."""
    classes = chord.pitch_classes if strong else chord.scale_classes
    reach = 7 if strong else 4
    options = [
        p for p in range(BASS_RANGE[0], BASS_RANGE[1] + 1)
        if p % 12 in classes and p != pitch and abs(p - pitch) <= reach
    ]
    if not options:
        options = [p for p in range(pitch - 5, pitch + 6) if p != pitch and p % 12 in classes]
    if not options:
        return pitch - 2 if pitch - 2 >= BASS_RANGE[0] else pitch + 2
    ideal = pitch + (target - pitch) / (beats_left + 1)
    pitches = np.asarray(options, float)
    weights = np.exp(-np.abs(pitches - ideal) / 2.0)
    weights[np.abs(pitches - pitch) <= 2] *= 1.5  # a walking line moves mostly by step
    return int(rng.choice(options, p=weights / weights.sum()))


# -- Patterns --------------------------------------------------------------------------------


def _fifth(chord: Chord) -> int:
    """The chord's fifth above its root: perfect, else the altered one it holds."""
    return next((f for f in (7, 6, 8) if f in chord.intervals), 7)


def pattern_bass(chords: ChordTimeline, meter: Meter, length: float, style: BassLine,
                 rng: np.random.Generator) -> list[BandNote]:
    """The style's cell of hits, started again at every bar line and chord change."""
    bar = meter.bar_length
    cell = style.cell_beats * meter.beat_length
    starts = sorted({round(k * bar, 9) for k in range(round(length / bar))}
                    | {o for o in chords.offsets if 0 <= o < length - 1e-9})
    notes: list[BandNote] = []
    pitch = None
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else length
        chord = chords.at(start)
        if chord.is_no_chord:
            pitch = None
            continue
        cell_start = start
        while cell_start < end - 1e-9:
            for beats, tone, span in style.hits:
                onset = cell_start + beat_time(beats, meter)
                if onset >= min(end, cell_start + cell) - 1e-9:
                    continue
                stop = min(onset + beat_time(span, meter), end, cell_start + cell)
                pitch_class = chord.bass_class if tone == "root" else chord.root + _fifth(chord)
                pitch = in_range(pitch_class, 40 if pitch is None else pitch, *ROOT_RANGE)
                loud = style.velocity + (6 if onset % bar < 1e-9 else 0)
                loud += 3 * phrase_swell(onset, meter) + int(rng.integers(-3, 4))
                notes.append(BandNote(onset, 0.95 * (stop - onset), pitch,
                                      velocity(loud, (45, 110))))
            cell_start += cell
    return notes
