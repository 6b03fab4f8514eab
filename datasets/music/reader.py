"""From a file (or a music21 corpus path) to a Piece: melody line plus its chords."""

import math
from dataclasses import replace
from pathlib import Path

from datasets.errors import InputError
from datasets.music.chord_inference import infer_chords
from datasets.music.melody import choose_melody_part, monophonic_line
from datasets.music.midi_reader import read_midi
from datasets.music.music21_reader import CORPUS_PREFIX, read_music21
from datasets.music.rhythm import STRAIGHT, detect_swing, straighten
from datasets.music.score import ChordTimeline, Piece, Score

MIDI_SUFFIXES = (".mid", ".midi")
MUSIC21_SUFFIXES = (".xml", ".mxl", ".musicxml", ".abc")
# Bounds on what is read, so that a wrong path cannot take all the memory or all day: a score
# of a whole opera is a few MB, a corpus of standards a few thousand files.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_SOURCES = 5000


def read_score(source: str | Path) -> Score:
    """Read MIDI, MusicXML or ABC by file suffix, or a "music21:<path>" corpus piece."""
    if str(source).startswith(CORPUS_PREFIX):
        return read_music21(str(source))
    path = Path(source)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; not a "
                         "piece of music this app reads")
    if suffix in MIDI_SUFFIXES:
        return read_midi(path)
    if suffix in MUSIC21_SUFFIXES:
        return read_music21(path)
    known = ", ".join(MIDI_SUFFIXES + MUSIC21_SUFFIXES)
    raise InputError(f"{path}: unsupported file type {suffix or '(none)'} (expected {known})")


def collect_sources(paths: list[str | Path]) -> list[str]:
    """Files and corpus paths to read: directories are searched recursively, sorted."""
    sources = []
    for item in paths:
        text = str(item)
        path = Path(text)
        if text.startswith(CORPUS_PREFIX) or not path.is_dir():
            sources.append(text)
            continue
        found = sorted(
            str(p)
            for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in MIDI_SUFFIXES + MUSIC21_SUFFIXES
        )
        if not found:
            raise InputError(f"{path}: directory holds no MIDI, MusicXML or ABC file")
        sources.extend(found)
        if len(sources) > MAX_SOURCES:
            raise InputError(f"{path}: more than {MAX_SOURCES} music files; train on a "
                             "smaller selection")
    return sources


def read_piece(source: str | Path, melody_part: int | None = None) -> Piece:
    """The melody of a file as a grid-aligned line with the chord at every offset.

    Swung eighths are found and written straight before the line is put on the rhythm grid
    (16ths and eighth triplets); `Piece.swing` keeps the ratio found.

    Args:
        source: a file path or "music21:<corpus path>".
        melody_part: index of the melody among the file's parts as read (drums included);
            None picks the part with the most single-note material in the highest register.
    """
    return piece_from_score(read_score(source), melody_part)


def piece_from_score(score: Score, melody_part: int | None = None) -> Piece:
    """`read_piece` for a score already read."""
    pitched = [i for i, part in enumerate(score.parts) if not part.is_drums]
    if not score.parts:
        raise InputError(f"{score.name}: has no notes")
    if not pitched:
        raise InputError(f"{score.name}: has only drum parts, no melody to learn")
    if melody_part is None:
        melody_part = choose_melody_part(score.parts)
    elif not 0 <= melody_part < len(score.parts):
        raise InputError(
            f"--melody-part {melody_part}: {score.name} has parts 0-{len(score.parts) - 1}"
        )
    elif score.parts[melody_part].is_drums:
        raise InputError(f"--melody-part {melody_part}: that part of {score.name} is drums")

    notes, swing = _straightened(score.parts[melody_part].notes, score)
    length = score.bar_length
    first_bar = math.floor((notes[0].offset - score.bar_phase) / length + 1e-9)
    start = score.bar_phase + first_bar * length
    line = monophonic_line(notes, start, length)
    end = start + (line[-1].end if line else length)

    if score.chord_symbols:
        changes = [(offset - start, chord) for offset, chord in score.chord_symbols]
    else:
        others = [i for i in pitched if i != melody_part] or [melody_part]
        harmony = [note for i in others for note in score.parts[i].notes]
        changes = infer_chords(harmony, start, end, length)
    timeline = ChordTimeline(changes)
    if any(chord.is_no_chord for chord in timeline.chords):
        try:
            timeline = timeline.without_breaks()
        except ValueError:
            raise InputError(f"{score.name}: every chord symbol is N.C.") from None
    return Piece(
        score.name,
        line,
        timeline,
        bar_length=length,
        tempo=score.tempo,
        melody_part=melody_part,
        start=start,
        melody_name=score.parts[melody_part].name,
        meter=score.meter,
        swing=swing,
    )


def _straightened(notes: list, score: Score) -> tuple[list, float]:
    """The melody with its swung eighths written straight, and the swing ratio found.

    Beats are counted from the first full bar line, so a pickup of an eighth does not turn
    every beat around.
    """
    if not score.meter.swings:
        return notes, STRAIGHT
    phase = score.bar_phase % 1.0
    shifted = [replace(n, offset=n.offset - phase) for n in notes]
    swing = detect_swing(shifted)
    if swing == STRAIGHT:
        return notes, STRAIGHT
    straight = straighten(shifted, swing)
    return [replace(n, offset=n.offset + phase) for n in straight], swing
