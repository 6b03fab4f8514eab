"""What a musician hears in a solo: is it in time with the band, does it aim at the changes, does
it phrase and breathe, where does it move from chorus to chorus.

The measures take the solo's notes as (onset, end, pitch) in quarter notes as they sound (swing
and all), the chords, the meter and the swing ratio of the band:

    on_grid_share         onsets on a beat or on an "and" (the off-beat eighth, wherever the
                          swing puts it): a line that keeps its place in the bar
    swung_share           of the notes off the beat, those at the swung eighth R/(R+1) of the
                          beat, where the band's off-beat eighths are (None when played straight)
    chord_tone_at_changes of the chord changes with a solo note sounding, those where it is a
                          chord tone of the new chord; guide_tone_at_changes: its 3rd or 7th
    approach_by_step      of the notes that lead straight into such a note, those a half or
                          whole step from it
    phrases               runs of notes between rests of a beat or more: how many, how long
                          (bars), the rests between them (beats), and the share that start and
                          end on a beat or an "and"
    choruses              per pass of the chart: lowest, highest and mean pitch, notes per bar
"""

import math
import statistics

from datasets.music.meter import Meter
from datasets.music.rhythm import offbeat_place
from datasets.music.score import ChordTimeline

TOLERANCE = 0.02  # of a beat: how far from a grid place an onset may sound and still be on it


def _fraction(time: float, beat: float) -> float:
    position = time / beat
    return position - math.floor(position + 1e-9)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def _eighth_places(meter: Meter, swing: float) -> list[float]:
    """The places in a beat (0-1) of its eighths, as played: the "and" of a simple beat (at the
    swung place, and at 0.5), or the eighths of a compound beat."""
    if meter.is_compound:
        return [0.0, 1 / 3, 2 / 3, 1.0]
    return [0.0, 0.5, offbeat_place(swing), 1.0]


def on_grid(time: float, meter: Meter, swing: float) -> bool:
    fraction = _fraction(time, meter.beat_length)
    return any(_near(fraction, place) for place in _eighth_places(meter, swing))


def timing(onsets: list[float], meter: Meter, swing: float) -> dict:
    """`on_grid_share` and `swung_share` (see the module docstring)."""
    if not onsets:
        return {"on_grid_share": None, "swung_share": None, "offbeat_notes": 0}
    fractions = [_fraction(t, meter.beat_length) for t in onsets]
    offbeat = [f for f in fractions if not (_near(f, 0.0) or _near(f, 1.0))]
    swung = None
    if offbeat and meter.swings and abs(swing - 1.0) > 1e-6:
        place = offbeat_place(swing)
        swung = round(sum(_near(f, place) for f in offbeat) / len(offbeat), 4)
    return {
        "on_grid_share": round(sum(on_grid(t, meter, swing) for t in onsets) / len(onsets), 4),
        "swung_share": swung,
        "offbeat_notes": len(offbeat),
    }


def at_changes(notes: list[tuple[float, float, int]], chords: ChordTimeline,
               span: tuple[float, float]) -> dict:
    """Chord tones and guide tones sounding where the chord changes inside `span`, and the
    steps into them (see the module docstring)."""
    changes = [(t, c) for t, c in chords.changes
               if span[0] + 1e-6 < t < span[1] - 1e-6 and not c.is_no_chord]
    sounding = chord_tones = guide_tones = approached = stepped = 0
    for t, chord in changes:
        index = next((i for i, (onset, end, _) in enumerate(notes)
                      if onset <= t + 1e-6 and end > t + 1e-6), None)
        if index is None:
            continue
        pitch = notes[index][2]
        sounding += 1
        chord_tones += pitch % 12 in chord.pitch_classes
        guide_tones += pitch % 12 in chord.guide_classes
        if index and abs(notes[index - 1][1] - notes[index][0]) < 1e-6:
            approached += 1
            stepped += 1 <= abs(pitch - notes[index - 1][2]) <= 2
    return {
        "changes": len(changes),
        "changes_with_a_note": sounding,
        "chord_tone_at_changes": round(chord_tones / sounding, 4) if sounding else None,
        "guide_tone_at_changes": round(guide_tones / sounding, 4) if sounding else None,
        "approach_by_step": round(stepped / approached, 4) if approached else None,
    }


