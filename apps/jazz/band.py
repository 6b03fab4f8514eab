"""A rhythm section under the solo: walking bass, piano comping and drums, written as MIDI.

    from apps.jazz.band import arrange, write_midi
    arrangement = arrange(solo_notes, chart.timeline(meter, n_bars), meter=meter,
                          length=n_bars * meter.bar_length, tempo=160, swing=2.0, seed=3)
    write_midi(arrangement, "output/solo.mid")

- **Bass** walks: a note on every beat, the chord's bass note where a chord starts, chord tones
  on the other strong beats, scale and chord tones stepping towards the next chord, and on the
  beat before a change a half or whole step into the next chord's root.
- **Piano** comps with rootless voicings (third and seventh with two colour tones, as Bill
  Evans and Wynton Kelly voiced them) around middle C, each led to the next by the smallest
  move, struck in short rhythmic figures (the Charleston, pushes on the "and" of 4 that
  anticipate the next chord), never held for whole bars.
- **Drums** on General MIDI channel 10: the ride's "spang-a-lang" (every beat, a skip note
  after each backbeat), the hi-hat pedal on the backbeats (2 and 4), a few soft snare comping
  figures, a crash on the downbeat.
- **Solo** velocities follow each phrase: louder towards its high notes, accents on syncopated
  long notes and on the top note, ghosted short low notes, softer phrase ends.

Everything is written in straight time; `swing` (the long-to-short ratio of paired eighths:
2 triplet swing, 1 straight) is applied to every part when the MIDI is rendered. Each chord
symbol, as typed, is a MIDI marker where its chord starts. The same inputs and seed give the
same bytes.
"""

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from music21 import midi

from apps.common.atomic import atomic_file
from datasets.music.chords import Chord
from datasets.music.meter import Meter
from datasets.music.rhythm import STRAIGHT, TRIPLET_SWING, is_straight, swing_notes, swing_time
from datasets.music.score import ChordTimeline, Note

SOLO, PIANO, BASS, DRUMS = "Solo", "Piano", "Bass", "Drums"
TICKS_PER_QUARTER = 960  # divisible by 3, 4 and 12: triplets and swung eighths fall on ticks
DRUM_CHANNEL = 10  # General MIDI percussion (1-based, as music21 numbers channels)

# General MIDI programs (0-based) and drum keys.
_PROGRAMS = {SOLO: 66, PIANO: 0, BASS: 32}  # tenor sax, acoustic grand, acoustic bass
_CHANNELS = {SOLO: 1, PIANO: 2, BASS: 3, DRUMS: DRUM_CHANNEL}
RIDE, PEDAL_HAT, SNARE, KICK, CRASH = 51, 44, 38, 36, 49

BASS_RANGE = (28, 55)  # E1 to G3, a four-string bass
_ROOT_RANGE = (31, 50)  # where chord roots land, so approach notes stay in range
VOICING_LOW, VOICING_TOP = (48, 62), 76  # lowest voice from C3 to D4, top voice at most E5
_CLUSTER_FLOOR = 52  # no second at the bottom of a voicing below E3 (it turns to mud)


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


@dataclass
class Track:
    """One instrument: its notes, MIDI channel (1-16) and General MIDI program."""

    name: str
    notes: list[BandNote]
    channel: int
    program: int | None = None

    @property
    def is_drums(self) -> bool:
        return self.channel == DRUM_CHANNEL


@dataclass
class Arrangement:
    """The solo and its band in straight time, with what rendering needs.

    Args:
        tracks: the solo first, then (unless left out) piano, bass and drums.
        markers: (offset, text) where each chord starts, the text as the user typed it.
        meter: the time signature written into the MIDI.
        tempo: quarter notes per minute.
        length: quarter notes, whole bars.
        swing: long-to-short ratio of paired eighths applied when rendering.
    """

    tracks: list[Track]
    markers: list[tuple[float, str]]
    meter: Meter
    tempo: float
    length: float
    swing: float = TRIPLET_SWING
    title: str = "Jazz solo"
    chords: list[tuple[float, Chord]] = field(default_factory=list)

    def track(self, name: str) -> Track | None:
        return next((t for t in self.tracks if t.name == name), None)

    def played(self) -> "Arrangement":
        """The same arrangement with swing applied to every part and marker (how it sounds)."""
        if not self.meter.swings or abs(self.swing - STRAIGHT) < 1e-9:
            return self
        tracks = [replace(t, notes=swing_notes(t.notes, self.swing)) for t in self.tracks]
        markers = [(_swung(o, self.swing), text) for o, text in self.markers]
        return replace(self, tracks=tracks, markers=markers, swing=STRAIGHT)


