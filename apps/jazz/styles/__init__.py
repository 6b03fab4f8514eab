"""The band's styles. A style is data: what the bass, the piano and the drums play, and the
feel, read by one band (`apps.jazz.band`).

Each file in this folder holds one `Style` named after the file (`swing.py` → "swing"), and
`--style NAME` plays it: a new style is a new file of data, with no change to the instruments.
Nothing here imports the band, so `--help` can list the styles at once.

Places in a bar are written in beats from 0, an "and" as .5 (`apps.jazz.band.parts.beat_time`
moves it to the third eighth of a beat in compound meters). Velocities are General MIDI's 1-127
before the tempo feel (`apps.jazz.band.parts.tempo_feel`) scales them.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

from datasets.errors import InputError

# General MIDI drum keys (channel 10), with the GS/GM2 brush kit's names where they differ.
KICK, SIDE_STICK, SNARE, CLOSED_HAT, PEDAL_HAT = 36, 37, 38, 42, 44
BRUSH_TAP, BRUSH_SLAP, BRUSH_SWIRL = 38, 39, 40  # on the brush kit (program 40)
LOW_TOM, MID_TOM, HIGH_TOM = 45, 47, 50
CRASH, RIDE, RIDE_BELL, STICKS = 49, 51, 53, 31
BRUSH_KIT = 40  # GS/GM2 drum-kit program (0-based) on the drum channel

# Where a drum hit falls: every beat, the strong beats (1 and 3 in 4/4), the backbeats (2 and
# 4), the "and" of every beat, or the "and" after each backbeat (the ride's skip note).
ROLES = ("beats", "strong", "backbeats", "ands", "backbeat ands")


@dataclass(frozen=True)
class Hit:
    """One voice of a groove.

    Args:
        key: the General MIDI drum key.
        velocity: before the tempo feel.
        where: a role of `ROLES`, or places in beats from the start of the groove's cycle.
        chance: the share of those places it plays (below 1: a looser, varied part).
    """

    key: int
    velocity: int
    where: str | tuple[float, ...]
    chance: float = 1.0

    def __post_init__(self):
        if isinstance(self.where, str) and self.where not in ROLES:
            raise ValueError(f"Hit.where: unknown role {self.where!r} (roles: {', '.join(ROLES)})")


@dataclass(frozen=True)
class Groove:
    """A drum pattern: `hits` over `bars` bars. Places given in beats only fit a bar of
    `beats_per_bar` beats; a groove with roles alone (`beats_per_bar` None) fits any meter."""

    hits: tuple[Hit, ...]
    bars: int = 1
    beats_per_bar: int | None = None
    weight: float = 1.0  # how often it is drawn among the style's grooves


@dataclass(frozen=True)
class Fill:
    """A figure leading into a bar line: (beats before the bar line, key, velocity) hits; the
    groove's ride and snare make way for it, a crash and the kick mark the downbeat after it."""

    hits: tuple[tuple[float, int, int], ...]


@dataclass(frozen=True)
class Kit:
    """The drums.

    Args:
        grooves: alternatives, one drawn every two bars (ride variation).
        fills: alternatives, one drawn for each fill.
        program: the kit on the drum channel (None: the standard kit; `BRUSH_KIT`).
        comping: (key, velocity, choices of hits per bar) of a left hand that comps on the
            "and"s, or None.
        bombs: a kick on the last "and" of each four-bar phrase.
        crash: the cymbal that marks the top of a chorus and the ending.
        count_in: the key a count-in bar plays on each beat.
    """

    grooves: tuple[Groove, ...]
    fills: tuple[Fill, ...] = ()
    program: int | None = None
    comping: tuple[int, int, tuple[int, ...]] | None = None
    bombs: bool = False
    crash: int = CRASH
    count_in: int = STICKS


@dataclass(frozen=True)
class BassLine:
    """The bass: a walking line (a note every beat, `apps.jazz.band.bass.walking_bass`), or a
    pattern of (beat, "root" | "fifth", length in beats) hits over a cell of `cell_beats`
    beats, started again on every bar line and every chord change."""

    walk: bool = False
    hits: tuple[tuple[float, str, float], ...] = ()
    cell_beats: int = 4
    velocity: int = 84
    program: int = 32  # acoustic bass


@dataclass(frozen=True)
class Comping:
    """The piano: figures of (beat, length in beats) for one bar, by beats per bar, one drawn
    per bar (the first bar plays the first); meters without figures strike each beat's "and"
    after beat 1. A hit on the "and" just before a change plays the next chord (a push)."""

    figures: dict[int, tuple[tuple[tuple[float, float], ...], ...]] = field(default_factory=dict)
    velocity: int = 62
    program: int = 0  # acoustic grand


@dataclass(frozen=True)
class Style:
    """One style of accompaniment and feel.

    Args:
        name: what `--style` calls it (the file's name).
        summary: one line for `--help`.
        bass, piano, drums: what each instrument plays.
        straight: eighths are played straight whatever `--swing` says (bossa nova).
        tempo: quarter notes per minute when `--tempo` is not given (None: the model's).
        solo_program: the General MIDI program of the solo (66: tenor sax).
    """

    name: str
    summary: str
    bass: BassLine
    piano: Comping
    drums: Kit
    straight: bool = False
    tempo: float | None = None
    solo_program: int = 66


def style_names() -> list[str]:
    """The styles in `apps/jazz/styles/`, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.ispkg)


def load_style(name: str) -> Style:
    """The `Style` of `apps/jazz/styles/<name>.py`.

    Raises:
        InputError: no such style (the message lists those there are).
    """
    names = style_names()
    if name not in names:
        raise InputError(f"--style: unknown style {name!r} (choose from {', '.join(names)})")
    style = importlib.import_module(f"apps.jazz.styles.{name}").STYLE
    if not isinstance(style, Style) or style.name != name:
        raise InputError(f"apps/jazz/styles/{name}.py: STYLE must be a Style named {name!r}")
    return style
