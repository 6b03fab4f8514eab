"""Bossa nova: straight eighths, the bass on 1 and the "and" of 2, rim-click clave, hi-hat
eighths."""

from apps.jazz.styles import (
    CLOSED_HAT,
    KICK,
    SIDE_STICK,
    STICKS,
    BassLine,
    Comping,
    Fill,
    Groove,
    Hit,
    Kit,
    Style,
)

_HATS = (Hit(CLOSED_HAT, 60, "beats"), Hit(CLOSED_HAT, 46, "ands"))

STYLE = Style(
    name="bossa",
    summary="bossa nova: straight eighths, bass on 1 and the and of 2, rim-click clave",
    straight=True,
    tempo=132.0,
    bass=BassLine(hits=((0, "root", 1.5), (1.5, "fifth", 0.5)), cell_beats=2, velocity=80),
    piano=Comping(
        figures={
            4: (
                ((0, 0.5), (1.5, 0.5), (3, 1.0)),
                ((0.5, 0.5), (2, 0.5), (3.5, 0.5)),
                ((0, 1.0), (1.5, 1.0), (3.5, 0.5)),
            ),
            2: (((0, 0.5), (1.5, 0.5)), ((0.5, 0.5), (1, 0.5))),
        },
        velocity=56,
    ),
    drums=Kit(
        grooves=(
            # The bossa clave on the rim over two bars (3 then 2), the kick with the bass.
            Groove(
                (*_HATS, Hit(SIDE_STICK, 70, (0, 1.5, 3, 5, 6.5)),
                 Hit(KICK, 58, (0, 1.5, 2, 3.5, 4, 5.5, 6, 7.5))),
                bars=2, beats_per_bar=4,
            ),
            # Any other meter: the rim on the backbeats, the kick on the strong beats.
            Groove((*_HATS, Hit(SIDE_STICK, 66, "backbeats"), Hit(KICK, 58, "strong")),
                   weight=0.0),
        ),
        fills=(Fill(((-1.0, SIDE_STICK, 70), (-0.5, SIDE_STICK, 76))),),
        count_in=STICKS,
    ),
)