def _swung(offset: float, ratio: float) -> float:
    return swing_time(offset, ratio) if is_straight(offset) else offset


# -- Arranging ---------------------------------------------------------------------------------


def arrange(
    solo: list[Note],
    chords: ChordTimeline,
    *,
    meter: Meter | None = None,
    length: float | None = None,
    tempo: float = 140.0,
    swing: float = TRIPLET_SWING,
    band: bool = True,
    seed: int = 0,
) -> Arrangement:
    """The solo over its chords with (unless `band` is False) piano, bass and drums.

    Args:
        solo: the solo's notes in straight time (rests are skipped).
        chords: the chord at every offset; each change becomes a marker with the chord's figure.
        meter: time signature (default 4/4).
        length: quarter notes to fill, rounded up to whole bars (default: to the solo's end or
            the last chord's bar, whichever is later).
        tempo: quarter notes per minute.
        swing: long-to-short ratio of paired eighths when rendering (2 triplet swing,
            1 straight); ignored in compound meters.
        band: False for the solo alone (chord markers are still written).
        seed: the band's choices; the same seed gives the same band.
    """
    meter = meter or Meter(4, 4)
    if swing <= 0:
        raise ValueError(f"swing ratio must be positive, not {swing}")
    solo_notes = [n for n in solo if not n.is_rest]
    if length is None:
        length = max([n.end for n in solo_notes] + [chords.offsets[-1] + 1e-6, 1e-6])
    n_bars = max(1, math.ceil(length / meter.bar_length - 1e-9))
    length = n_bars * meter.bar_length
    changes = [(o, c) for o, c in chords.changes if o < length - 1e-9]
    tracks = [Track(SOLO, shape_solo(solo_notes, meter), _CHANNELS[SOLO], _PROGRAMS[SOLO])]
    if band:
        streams = np.random.SeedSequence([seed, 1789]).spawn(3)
        rngs = [np.random.default_rng(s) for s in streams]
        tracks += [
            Track(PIANO, comping(chords, meter, length, rngs[0]), _CHANNELS[PIANO],
                  _PROGRAMS[PIANO]),
            Track(BASS, walking_bass(chords, meter, length, rngs[1]), _CHANNELS[BASS],
                  _PROGRAMS[BASS]),
            Track(DRUMS, drums(meter, length, rngs[2]), _CHANNELS[DRUMS]),
        ]
    return Arrangement(
        tracks,
        [(o, c.figure) for o, c in changes],
        meter,
        float(tempo),
        length,
        float(swing),
        chords=changes,
    )


# -- The solo's dynamics -----------------------------------------------------------------------

_SOLO_BASE, _SOLO_RANGE = 82, (36, 118)


def _phrases(notes: list[Note], gap: float) -> list[list[int]]:
    """Indices of the notes of each phrase: a rest of `gap` or more ends a phrase."""
    phrases: list[list[int]] = []
    for i, note in enumerate(notes):
        if not phrases or note.offset - notes[i - 1].end >= gap - 1e-9:
            phrases.append([])
        phrases[-1].append(i)
    return phrases


def shape_solo(notes: list[Note], meter: Meter) -> list[BandNote]:
    """The solo with velocities that shape its phrases (see the module docstring)."""
    notes = sorted(notes, key=lambda n: n.offset)
    velocities = [float(_SOLO_BASE)] * len(notes)
    for phrase in _phrases(notes, meter.beat_length):
        pitches = [notes[i].pitch for i in phrase]
        low, high = min(pitches), max(pitches)
        spread = max(high - low, 1)
        for position, i in enumerate(phrase):
            note = notes[i]
            arc = math.sin(math.pi * (position + 0.5) / len(phrase))
            velocities[i] += 8 * arc + 12 * ((note.pitch - low) / spread - 0.5)
            if note.pitch == high:
                velocities[i] += 6
            if _is_offbeat(note.offset, meter) and note.duration > meter.beat_length / 2:
                velocities[i] += 10  # a syncopated long note: the line's accent
            if position == len(phrase) - 1 and len(phrase) > 1:
                velocities[i] -= 6
        for a, b, c in zip(phrase, phrase[1:], phrase[2:], strict=False):
            if (notes[b].duration <= 1 / 3 + 1e-9 and notes[b].pitch < notes[a].pitch
                    and notes[b].pitch < notes[c].pitch):
                velocities[b] -= 16  # a ghosted note inside a run
    return [
        BandNote(n.offset, n.duration, n.pitch, _velocity(v, _SOLO_RANGE))
        for n, v in zip(notes, velocities, strict=True)
    ]


