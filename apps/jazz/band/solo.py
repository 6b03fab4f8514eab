"""The solo's dynamics: velocities that follow each phrase, louder towards its high notes,
accents on syncopated long notes and on the top note, ghosted short low notes inside runs,
softer phrase ends."""

import math

from apps.jazz.band.parts import BandNote, is_offbeat, velocity
from datasets.music.meter import Meter
from datasets.music.score import Note

_SOLO_BASE, _SOLO_RANGE = 82, (36, 118)


def phrases(notes: list[Note], gap: float) -> list[list[int]]:
    """Indices of the notes of each phrase: a rest of `gap` or more ends a phrase."""
    found: list[list[int]] = []
    for i, note in enumerate(notes):
        if not found or note.offset - notes[i - 1].end >= gap - 1e-9:
            found.append([])
        found[-1].append(i)
    return found


def shape_solo(notes: list[Note], meter: Meter) -> list[BandNote]:
    """The solo with velocities that shape its phrases (see the module docstring)."""
    notes = sorted(notes, key=lambda n: n.offset)
    loudness = [float(_SOLO_BASE)] * len(notes)
    for phrase in phrases(notes, meter.beat_length):
        pitches = [notes[i].pitch for i in phrase]
        low, high = min(pitches), max(pitches)
        spread = max(high - low, 1)
        for position, i in enumerate(phrase):
            note = notes[i]
            arc = math.sin(math.pi * (position + 0.5) / len(phrase))
            loudness[i] += 8 * arc + 12 * ((note.pitch - low) / spread - 0.5)
            if note.pitch == high:
                loudness[i] += 6
            if is_offbeat(note.offset, meter) and note.duration > meter.beat_length / 2:
                loudness[i] += 10  # a syncopated long note: the line's accent
            if position == len(phrase) - 1 and len(phrase) > 1:
                loudness[i] -= 6
        for a, b, c in zip(phrase, phrase[1:], phrase[2:], strict=False):
            if (notes[b].duration <= 1 / 3 + 1e-9 and notes[b].pitch < notes[a].pitch
                    and notes[b].pitch < notes[c].pitch):
                loudness[b] -= 16  # a ghosted note inside a run
    return [
        BandNote(n.offset, n.duration, n.pitch, velocity(v, _SOLO_RANGE))
        for n, v in zip(notes, loudness, strict=True)
    ]
