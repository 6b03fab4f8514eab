"""Medium swing: a walking bass, comping in short figures, the ride's "spang-a-lang"."""

from apps.jazz.styles import (
    CLOSED_HAT,
    HIGH_TOM,
    KICK,
    LOW_TOM,
    MID_TOM,
    PEDAL_HAT,
    RIDE,
    SNARE,
    BassLine,
    Comping,
    Fill,
    Groove,
    Hit,
    Kit,
    Style,
)

_RIDE = Hit(RIDE, 76, "strong")
_RIDE_ACCENT = Hit(RIDE, 86, "backbeats")
_SKIP = Hit(RIDE, 60, "backbeat ands")
_HAT = Hit(PEDAL_HAT, 72, "backbeats")

STYLE = Style(
    name="swing",
    summary="medium swing: walking bass, comping, ride and hi-hat on 2 and 4",
    bass=BassLine(walk=True, velocity=84),
    piano=Comping(
        figures={
            4: (
                ((0, 1.0), (1.5, 0.5)),  # the Charleston
                ((1.5, 0.5), (3.5, 0.5)),  # pushes: the last anticipates the next bar
                ((1, 0.5), (3, 0.5)),
                ((0, 1.5), (2.5, 0.5)),
                ((0.5, 1.0), (2, 0.5), (3.5, 0.5)),
            ),
            3: (
                ((0, 1.0), (1.5, 0.5)),
                ((1, 0.5), (2, 0.5)),
                ((0, 0.5), (1.5, 1.0)),
                ((0, 1.0), (2.5, 0.5)),
            ),
            2: (((0, 1.0),), ((0, 0.5), (1.5, 0.5)), ((0.5, 0.5), (1.5, 0.5))),
        },
        velocity=62,
    ),
    drums=Kit(
        grooves=(
            Groove((_RIDE, _RIDE_ACCENT, _SKIP, _HAT), weight=3.0),
            # The ride skips into beat 1 and 3 as well, now and then.
            Groove((_RIDE, _RIDE_ACCENT, _SKIP, _HAT, Hit(RIDE, 54, "ands", chance=0.3))),
            # Quarter notes on the ride, the skip note only before beat 1.
            Groove((_RIDE, _RIDE_ACCENT, Hit(RIDE, 60, (3.5,)), _HAT), beats_per_bar=4),
        ),
        fills=(
            Fill(((-1.0, SNARE, 72), (-2 / 3, SNARE, 60), (-1 / 3, LOW_TOM, 80))),
            Fill(((-2.0, SNARE, 70), (-1.5, SNARE, 58), (-1.0, HIGH_TOM, 74), (-0.5, MID_TOM, 76))),
            Fill(((-0.5, SNARE, 88), (-0.5, KICK, 80))),  # a setup on the last "and"
            Fill(((-1.0, SNARE, 66), (-0.75, SNARE, 56), (-0.5, HIGH_TOM, 74),
                  (-0.25, LOW_TOM, 78))),
        ),
        comping=(SNARE, 42, (0, 1, 1, 2)),
        bombs=True,
        count_in=CLOSED_HAT,
    ),
)