def _is_offbeat(offset: float, meter: Meter) -> bool:
    position = offset / meter.beat_length
    return abs(position - round(position)) > 1e-6


def _velocity(value: float, bounds: tuple[int, int]) -> int:
    return int(min(bounds[1], max(bounds[0], round(value))))


def _phrase_swell(offset: float, meter: Meter) -> float:
    """A four-bar rise and fall the band shares (-1 to 1)."""
    bar = offset / meter.bar_length
    return math.sin(math.pi * ((bar % 4) + 0.5) / 4) * 2 - 1


# -- Walking bass ------------------------------------------------------------------------------


def _in_range(pitch_class: int, around: float, low: int, high: int) -> int:
    """The pitch of `pitch_class` nearest `around` inside [low, high]."""
    options = [p for p in range(low, high + 1) if p % 12 == pitch_class % 12]
    return min(options, key=lambda p: (abs(p - around), p))


def _change_between(chords: ChordTimeline, start: float, end: float) -> bool:
    """Whether a chord starts in (start, end]."""
    return any(start + 1e-9 < o <= end + 1e-9 for o in chords.offsets)


def walking_bass(
    chords: ChordTimeline, meter: Meter, length: float, rng: np.random.Generator
) -> list[BandNote]:
    """A walking line: one note a beat (see the module docstring)."""
    beat = meter.beat_length
    n_beats = round(length / beat)
    strong = set(meter.strong_beats())
    notes: list[BandNote] = []
    pitch: int | None = None
    for k in range(n_beats):
        t = k * beat
        chord = chords.at(t)
        starts = k == 0 or _change_between(chords, t - beat, t)
        at_end = k == n_beats - 1
        ends = at_end or _change_between(chords, t, t + beat)
        following = chords.at(0.0) if at_end else chords.at(t + beat)
        beat_in_bar = round((t % meter.bar_length) / beat)
        if starts or pitch is None:
            pitch = _in_range(chord.bass_class, 40 if pitch is None else pitch, *_ROOT_RANGE)
            kind = "root"
        elif ends:
            pitch = _approach(pitch, chord, following, rng)
            kind = "approach"
        else:
            beats_left = _beats_to_change(chords, t, beat, length)
            target = _in_range(following.bass_class, pitch, *_ROOT_RANGE)
            pitch = _walk(pitch, chord, target, beats_left, beat_in_bar in strong, rng)
            kind = "walk"
        velocity = 84 + (8 if beat_in_bar == 0 else 0) - (4 if kind == "approach" else 0)
        velocity += 3 * _phrase_swell(t, meter) + int(rng.integers(-3, 4))
        notes.append(BandNote(t, beat * 0.95, pitch, _velocity(velocity, (50, 110))))
    return notes


def _beats_to_change(chords: ChordTimeline, t: float, beat: float, length: float) -> int:
    change = chords.next_change(t)
    end = length if change is None else min(change, length)
    return max(1, round((end - t) / beat))


def _approach(pitch: int, chord: Chord, following: Chord, rng: np.random.Generator) -> int:
    """A half or whole step into the next chord's bass note, from below or above."""
    target = _in_range(following.bass_class, pitch, *_ROOT_RANGE)
    scale = chord.scale_classes | following.scale_classes
    options = [(target - 1, 0.35), (target + 1, 0.3)]
    options += [(target + s, 0.175) for s in (-2, 2) if (target + s) % 12 in scale]
    options = [(p, w) for p, w in options if p != pitch and BASS_RANGE[0] <= p <= BASS_RANGE[1]]
    pitches = [p for p, _ in options]
    weights = np.array([w for _, w in options])
    return int(rng.choice(pitches, p=weights / weights.sum()))


