"""Piano comping: rootless voicings (third and seventh with two colour tones, as Bill Evans and
Wynton Kelly voiced them) around middle C, each led to the next by the smallest move, struck in
the style's figures; a hit on the "and" just before a change anticipates the next chord. The
piano lays out under "N.C." and holds the final chord of an ending."""

import numpy as np

from apps.jazz.band.parts import BandNote, Form, beat_time, is_offbeat, phrase_swell, velocity
from apps.jazz.styles import Comping, load_style
from datasets.music.chords import Chord
from datasets.music.meter import Meter
from datasets.music.score import ChordTimeline

VOICING_LOW, VOICING_TOP = (48, 62), 76  # lowest voice from C3 to D4, top voice at most E5
_CLUSTER_FLOOR = 52  # no second at the bottom of a voicing below E3 (it turns to mud)
# Colour tones in the order a pianist reaches for them, altered tensions first.
_COLOURS = (20, 15, 13, 18, 21, 14, 17)


def voicing_degrees(chord: Chord) -> list[int]:
    """Four degrees of a rootless voicing: the guide tones (third or fourth, seventh or sixth)
    and two colours (the chord's own tensions, else the 9th and 13th on a dominant, the 9th and
    5th otherwise). Diminished chords are voiced whole; a power chord (C5) is root, fifth and
    octave, with no third to give it a quality."""
    d = set(chord.intervals)
    if d <= {0, 7}:
        return [0, 7, 12]
    if 3 in d and 6 in d and not d & {10, 11}:
        return [0, 3, 6, 9]
    if 3 in d and 6 in d:  # half-diminished: b3, b5, b7 and the root (or the 9th it names)
        return [3, 6, 10, 14 if 14 in d else 0]
    third = next((x for x in (4, 3, 5, 2) if x in d), None)
    seventh = next((x for x in (10, 11, 9) if x in d), None)
    fifth = next((x for x in (7, 8, 6) if x in d), 7)
    if seventh is None and fifth != 8 and third != 2:
        seventh = 10 if third == 5 else 9  # sus chords get the 7th, triads the 6th
    degrees = [x for x in (third, seventh) if x is not None]
    tensions = [x for x in _COLOURS if x in d]
    altered_ninth = bool(d & {13, 15})
    defaults = [14, 21] if 10 in d and third == 4 else [14, fifth]
    if altered_ninth:
        defaults = [x for x in defaults if x != 14] + [21 if 20 not in d else fifth]
    if 20 in d or 8 in d:
        defaults = [x for x in defaults if x != 21]
    for degree in tensions + defaults + [fifth, 0]:
        if len(degrees) == 4:
            break
        if degree % 12 not in {x % 12 for x in degrees}:
            degrees.append(degree)
    return degrees


def rootless_voicing(chord: Chord, previous: list[int] | None = None) -> list[int]:
    """MIDI pitches of the voicing, in close position around middle C, moved as little as
    possible from `previous` (or centred on D4 when there is none)."""
    degrees = voicing_degrees(chord)
    classes = sorted({(chord.root + d) % 12 for d in degrees})
    candidates = []
    for bottom_class in classes:
        for bottom in range(VOICING_LOW[0], VOICING_LOW[1] + 1):
            if bottom % 12 != bottom_class:
                continue
            pitches = sorted(bottom + (pc - bottom_class) % 12 for pc in classes)
            if len(pitches) < 4 and 0 in degrees:
                pitches.append(pitches[0] + 12)  # a power chord doubles its root
            if pitches[-1] > VOICING_TOP:
                continue
            if pitches[1] - pitches[0] <= 2 and pitches[0] < _CLUSTER_FLOOR:
                continue
            candidates.append(pitches)
    if previous:
        def cost(pitches):
            return (sum(abs(a - b) for a, b in zip(pitches, sorted(previous), strict=False)),
                    pitches)
    else:
        def cost(pitches):
            return (abs(sum(pitches) / len(pitches) - 62), pitches)
    return min(candidates, key=cost)


