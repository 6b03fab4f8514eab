"""The drums on General MIDI channel 10: the style's grooves (one drawn every two bars, so the
ride varies), a left hand comping on the snare, kick "bombs" closing four-bar phrases, a fill
into the top of every chorus and every eight bars with a crash on the downbeat after it, a
count-in bar, and a crash on the ending. Softer and sparser at slow tempos."""

import numpy as np

from apps.jazz.band.parts import BandNote, Form, beat_time, phrase_swell, velocity
from apps.jazz.styles import (
    BRUSH_SLAP,
    BRUSH_SWIRL,
    CLOSED_HAT,
    CRASH,
    KICK,
    RIDE,
    RIDE_BELL,
    SIDE_STICK,
    SNARE,
    Fill,
    Groove,
    Hit,
    Kit,
)
from datasets.music.meter import Meter

FILL_EVERY_BARS = 8
_HIT_LENGTH = 0.25


def drum_part(form: Form, kit: Kit, rng: np.random.Generator, feel: float = 1.0) -> list[BandNote]:
    """The drums over the form (time-keeping goes on under "N.C."), and the ending's crash."""
    meter = form.meter
    n_bars = form.n_bars
    fill_bars = {bar for bar in range(n_bars)
                 if (bar + 1) % form.chorus_bars == 0 or (bar + 1) % FILL_EVERY_BARS == 0}
    scale = 0.78 + 0.22 * feel
    notes = [BandNote(0.0, 0.5, kit.crash, 92), BandNote(0.0, _HIT_LENGTH, KICK, 70)]
    grooves = _grooves(kit, meter)
    groove = grooves[0]
    for bar in range(n_bars):
        if bar % 2 == 0:
            groove = _draw(grooves, rng) if bar else grooves[0]
        start = bar * meter.bar_length
        hits = _groove_bar(groove, bar, meter, rng)
        hits += _comping(kit, meter, rng, feel)
        if kit.bombs and bar % 4 == 3:
            hits.append((beat_time(meter.beats_per_bar - 0.5, meter), KICK, 66))
        if bar in fill_bars and kit.fills:
            fill = kit.fills[int(rng.integers(len(kit.fills)))]
            hits = _with_fill(hits, fill, meter)
        for time, key, loud in hits:
            onset = start + time
            if bar == 0 and onset < 1e-9 and key in (kit.crash, KICK):
                continue  # the downbeat's crash and kick are already there
            swell = 3 * phrase_swell(onset, meter)
            notes.append(BandNote(onset, _HIT_LENGTH, key, velocity((loud + swell) * scale,
                                                                    (20, 120))))
        if bar in fill_bars and bar + 1 < n_bars:  # the downbeat after a fill
            top = start + meter.bar_length
            notes += [BandNote(top, 0.5, kit.crash, velocity(90 * scale)),
                      BandNote(top, _HIT_LENGTH, KICK, velocity(72 * scale))]
    if form.ending > 0:
        notes += [BandNote(form.length, form.ending, kit.crash, velocity(96 * scale)),
                  BandNote(form.length, _HIT_LENGTH, KICK, velocity(80 * scale))]
    notes = [n for n in notes if n.offset < form.length + form.ending - 1e-9]
    return _one_per_key(notes)


def count_in(meter: Meter, kit: Kit) -> list[BandNote]:
    """One bar of the kit's count-in key on each beat, the first one louder."""
    return [BandNote(k * meter.beat_length, _HIT_LENGTH, kit.count_in, 90 if k == 0 else 76)
            for k in range(meter.beats_per_bar)]


def _grooves(kit: Kit, meter: Meter) -> list[Groove]:
    return [g for g in kit.grooves if g.beats_per_bar in (None, meter.beats_per_bar)]


def _draw(grooves: list[Groove], rng: np.random.Generator) -> Groove:
    weights = np.array([g.weight for g in grooves], float)
    if weights.sum() <= 0:
        weights = np.ones(len(grooves))
    return grooves[int(rng.choice(len(grooves), p=weights / weights.sum()))]


def _places(hit: Hit, bar: int, groove: Groove, meter: Meter) -> list[float]:
    """Where in this bar (quarter notes from its start) the hit falls."""
    beats = range(meter.beats_per_bar)
    strong = set(meter.strong_beats())
    backbeats = set(meter.backbeats())
    if isinstance(hit.where, tuple):
        cycle = (bar % groove.bars) * meter.beats_per_bar
        return [beat_time(b - cycle, meter) for b in hit.where
                if cycle <= b < cycle + meter.beats_per_bar]
    chosen = {
        "beats": [(b, 0.0) for b in beats],
        "strong": [(b, 0.0) for b in beats if b in strong],
        "backbeats": [(b, 0.0) for b in beats if b in backbeats],
        "ands": [(b, 0.5) for b in beats],
        "backbeat ands": [(b, 0.5) for b in beats if b in backbeats],
    }[hit.where]
    return [beat_time(b + fraction, meter) for b, fraction in chosen]


def _groove_bar(groove: Groove, bar: int, meter: Meter, rng: np.random.Generator):
    hits = []
    for hit in groove.hits:
        for time in _places(hit, bar, groove, meter):
            if hit.chance >= 1.0 or rng.random() < hit.chance:
                hits.append((time, hit.key, hit.velocity + int(rng.integers(-3, 4))))
    return hits


def _comping(kit: Kit, meter: Meter, rng: np.random.Generator, feel: float):
    """A word or two a bar from the left hand on the "and"s, fewer at slow tempos."""
    if kit.comping is None:
        return []
    key, loud, choices = kit.comping
    count = int(rng.choice(choices))
    count = sum(1 for _ in range(count) if rng.random() < 0.4 + 0.6 * feel)
    return [(beat_time(int(rng.integers(meter.beats_per_bar)) + 0.5, meter), key,
             loud + int(rng.integers(-6, 12))) for _ in range(count)]


def _with_fill(hits, fill: Fill, meter: Meter):
    """The bar's hits with the fill in its last beats: the cymbals and snare stop for it."""
    bar = meter.bar_length
    times = [bar + before * meter.beat_length for before, _, _ in fill.hits]
    begin = min(times)
    kept = [h for h in hits if h[0] < begin - 1e-9 or h[1] not in _FILL_MAKES_WAY]
    return kept + [(t, key, loud) for t, (_, key, loud) in zip(times, fill.hits, strict=True)
                   if t >= 0]


# The voices a fill replaces: ride, bell, snare, side stick, crash, closed hat, the brushes' slap
# and swirl (the pedal hat and the kick go on under it).
_FILL_MAKES_WAY = {RIDE, RIDE_BELL, SNARE, SIDE_STICK, CRASH, CLOSED_HAT, BRUSH_SLAP, BRUSH_SWIRL}


def _one_per_key(notes: list[BandNote]) -> list[BandNote]:
    """Sorted, one stroke per key at a time (the loudest)."""
    strongest: dict[tuple[float, int], BandNote] = {}
    for note in notes:
        key = (round(note.offset, 6), note.pitch)
        if key not in strongest or note.velocity > strongest[key].velocity:
            strongest[key] = note
    return sorted(strongest.values(), key=lambda n: (n.offset, n.pitch, n.velocity))