def _walk(pitch: int, chord: Chord, target: int, beats_left: int, strong: bool,
          rng: np.random.Generator) -> int:
    """A chord tone (strong beats) or a chord or scale tone (weak beats) near `pitch`, moving
    towards `target`, never `pitch` itself."""
    classes = chord.pitch_classes if strong else chord.scale_classes
    reach = 7 if strong else 4
    options = [
        p for p in range(BASS_RANGE[0], BASS_RANGE[1] + 1)
        if p % 12 in classes and p != pitch and abs(p - pitch) <= reach
    ]
    if not options:
        options = [p for p in range(pitch - 5, pitch + 6) if p != pitch and p % 12 in classes]
    if not options:
        return pitch - 2 if pitch - 2 >= BASS_RANGE[0] else pitch + 2
    ideal = pitch + (target - pitch) / (beats_left + 1)
    pitches = np.asarray(options, float)
    weights = np.exp(-np.abs(pitches - ideal) / 2.0)
    weights[np.abs(pitches - pitch) <= 2] *= 1.5  # a walking line moves mostly by step
    return int(rng.choice(options, p=weights / weights.sum()))


# -- Piano comping -----------------------------------------------------------------------------

# Colour tones in the order a pianist reaches for them, altered tensions first.
_COLOURS = (20, 15, 13, 18, 21, 14, 17)


def voicing_degrees(chord: Chord) -> list[int]:
    """Four degrees of a rootless voicing: the guide tones (third or fourth, seventh or sixth)
    and two colours (the chord's own tensions, else the 9th and 13th on a dominant, the 9th and
    5th otherwise). Diminished chords are voiced whole."""
    d = set(chord.intervals)
    if 3 in d and 6 in d and not d & {10, 11}:
        return [0, 3, 6, 9]
    if 3 in d and 6 in d:  # half-diminished: b3, b5, b7 and the root (or the 9th it names)
        return [3, 6, 10, 14 if 14 in d else 0]
    third = next((x for x in (4, 3, 5, 2) if x in d), None)
    seventh = next((x for x in (10, 11, 9) if x in d), None)
    fifth = next((x for x in (7, 8, 6) if x in d), 7)
    if seventh is None and fifth != 8:
        seventh = 10 if third == 5 else 9  # sus chords get the 7th, triads the 6th
    degrees = [x for x in (third, seventh) if x is not None]
    tensions = [x for x in _COLOURS if x in d]
    altered_ninth = bool(d & {13, 15})
    defaults = [14, 21] if 10 in d and third == 4 else [14, fifth]
    if altered_ninth:
        defaults = [x for x in defaults if x != 14] + [21 if 20 not in d else fifth]
    if 20 in d or 8 in d:
        defaults = [x for x in defaults if x != 21]
    for degree in tensions + defaults + [fifth, 0]:
        if len(degrees) == 4:
            break
        if degree % 12 not in {x % 12 for x in degrees}:
            degrees.append(degree)
    return degrees


def rootless_voicing(chord: Chord, previous: list[int] | None = None) -> list[int]:
    """MIDI pitches of the voicing, in close position around middle C, moved as little as
    possible from `previous` (or centred on D4 when there is none)."""
    classes = sorted({(chord.root + d) % 12 for d in voicing_degrees(chord)})
    candidates = []
    for bottom_class in classes:
        for bottom in range(VOICING_LOW[0], VOICING_LOW[1] + 1):
            if bottom % 12 != bottom_class:
                continue
            pitches = sorted(bottom + (pc - bottom_class) % 12 for pc in classes)
            if pitches[-1] > VOICING_TOP:
                continue
            if pitches[1] - pitches[0] <= 2 and pitches[0] < _CLUSTER_FLOOR:
                continue
            candidates.append(pitches)
    if previous:
        def cost(pitches):
            return (sum(abs(a - b) for a, b in zip(pitches, sorted(previous), strict=False)),
                    pitches)
    else:
        def cost(pitches):
            return (abs(sum(pitches) / len(pitches) - 62), pitches)
    return min(candidates, key=cost)


def _comping_patterns(meter: Meter) -> list[list[tuple[float, float]]]:
    """(onset, length) figures for one bar, in beats; "and" is the off-beat eighth (the third
    eighth of a beat in compound meters)."""
    n = meter.beats_per_bar
    a = 2 / 3 if meter.is_compound else 0.5
    if n == 4:
        return [
            [(0, 1.0), (1 + a, a)],  # the Charleston
            [(1 + a, a), (3 + a, a)],  # pushes: the last anticipates the next bar
            [(1, a), (3, a)],
            [(0, 1 + a), (2 + a, a)],
            [(a, 1.0), (2, a), (3 + a, a)],
        ]
    if n == 3:
        return [
            [(0, 1.0), (1 + a, a)],
            [(1, a), (2, a)],
            [(0, a), (1 + a, 1.0)],
            [(0, 1.0), (2 + a, a)],
        ]
    if n == 2:
        return [[(0, 1.0)], [(0, a), (1 + a, a)], [(a, a), (1 + a, a)]]
    return [[(0, 1.0), (b + a, a)] for b in range(1, n)]


