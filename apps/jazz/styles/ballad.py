"""A ballad: slow, brushes, the bass in two (roots and fifths on 1 and 3), sparse comping."""

from apps.jazz.styles import (
    BRUSH_KIT,
    BRUSH_SLAP,
    BRUSH_SWIRL,
    BRUSH_TAP,
    PEDAL_HAT,
    RIDE,
    STICKS,
    BassLine,
    Comping,
    Fill,
    Groove,
    Hit,
    Kit,
    Style,
)

_SWEEP = Hit(BRUSH_SWIRL, 38, "beats")  # the left brush sweeps the head all the time
_TAP = Hit(BRUSH_TAP, 46, "backbeats")
_HAT = Hit(PEDAL_HAT, 48, "backbeats")

STYLE = Style(
    name="ballad",
    summary="ballad: slow, brushes, bass in two (roots and fifths on 1 and 3), sparse comping",
    tempo=66.0,
    bass=BassLine(hits=((0, "root", 2.0), (2, "fifth", 2.0)), cell_beats=4, velocity=76),
    piano=Comping(
        figures={
            4: (((0, 4.0),), ((0, 2.0), (2, 2.0)), ((0, 3.0),), ((0, 1.5), (2.5, 1.5))),
            3: (((0, 3.0),), ((0, 2.0),), ((0, 1.0), (1.5, 1.5))),
            2: (((0, 2.0),), ((0, 1.0), (1, 1.0))),
        },
        velocity=50,
    ),
    drums=Kit(
        grooves=(
            Groove((_SWEEP, _TAP, _HAT), weight=3.0),
            Groove((_SWEEP, _TAP, _HAT, Hit(BRUSH_TAP, 34, "backbeat ands", chance=0.5))),
            Groove((_SWEEP, _HAT, Hit(RIDE, 40, "beats"))),
        ),
        fills=(
            Fill(((-1.0, BRUSH_TAP, 52), (-0.5, BRUSH_SLAP, 58))),
            Fill(((-2 / 3, BRUSH_TAP, 46), (-1 / 3, BRUSH_TAP, 54))),
        ),
        program=BRUSH_KIT,
        count_in=STICKS,
    ),
)
