"""What every instrument writes: notes in straight time, tracks, and where the beats fall.

Times are quarter notes from the first bar line of the form, written straight; swing is put in
when the MIDI is rendered (`apps.jazz.band.arrangement.Arrangement.played`).
"""

import math
from dataclasses import dataclass

from datasets.music.meter import Meter

SOLO, PIANO, BASS, DRUMS = "Solo", "Piano", "Bass", "Drums"
DRUM_CHANNEL = 10  # General MIDI percussion (1-based, as music21 numbers channels)
CHANNELS = {SOLO: 1, PIANO: 2, BASS: 3, DRUMS: DRUM_CHANNEL}


@dataclass(frozen=True)
class BandNote:
    """One note of a part: times in quarter notes (straight), MIDI pitch and velocity."""

    offset: float
    duration: float
    pitch: int
    velocity: int

    @property
    def end(self) -> float:
        return self.offset + self.duration

    def shifted(self, by: float) -> "BandNote":
        return BandNote(self.offset + by, self.duration, self.pitch, self.velocity)


@dataclass
class Track:
    """One instrument: its notes, MIDI channel (1-16) and General MIDI program (on the drum
    channel, the kit: 40 is the GS/GM2 brush kit)."""

    name: str
    notes: list[BandNote]
    channel: int
    program: int | None = None

    @property
    def is_drums(self) -> bool:
        return self.channel == DRUM_CHANNEL


@dataclass(frozen=True)
class Form:
    """The time an arrangement fills, as the instruments need it.

    Args:
        meter: the time signature.
        length: quarter notes of the chart's passes (whole bars), without count-in or ending.
        chorus_bars: bars of one pass of the chart (a fill leads into the top of each).
        ending: quarter notes of the held final chord after the last pass (0: no ending).
    """

    meter: Meter
    length: float
    chorus_bars: int
    ending: float = 0.0

    @property
    def n_bars(self) -> int:
        return round(self.length / self.meter.bar_length)


def beat_time(beats: float, meter: Meter) -> float:
    """Quarter notes of a place written in beats, "and"s as .5: in compound meters, whose
    beats divide in three, the "and" is the third eighth of the beat (2/3 of it)."""
    whole = math.floor(beats + 1e-9)
    fraction = beats - whole
    if meter.is_compound and abs(fraction - 0.5) < 1e-9:
        fraction = 2 / 3
    return (whole + fraction) * meter.beat_length


def velocity(value: float, bounds: tuple[int, int] = (1, 127)) -> int:
    return int(min(bounds[1], max(bounds[0], round(value))))


def phrase_swell(offset: float, meter: Meter) -> float:
    """A four-bar rise and fall the band shares (-1 to 1)."""
    bar = offset / meter.bar_length
    return math.sin(math.pi * ((bar % 4) + 0.5) / 4) * 2 - 1


def tempo_feel(tempo: float) -> float:
    """0 at ballad tempos (60 BPM and under) to 1 from medium-up tempos (160 BPM): the band
    plays lighter and sparser the slower the tune."""
    return min(1.0, max(0.0, (tempo - 60.0) / 100.0))


def is_offbeat(offset: float, meter: Meter) -> bool:
    position = offset / meter.beat_length
    return abs(position - round(position)) > 1e-6
