"""Which part carries the melody, and that part as one line of notes on the rhythm grid.

The grid is the union of the 16th-note and eighth-triplet grids (`datasets.music.rhythm`).
"""

import math

from datasets.music.rhythm import FINEST, on_steps, snap
from datasets.music.score import Note, Part

GRID = 0.25  # the straight 16th-note grid; FINEST (1/12) is the shortest step of the rhythm grid
MAX_NOTE_LENGTH = 4.0


def melody_score(part: Part) -> float:
    """How much a part looks like a melody: single-note onsets, weighted by register.

    A solo plays one note at a time above the accompaniment; comping plays chords and the bass
    plays single notes far below. Squaring the register weight keeps the bass out.
    """
    if part.is_drums or not part.notes:
        return 0.0
    onsets: dict[int, list[int]] = {}
    for note in part.notes:
        onsets.setdefault(round(note.offset * 48), []).append(note.pitch)
    single = sum(1 for pitches in onsets.values() if len(pitches) == 1)
    top = sum(max(pitches) for pitches in onsets.values()) / len(onsets)
    return single * (top / 60.0) ** 2


def choose_melody_part(parts: list[Part]) -> int:
    """Index of the part with the most single-note material in the highest register."""
    scores = [melody_score(part) for part in parts]
    return max(range(len(parts)), key=lambda i: (scores[i], -i))


def monophonic_line(notes: list[Note], start: float, bar_length: float) -> list[Note]:
    """The top line of `notes` from the bar line `start`, as contiguous notes and rests.

    Onsets and ends snap to the rhythm grid (k/4 and k/3 of a quarter: 16ths and eighth
    triplets); when several notes start together the highest is the
    melody; a note stops where the next one starts; silences become rests split at bar lines;
    notes longer than MAX_NOTE_LENGTH are cut there. Offsets are shifted so `start` becomes 0.
    """
    highest: dict[float, Note] = {}
    for note in notes:
        onset = snap(note.offset)
        if onset < start:
            continue
        end = max(snap(note.end), on_steps(onset + FINEST))
        current = highest.get(onset)
        if current is None or note.pitch > current.pitch:
            highest[onset] = Note(onset, end - onset, note.pitch)
    onsets = sorted(highest)

    line: list[Note] = []
    time = start
    for i, onset in enumerate(onsets):
        note = highest[onset]
        _add_rests(line, time, onset, start, bar_length)
        end = min(note.end, onset + MAX_NOTE_LENGTH)
        if i + 1 < len(onsets):
            end = min(end, onsets[i + 1])
        line.append(Note(on_steps(onset - start), on_steps(end - onset), note.pitch))
        time = end
    return line


def _add_rests(line: list[Note], begin: float, end: float, start: float, bar_length: float):
    while end - begin >= FINEST / 2:
        bar_end = start + (math.floor((begin - start) / bar_length + 1e-9) + 1) * bar_length
        stop = min(end, bar_end)
        line.append(Note(on_steps(begin - start), on_steps(stop - begin)))
        begin = stop