def comping(
    chords: ChordTimeline, meter: Meter, length: float, rng: np.random.Generator
) -> list[BandNote]:
    """Rootless voicings struck in short figures, bar by bar (see the module docstring)."""
    beat = meter.beat_length
    patterns = _comping_patterns(meter)
    hits: list[tuple[float, float]] = []
    n_bars = round(length / meter.bar_length)
    for bar in range(n_bars):
        start = bar * meter.bar_length
        figure = patterns[0] if bar == 0 else patterns[int(rng.integers(len(patterns)))]
        hits += [(start + onset * beat, span * beat) for onset, span in figure]
    hits = [(o, d) for o, d in hits if o < length - 1e-9]
    # Every chord is struck at least once: a chord no figure sounds gets a hit where it starts.
    sounded = [_sounding(chords, o, beat) for o, _ in hits]
    for offset, _ in chords.changes:
        if offset >= length - 1e-9:
            continue
        end = chords.next_change(offset) or length
        if not any(offset - 1e-9 <= t < end - 1e-9 for t in sounded):
            hits.append((offset, min(beat, end - offset)))
    hits.sort()

    notes: list[BandNote] = []
    previous: list[int] | None = None
    for i, (onset, span) in enumerate(hits):
        sounding = _sounding(chords, onset, beat)
        chord = chords.at(sounding)
        end = onset + span
        if i + 1 < len(hits):
            end = min(end, hits[i + 1][0])
        change = chords.next_change(sounding)
        if change is not None:
            end = min(end, change)
        end = min(end, length)
        if end - onset < 1e-6:
            continue
        voicing = rootless_voicing(chord, previous)
        previous = voicing
        accent = 6 if _is_offbeat(onset, meter) else 0
        velocity = 62 + accent + 3 * _phrase_swell(onset, meter) + int(rng.integers(-4, 5))
        for j, pitch in enumerate(voicing):
            top = 4 if j == len(voicing) - 1 else 0  # the top voice sings a little
            notes.append(BandNote(onset, end - onset, pitch, _velocity(velocity + top, (40, 96))))
    return notes


def _pushes(onset: float, change: float, beat: float) -> bool:
    """Whether a hit on the off-beat just before `change` anticipates it."""
    return 0 < change - onset <= beat / 2 + 1e-9


def _sounding(chords: ChordTimeline, onset: float, beat: float) -> float:
    """Where the chord a hit plays starts: the next chord's start when the hit pushes it."""
    change = chords.next_change(onset)
    return change if change is not None and _pushes(onset, change, beat) else onset


# -- Drums -------------------------------------------------------------------------------------


def drums(meter: Meter, length: float, rng: np.random.Generator) -> list[BandNote]:
    """Ride, hi-hat on the backbeats, soft snare comping, a crash on the downbeat."""
    beat = meter.beat_length
    a = beat * (2 / 3 if meter.is_compound else 0.5)
    backbeats = set(meter.backbeats())
    notes = [BandNote(0.0, 0.5, CRASH, 92), BandNote(0.0, 0.25, KICK, 70)]
    n_beats = round(length / beat)
    for k in range(n_beats):
        t = k * beat
        beat_in_bar = k % meter.beats_per_bar
        swell = 4 * _phrase_swell(t, meter)
        is_backbeat = beat_in_bar in backbeats
        ride = 76 + (10 if is_backbeat else 0) + swell + int(rng.integers(-3, 4))
        if k:  # the crash already marks the first beat
            notes.append(BandNote(t, 0.25, RIDE, _velocity(ride, (40, 110))))
        if is_backbeat:
            notes.append(BandNote(t, 0.25, PEDAL_HAT, _velocity(72 + swell, (40, 100))))
            if t + a < length:  # the skip note: "spang-a-LANG"
                skip = 60 + swell + int(rng.integers(-3, 4))
                notes.append(BandNote(t + a, 0.25, RIDE, _velocity(skip, (35, 90))))
    n_bars = round(length / meter.bar_length)
    for bar in range(n_bars):
        start = bar * meter.bar_length
        for _ in range(int(rng.choice([0, 1, 1, 2]))):  # snare comping: a word or two a bar
            onset = start + int(rng.integers(meter.beats_per_bar)) * beat + a
            notes.append(BandNote(onset, 0.25, SNARE, _velocity(42 + rng.integers(-6, 12),
                                                                (25, 80))))
        if bar % 4 == 3:  # a kick "bomb" at the end of a four-bar phrase
            onset = start + (meter.beats_per_bar - 1) * beat + a
            notes.append(BandNote(onset, 0.25, KICK, 66))
    notes = [n for n in notes if n.offset < length - 1e-9]
    return sorted(set(notes), key=lambda n: (n.offset, n.pitch, n.velocity))