def phrases(notes: list[tuple[float, float, int]], meter: Meter, swing: float) -> dict:
    """Phrases between rests of a beat or more (see the module docstring)."""
    if not notes:
        return {"count": 0}
    found, rests = [[notes[0]]], []
    for previous, note in zip(notes, notes[1:], strict=False):
        gap = note[0] - previous[1]
        if gap >= meter.beat_length - TOLERANCE * meter.beat_length:
            found.append([])
            rests.append(gap / meter.beat_length)
        found[-1].append(note)
    lengths = [(p[-1][1] - p[0][0]) / meter.bar_length for p in found]
    return {
        "count": len(found),
        "mean_bars": round(statistics.fmean(lengths), 3),
        "longest_bars": round(max(lengths), 3),
        "mean_rest_beats": round(statistics.fmean(rests), 3) if rests else None,
        "start_on_beat_or_and": round(sum(on_grid(p[0][0], meter, swing) for p in found)
                                      / len(found), 4),
        "end_on_beat_or_and": round(sum(on_grid(p[-1][1], meter, swing) for p in found)
                                    / len(found), 4),
    }


def choruses(notes: list[tuple[float, float, int]], sections: list[tuple[float, float]],
             meter: Meter) -> list[dict]:
    """Register and density of each pass of the chart (`sections`: (start, end))."""
    report = []
    for number, (start, end) in enumerate(sections, 1):
        pitches = [p for onset, _, p in notes if start - 1e-6 <= onset < end - 1e-6]
        bars = (end - start) / meter.bar_length
        report.append({
            "chorus": number,
            "notes": len(pitches),
            "lowest_pitch": min(pitches, default=None),
            "highest_pitch": max(pitches, default=None),
            "mean_pitch": round(statistics.fmean(pitches), 2) if pitches else None,
            # The climb: mean pitch of the chorus's last third less that of its first third.
            "rise": _rise(notes, start, end),
            "notes_per_bar": round(len(pitches) / bars, 3) if bars else None,
        })
    return report


def _rise(notes, start: float, end: float) -> float | None:
    third = (end - start) / 3
    first = [p for onset, _, p in notes if start - 1e-6 <= onset < start + third]
    last = [p for onset, _, p in notes if end - third <= onset < end - 1e-6]
    if not first or not last:
        return None
    return round(statistics.fmean(last) - statistics.fmean(first), 2)


def listen(notes: list[tuple[float, float, int]], chords: ChordTimeline | None, meter: Meter,
           swing: float, sections: list[tuple[float, float]]) -> dict:
    """Every measure of the module docstring for one solo; `sections` are the passes of the
    chart (the whole solo when it has no marks for them)."""
    span = (sections[0][0], sections[-1][1]) if sections else (0.0, math.inf)
    # The passes of the chart only: not a count-in, not the ending's held chord.
    notes = sorted(n for n in notes if span[0] - 1e-6 <= n[0] < span[1] - 1e-6)
    result = {"swing": round(swing, 3), **timing([n[0] for n in notes], meter, swing)}
    if chords is not None:
        result.update(at_changes(notes, chords, span))
    result["phrases"] = phrases(notes, meter, swing)
    result["choruses"] = choruses(notes, sections, meter) if sections else []
    return result


# -- A MIDI file as the app writes it ----------------------------------------------------------


def sections_of(cues: list[tuple[float, str]], end: float) -> list[tuple[float, float]]:
    """(start, end) of each "Chorus N" cue point, up to the next cue or `end`."""
    starts = [(t, text) for t, text in cues]
    found = []
    for index, (t, text) in enumerate(starts):
        if text.startswith("Chorus"):
            stop = starts[index + 1][0] if index + 1 < len(starts) else end
            found.append((t, stop))
    return found


def band_swing(tracks: list[dict], solo_index: int) -> float:
    """The swing ratio the band plays: read from the drums (the ride's skip notes), else the
    piano, else the solo itself; 1.0 when nothing swings."""
    from datasets.music.rhythm import detect_swing
    from datasets.music.score import Note

    ordered = sorted((i for i in range(len(tracks)) if i != solo_index),
                     key=lambda i: tracks[i]["name"] != "Drums")
    for index in [*ordered, solo_index]:
        notes = [Note(on, end - on, pitch) for on, end, pitch, _ in tracks[index]["notes"]]
        ratio = detect_swing(notes)
        if ratio != 1.0:
            return ratio
    return 1.0
