"""A rhythm section under the solo, in a style: bass, piano and drums, written as MIDI.

    from apps.jazz.band import arrange, load_style, write_midi
    arrangement = arrange(solo_notes, chart.timeline(meter, n_bars), meter=meter,
                          length=n_bars * meter.bar_length, tempo=160, swing=2.0, seed=3,
                          style=load_style("bossa"), count_in=True, ending=chart.chords[0])
    write_midi(arrangement, "output/solo.mid")

One module per instrument (`bass`, `piano`, `drums`, and `solo` for the solo's dynamics), each
playing what the style (`style`, with the data in `apps/jazz/styles/`) tells it; `arrangement`
lays the parts out with the count-in and the ending; `midi` writes and reads the file.

Everything is written in straight time; `swing` (the long-to-short ratio of paired eighths:
2 triplet swing, 1 straight) is applied to every part when the MIDI is rendered. Each chord
symbol, in ASCII, is a MIDI marker where its chord starts. The same inputs and seed give the
same bytes.
"""

from apps.jazz.band.arrangement import Arrangement, arrange
from apps.jazz.band.bass import BASS_RANGE, bass_line, pattern_bass, walking_bass
from apps.jazz.band.drums import drum_part
from apps.jazz.band.midi import (
    TICKS_PER_QUARTER,
    midi_bytes,
    read_back,
    tempo_microseconds,
    to_score,
    write_midi,
)
from apps.jazz.band.parts import BASS, DRUM_CHANNEL, DRUMS, PIANO, SOLO, BandNote, Form, Track
from apps.jazz.band.piano import comping, piano_part, rootless_voicing, voicing_degrees
from apps.jazz.band.solo import shape_solo
from apps.jazz.styles import Style, load_style, style_names

__all__ = [
    "BASS",
    "BASS_RANGE",
    "DRUMS",
    "DRUM_CHANNEL",
    "PIANO",
    "SOLO",
    "TICKS_PER_QUARTER",
    "Arrangement",
    "BandNote",
    "Form",
    "Style",
    "Track",
    "arrange",
    "bass_line",
    "comping",
    "drum_part",
    "load_style",
    "midi_bytes",
    "pattern_bass",
    "piano_part",
    "read_back",
    "rootless_voicing",
    "shape_solo",
    "style_names",
    "tempo_microseconds",
    "to_score",
    "voicing_degrees",
    "walking_bass",
    "write_midi",
]