# -- MIDI --------------------------------------------------------------------------------------


def _ticks(time: float) -> int:
    return round(time * TICKS_PER_QUARTER)


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


def midi_bytes(arrangement: Arrangement) -> bytes:
    """A format-1 standard MIDI file: a conductor track (title, time signature, tempo, chord
    markers), then one track per part, the solo first, with swing applied."""
    played = arrangement.played()
    meter = played.meter
    midi_file = midi.MidiFile()
    midi_file.format = 1
    midi_file.ticksPerQuarterNote = TICKS_PER_QUARTER

    conductor = midi.MidiTrack(0)
    power = int(math.log2(meter.denominator))
    microseconds = round(60_000_000 / played.tempo)
    timed = [
        (0, 0, _meta(conductor, midi.MetaEvents.SEQUENCE_TRACK_NAME, played.title.encode())),
        (0, 1, _meta(conductor, midi.MetaEvents.TIME_SIGNATURE,
                     bytes([meter.numerator, power, 24, 8]))),
        (0, 2, _meta(conductor, midi.MetaEvents.SET_TEMPO, microseconds.to_bytes(3, "big"))),
    ]
    timed += [
        (_ticks(offset), 3, _meta(conductor, midi.MetaEvents.MARKER, text.encode("utf-8")))
        for offset, text in played.markers
    ]
    _write_track(conductor, timed)
    midi_file.tracks.append(conductor)

    for index, part in enumerate(played.tracks, start=1):
        track = midi.MidiTrack(index)
        timed = [(0, 0, _meta(track, midi.MetaEvents.SEQUENCE_TRACK_NAME, part.name.encode()))]
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


def write_midi(arrangement: Arrangement, path) -> None:
    """The arrangement as a standard MIDI file, written whole or not at all."""
    data = midi_bytes(arrangement)
    with atomic_file(Path(path), "wb") as handle:
        handle.write(data)


def to_score(arrangement: Arrangement):
    """The arrangement as a music21 Score (read back from its MIDI, swing and all)."""
    from music21 import midi as m21midi

    midi_file = m21midi.MidiFile()
    midi_file.readstr(midi_bytes(arrangement))
    return m21midi.translate.midiFileToStream(midi_file, quantizePost=False)


def read_back(path) -> dict:
    """A MIDI file's events as a player's software hears them, for checks: {"tracks": [{"name",
    "notes": [(onset, end, pitch, channel), ...]}, ...] (tracks with notes, in file order),
    "markers": [(offset, text), ...], "time_signature": "3/4" or None}, times in quarter notes.
    """
    midi_file = midi.MidiFile()
    midi_file.open(str(path))
    midi_file.read()
    midi_file.close()
    ticks = midi_file.ticksPerQuarterNote
    tracks, markers, signature = [], [], None
    for track in midi_file.tracks:
        name, notes, sounding, now = "", [], {}, 0
        for event in track.events:
            if isinstance(event, midi.DeltaTime):
                now += event.time
            elif event.type == midi.MetaEvents.SEQUENCE_TRACK_NAME:
                name = event.data.decode("utf-8", "replace")
            elif event.type == midi.MetaEvents.MARKER:
                markers.append((now / ticks, event.data.decode("utf-8", "replace")))
            elif event.type == midi.MetaEvents.TIME_SIGNATURE and signature is None:
                signature = f"{event.data[0]}/{2 ** event.data[1]}"
            elif event.isNoteOn():
                sounding[(event.channel, event.pitch)] = now
            elif event.isNoteOff() and (event.channel, event.pitch) in sounding:
                start = sounding.pop((event.channel, event.pitch))
                notes.append((start / ticks, now / ticks, event.pitch, event.channel))
        if notes:
            tracks.append({"name": name, "notes": sorted(notes)})
    return {"tracks": tracks, "markers": markers, "time_signature": signature}
