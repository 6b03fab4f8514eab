"""Standard MIDI files read event by event with music21's low-level `midi` module.

Building a full music21 stream from a 19-part MIDI takes tens of seconds; the raw events take a
fraction of a second and are all this project needs. Each (track, channel) becomes one part;
channel 10 is General MIDI percussion and is flagged as drums. Marker events that all read as
chord symbols (as `apps.jazz.band` writes them) become the score's chord symbols.
"""

import struct
from pathlib import Path

from music21 import midi

from datasets.errors import InputError
from datasets.music.chords import parse_chord_symbol
from datasets.music.meter import Meter
from datasets.music.score import Note, Part, Score

_DRUM_CHANNEL = 10
_EVENT_ERRORS = (midi.MidiException, IndexError, ValueError, KeyError, TypeError, struct.error)


def read_midi(path: Path) -> Score:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    _check_chunks(data, path)
    midi_file = midi.MidiFile()
    try:
        midi_file.readstr(data)
    except _EVENT_ERRORS as error:
        raise InputError(f"{path}: not a readable MIDI file ({error})") from None
    ticks = midi_file.ticksPerQuarterNote
    if not ticks or ticks <= 0:
        raise InputError(f"{path}: MIDI time in SMPTE frames is not supported")

    parts, meter, tempo, markers = [], None, None, []
    for track in midi_file.tracks:
        name, channel_notes = "", {}
        open_notes: dict[tuple[int, int], list[int]] = {}
        time = 0
        for event in track.events:
            if isinstance(event, midi.DeltaTime):
                time += event.time
                continue
            if event.type == midi.MetaEvents.SEQUENCE_TRACK_NAME and not name:
                name = _text(event.data)
            elif event.type == midi.MetaEvents.TIME_SIGNATURE and meter is None:
                meter = _meter(event.data)
            elif event.type == midi.MetaEvents.MARKER:
                markers.append((time / ticks, _text(event.data)))
            elif event.type == midi.MetaEvents.SET_TEMPO and tempo is None:
                microseconds = int.from_bytes(event.data[:3], "big")
                tempo = 60_000_000 / microseconds if microseconds else None
            elif event.isNoteOn():
                open_notes.setdefault((event.channel, event.pitch), []).append(time)
            elif event.isNoteOff():
                starts = open_notes.get((event.channel, event.pitch))
                if starts:
                    start = starts.pop(0)
                    channel_notes.setdefault(event.channel, []).append(
                        Note(start / ticks, (time - start) / ticks, event.pitch)
                    )
        for (channel, pitch), starts in open_notes.items():
            for start in starts:
                channel_notes.setdefault(channel, []).append(
                    Note(start / ticks, (time - start) / ticks, pitch)
                )
        for channel in sorted(channel_notes):
            notes = sorted(channel_notes[channel], key=lambda n: (n.offset, n.pitch))
            if notes:
                label = name or f"track {track.index} channel {channel}"
                parts.append(Part(label, notes, is_drums=channel == _DRUM_CHANNEL))

    meter = meter or Meter(4, 4)
    return Score(
        str(path),
        parts,
        chord_symbols=_marker_chords(markers),
        bar_length=meter.bar_length,
        tempo=tempo or 120.0,
        meter=meter,
    )


def _meter(data: bytes) -> Meter | None:
    try:
        return Meter(data[0], 2 ** data[1])
    except (ValueError, IndexError):
        return None


def _marker_chords(markers: list[tuple[float, str]]) -> list:
    """Chord symbols from markers, when every marker with text is one; else none."""
    chords = []
    for offset, text in sorted(markers, key=lambda m: m[0]):
        if not text:
            continue
        try:
            chords.append((offset, parse_chord_symbol(text)))
        except InputError:
            return []
    return chords


def _check_chunks(data: bytes, path) -> None:
    """A header and every track chunk it announces, whole: music21 reads a cut file silently."""
    if data[:4] != b"MThd" or len(data) < 14:
        raise InputError(f"{path}: not a readable MIDI file (no MThd header)")
    position = 8 + int.from_bytes(data[4:8], "big")
    for track in range(int.from_bytes(data[10:12], "big")):
        end = position + 8 + int.from_bytes(data[position + 4 : position + 8], "big")
        if position + 8 > len(data) or end > len(data):
            raise InputError(f"{path}: not a readable MIDI file (truncated in track {track})")
        position = end


def _text(data) -> str:
    """Meta-event text: UTF-8 where it is valid (chord symbols such as "Cø7"), else Latin-1."""
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8").strip()
        except UnicodeDecodeError:
            return data.decode("latin-1").strip()
    return str(data).strip()
