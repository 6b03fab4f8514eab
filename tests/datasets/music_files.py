"""Small MIDI and MusicXML files written on the spot for the music tests."""

import struct

TICKS = 480
DRUM_CHANNEL = 9  # 0-based: General MIDI channel 10


def _variable_length(value: int) -> bytes:
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def midi_bytes(
    tracks: list[list[tuple[int, int, float, float]]],
    bar_numerator: int = 4,
    denominator: int = 4,
    markers: list[tuple[float, str]] = (),
) -> bytes:
    """A format-1 standard MIDI file; each track is (channel, pitch, start, end) in quarters.

    The first track also carries a time signature, a tempo of 120 and the (offset, text)
    marker events.
    """
    chunks = []
    for index, notes in enumerate(tracks):
        events = []
        if index == 0:
            power = denominator.bit_length() - 1
            events.append((0, 0, b"\xff\x58\x04" + bytes([bar_numerator, power, 24, 8])))
            events.append((0, 0, b"\xff\x51\x03" + (500_000).to_bytes(3, "big")))
            for offset, text in markers:
                data = text.encode("latin-1")
                marker = b"\xff\x06" + _variable_length(len(data)) + data
                events.append((round(offset * TICKS), 0, marker))
        for channel, pitch, start, end in notes:
            events.append((round(end * TICKS), 1, bytes([0x80 | channel, pitch, 0])))
            events.append((round(start * TICKS), 2, bytes([0x90 | channel, pitch, 100])))
        events.sort(key=lambda e: (e[0], e[1]))
        body, now = b"", 0
        for tick, _, data in events:
            body += _variable_length(tick - now) + data
            now = tick
        body += b"\x00\xff\x2f\x00"
        chunks.append(b"MTrk" + struct.pack(">I", len(body)) + body)
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TICKS)
    return header + b"".join(chunks)


# A four-bar tune: a melody line, block chords C | F | G7 | C, and a drum track.
MELODY = [
    (0, 72, 0.0, 1.0), (0, 76, 1.0, 1.5), (0, 79, 1.5, 2.0), (0, 77, 2.0, 3.0), (0, 76, 3.0, 4.0),
    (0, 77, 4.0, 5.0), (0, 81, 5.0, 6.0), (0, 84, 6.0, 7.0), (0, 83, 7.0, 8.0),
    (0, 79, 8.0, 9.0), (0, 77, 9.0, 9.5), (0, 74, 9.5, 10.0), (0, 71, 10.0, 12.0),
    (0, 72, 12.0, 14.0), (0, 67, 14.5, 15.0), (0, 64, 15.0, 16.0),
]
CHORDS = [
    (1, pitch, bar * 4.0, bar * 4.0 + 4.0)
    for bar, pitches in enumerate([(48, 52, 55), (53, 57, 60), (43, 53, 59, 62), (48, 52, 55)])
    for pitch in pitches
]
DRUMS = [(DRUM_CHANNEL, 36 + (i % 2) * 2, i * 1.0, i * 1.0 + 0.1) for i in range(16)]
CHORD_NAMES = ["C", "F", "G7", "C"]

