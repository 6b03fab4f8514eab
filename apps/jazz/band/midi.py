"""Writing an arrangement as a standard MIDI file, and reading one back as a player's software
hears it.

The file is format 1: a conductor track (title, time signature, tempo, a marker at each chord,
a cue point at each section: "Count-in", "Chorus 1", ..., "Ending"), then one track per part,
the solo first, with swing applied. Text is ASCII, as MIDI text events are by convention.
"""

import math
from pathlib import Path

from music21 import midi

from apps.common.atomic import atomic_file

TICKS_PER_QUARTER = 960  # divisible by 3, 4 and 12: triplets and swung eighths fall on ticks
MAX_TEMPO_MICROSECONDS = 0xFFFFFF  # a MIDI tempo is three bytes of microseconds per quarter


def _ticks(time: float) -> int:
    return round(time * TICKS_PER_QUARTER)


def _text(text: str) -> bytes:
    return text.encode("ascii", "replace")


def _meta(track: midi.MidiTrack, kind, data: bytes) -> midi.MidiEvent:
    event = midi.MidiEvent(track, type=kind)
    event.data = data
    return event


def _channel_event(track: midi.MidiTrack, kind, channel: int, pitch: int, velocity: int):
    event = midi.MidiEvent(track, type=kind, channel=channel)
    event.pitch = pitch
    event.velocity = velocity
    return event


def _write_track(track: midi.MidiTrack, timed: list[tuple[int, int, midi.MidiEvent]]) -> None:
    """Events sorted by (tick, order), with delta times, then the end of the track."""
    events, now = [], 0
    for tick, _, event in sorted(timed, key=lambda e: (e[0], e[1])):
        events.append(midi.DeltaTime(track, time=tick - now))
        events.append(event)
        now = tick
    events.append(midi.DeltaTime(track, time=0))
    events.append(_meta(track, midi.MetaEvents.END_OF_TRACK, b""))
    track.events = events


def tempo_microseconds(tempo: float) -> int:
    """Microseconds per quarter note, as the MIDI tempo event holds them.

    Raises:
        ValueError: a tempo that three bytes cannot hold (below about 3.6 BPM) or that rounds
            to no time at all.
    """
    microseconds = round(60_000_000 / tempo) if tempo > 0 and math.isfinite(tempo) else 0
    if not 1 <= microseconds <= MAX_TEMPO_MICROSECONDS:
        raise ValueError(f"a MIDI file cannot hold a tempo of {tempo:g} BPM")
    return microseconds


def midi_bytes(arrangement) -> bytes:
    """The arrangement (`apps.jazz.band.Arrangement`) as a standard MIDI file."""
    played = arrangement.played()
    meter = played.meter
    midi_file = midi.MidiFile()
    midi_file.format = 1
    midi_file.ticksPerQuarterNote = TICKS_PER_QUARTER

    conductor = midi.MidiTrack(0)
    power = int(math.log2(meter.denominator))
    microseconds = tempo_microseconds(played.tempo)
    timed = [
        (0, 0, _meta(conductor, midi.MetaEvents.SEQUENCE_TRACK_NAME, _text(played.title))),
        (0, 1, _meta(conductor, midi.MetaEvents.TIME_SIGNATURE,
                     bytes([meter.numerator, power, 24, 8]))),
        (0, 2, _meta(conductor, midi.MetaEvents.SET_TEMPO, microseconds.to_bytes(3, "big"))),
    ]
    timed += [(_ticks(offset), 3, _meta(conductor, midi.MetaEvents.CUE_POINT, _text(text)))
              for offset, text in played.cues]
    timed += [(_ticks(offset), 4, _meta(conductor, midi.MetaEvents.MARKER, _text(text)))
              for offset, text in played.markers]
    _write_track(conductor, timed)
    midi_file.tracks.append(conductor)

    for index, part in enumerate(played.tracks, start=1):
        track = midi.MidiTrack(index)
        timed = [(0, 0, _meta(track, midi.MetaEvents.SEQUENCE_TRACK_NAME, _text(part.name)))]
        if part.program is not None:
            change = midi.MidiEvent(track, type=midi.ChannelVoiceMessages.PROGRAM_CHANGE,
                                    channel=part.channel)
            change.data = part.program
            timed.append((0, 1, change))
        for note in part.notes:
            on, off = _ticks(note.offset), _ticks(note.end)
            off = max(off, on + 1)
            timed.append((on, 3, _channel_event(track, midi.ChannelVoiceMessages.NOTE_ON,
                                                part.channel, note.pitch, note.velocity)))
            # Note-offs sort before note-ons at the same tick: a repeated note is re-struck.
            timed.append((off, 2, _channel_event(track, midi.ChannelVoiceMessages.NOTE_OFF,
                                                 part.channel, note.pitch, 0)))
        _write_track(track, timed)
        midi_file.tracks.append(track)
    return midi_file.writestr()


def write_midi(arrangement, path) -> None:
    """The arrangement as a standard MIDI file, written whole or not at all."""
    data = midi_bytes(arrangement)
    with atomic_file(Path(path), "wb") as handle:
        handle.write(data)


def to_score(arrangement):
    """The arrangement as a music21 Score (read back from its MIDI, swing and all)."""
    midi_file = midi.MidiFile()
    midi_file.readstr(midi_bytes(arrangement))
    return midi.translate.midiFileToStream(midi_file, quantizePost=False)


def read_back(path) -> dict:
    """A MIDI file's events as a player's software hears them, for checks: {"tracks": [{"name",
    "notes": [(onset, end, pitch, channel), ...], "program"} ...] (tracks with notes, in file
    order), "markers": [(offset, text), ...], "cues": [(offset, text), ...], "time_signature":
    "3/4" or None, "tempo": BPM or None}, times in quarter notes.
    """
    midi_file = midi.MidiFile()
    midi_file.open(str(path))
    midi_file.read()
    midi_file.close()
    ticks = midi_file.ticksPerQuarterNote
    tracks, markers, cues, signature, tempo = [], [], [], None, None
    for track in midi_file.tracks:
        name, notes, sounding, now, program = "", [], {}, 0, None
        for event in track.events:
            if isinstance(event, midi.DeltaTime):
                now += event.time
            elif event.type == midi.MetaEvents.SEQUENCE_TRACK_NAME:
                name = event.data.decode("latin-1")
            elif event.type == midi.MetaEvents.MARKER:
                markers.append((now / ticks, event.data.decode("latin-1")))
            elif event.type == midi.MetaEvents.CUE_POINT:
                cues.append((now / ticks, event.data.decode("latin-1")))
            elif event.type == midi.MetaEvents.TIME_SIGNATURE and signature is None:
                signature = f"{event.data[0]}/{2 ** event.data[1]}"
            elif event.type == midi.MetaEvents.SET_TEMPO and tempo is None:
                tempo = 60_000_000 / int.from_bytes(event.data, "big")
            elif event.type == midi.ChannelVoiceMessages.PROGRAM_CHANGE:
                program = event.data
            elif event.isNoteOn():
                sounding[(event.channel, event.pitch)] = now
            elif event.isNoteOff() and (event.channel, event.pitch) in sounding:
                start = sounding.pop((event.channel, event.pitch))
                notes.append((start / ticks, now / ticks, event.pitch, event.channel))
        if notes:
            tracks.append({"name": name, "notes": sorted(notes), "program": program})
    return {"tracks": tracks, "markers": markers, "cues": cues, "time_signature": signature,
            "tempo": tempo}