def _figures(style: Comping, meter: Meter) -> list[tuple[tuple[float, float], ...]]:
    figures = style.figures.get(meter.beats_per_bar)
    if figures:
        return list(figures)
    return [((0, 1.0), *((b + 0.5, 0.5) for b in range(1, meter.beats_per_bar)))]


def comping(
    chords: ChordTimeline, meter: Meter, length: float, rng: np.random.Generator,
    style: Comping | None = None, feel: float = 1.0,
) -> list[BandNote]:
    """Voicings struck in the style's figures, bar by bar (see the module docstring)."""
    style = style or load_style("swing").piano
    beat = meter.beat_length
    figures = _figures(style, meter)
    hits: list[tuple[float, float]] = []
    n_bars = round(length / meter.bar_length)
    for bar in range(n_bars):
        start = bar * meter.bar_length
        figure = figures[0] if bar == 0 else figures[int(rng.integers(len(figures)))]
        hits += [(start + beat_time(onset, meter), beat_time(span, meter))
                 for onset, span in figure]
    hits = [(o, d) for o, d in hits if o < length - 1e-9]
    # Every chord is struck at least once: a chord no figure sounds gets a hit where it starts.
    sounded = [_sounding(chords, o, beat) for o, _ in hits]
    for offset, _ in chords.changes:
        if offset >= length - 1e-9:
            continue
        end = chords.next_change(offset) or length
        if not any(offset - 1e-9 <= t < end - 1e-9 for t in sounded):
            hits.append((offset, min(beat, end - offset)))
    hits.sort()

    notes: list[BandNote] = []
    previous: list[int] | None = None
    base = style.velocity * (0.8 + 0.2 * feel)
    for i, (onset, span) in enumerate(hits):
        sounding = _sounding(chords, onset, beat)
        chord = chords.at(sounding)
        if chord.is_no_chord:
            continue
        end = onset + span
        if i + 1 < len(hits):
            end = min(end, hits[i + 1][0])
        change = chords.next_change(sounding)
        if change is not None:
            end = min(end, change)
        end = min(end, length)
        if end - onset < 1e-6:
            continue
        voicing = rootless_voicing(chord, previous)
        previous = voicing
        accent = 6 if is_offbeat(onset, meter) else 0
        loud = base + accent + 3 * phrase_swell(onset, meter) + int(rng.integers(-4, 5))
        for j, pitch in enumerate(voicing):
            top = 4 if j == len(voicing) - 1 else 0  # the top voice sings a little
            notes.append(BandNote(onset, end - onset, pitch, velocity(loud + top, (30, 96))))
    return notes


def piano_part(chords: ChordTimeline, form: Form, style: Comping, rng: np.random.Generator,
               feel: float = 1.0, ending: Chord | None = None) -> list[BandNote]:
    """The comping over the form, then the ending's chord held (when `ending` is a chord)."""
    notes = comping(chords, form.meter, form.length, rng, style, feel)
    if ending is not None and form.ending > 0 and not ending.is_no_chord:
        last = max((n.offset for n in notes), default=None)
        previous = [n.pitch for n in notes if n.offset == last] or None
        for pitch in rootless_voicing(ending, previous):
            notes.append(BandNote(form.length, form.ending, pitch, velocity(style.velocity + 2)))
    return notes


def _pushes(onset: float, change: float, beat: float) -> bool:
    """Whether a hit on the off-beat just before `change` anticipates it."""
    return 0 < change - onset <= beat / 2 + 1e-9


def _sounding(chords: ChordTimeline, onset: float, beat: float) -> float:
    """Where the chord a hit plays starts: the next chord's start when the hit pushes it."""
    change = chords.next_change(onset)
    if change is None or not _pushes(onset, change, beat) or chords.at(change).is_no_chord:
        return onset
    return change
