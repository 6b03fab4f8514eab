"""What `train` writes and `generate` reads back, the SavedModel, and the solo's MIDI."""

from pathlib import Path

import tensorflow as tf
from music21 import chord as m21chord
from music21 import instrument, meter, midi, stream, tempo
from music21 import note as m21note

from apps.common.export import atomic_dir, atomic_file, read_json
from apps.common.training import load_keras
from apps.jazz.config import JazzConfig
from datasets.errors import InputError
from datasets.music import Chord, Note, Vocabulary

SOLO_VELOCITY = 96
CHORD_VELOCITY = 56
_CHORD_FLOOR = 52  # E3: chord tones sit just above, the bass an octave and more below
_BASS_FLOOR = 36


def load_trained(model_dir: Path):
    """Config, vocabulary and Keras model of a trained model folder."""
    if not (model_dir / "model.keras").is_file():
        raise InputError(f"{model_dir}: no trained model here; run `python -m apps.jazz train`")
    config_path, vocab_path = model_dir / "config.json", model_dir / "vocabulary.json"
    config = JazzConfig.from_json(read_json(config_path), str(config_path))
    vocab = Vocabulary.from_json(read_json(vocab_path), str(vocab_path))
    model = load_keras(model_dir / "model.keras")
    if model.output_shape[-1] != len(vocab):
        raise InputError(f"{vocab_path}: {len(vocab)} values, but the model predicts "
                         f"{model.output_shape[-1]}")
    return config, vocab, model


def export_sampler(sampler, path: Path) -> None:
    """The SavedModel with the `sample` signature, written whole or not at all."""
    with atomic_dir(path) as tmp:
        tf.saved_model.save(sampler, str(tmp), signatures={"sample": sampler.sample})


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
