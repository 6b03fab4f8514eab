"""The solo and its chords as a music21 score, and that score as a MIDI file."""

from pathlib import Path

from music21 import chord as m21chord
from music21 import instrument, meter, midi, stream, tempo
from music21 import note as m21note

from apps.common.atomic import atomic_file
from datasets.music import Chord, Note

SOLO_VELOCITY = 96
CHORD_VELOCITY = 56
_CHORD_FLOOR = 52  # E3: chord tones sit just above, the bass an octave and more below
_BASS_FLOOR = 36


def chord_voicing(chord: Chord) -> list[int]:
    """A close voicing above E3 and the bass (slash bass or root) below it."""
    tones = sorted({_CHORD_FLOOR + (chord.root + i - _CHORD_FLOOR) % 12 for i in chord.intervals})
    bass_class = chord.root if chord.bass is None else chord.bass
    return [_BASS_FLOOR + (bass_class - _BASS_FLOOR) % 12, *tones]


def solo_score(notes: list[Note], bar_chords: list[Chord], bar_length: float, bpm: float):
    """A music21 score: the solo part first, then one sustained chord per bar."""
    solo = stream.Part(id="solo")
    solo.partName = "Solo"
    solo.insert(0, instrument.TenorSaxophone())
    solo.insert(0, meter.TimeSignature(f"{round(bar_length)}/4"))
    solo.insert(0, tempo.MetronomeMark(number=bpm))
    for note in notes:
        element = m21note.Note(note.pitch, quarterLength=note.duration)
        element.volume.velocity = SOLO_VELOCITY
        solo.insert(note.offset, element)

    comping = stream.Part(id="chords")
    comping.partName = "Chords"
    comping.insert(0, instrument.Piano())
    for bar, chord in enumerate(bar_chords):
        # A sounding chord with a real duration: chord symbols would become zero-length notes.
        element = m21chord.Chord(chord_voicing(chord), quarterLength=bar_length)
        element.volume.velocity = CHORD_VELOCITY
        comping.insert(bar * bar_length, element)

    score = stream.Score(id="solo")
    score.insert(0, solo)
    score.insert(0, comping)
    return score


def write_midi(score, path: Path) -> None:
    """The score as a standard MIDI file, written atomically."""
    midi_file = midi.translate.music21ObjectToMidiFile(score)
    with atomic_file(path, "wb") as handle:
        handle.write(midi_file.writestr())
