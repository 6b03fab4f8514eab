"""Chord tones spelled as degrees, and the scale a soloist plays over each kind of chord.

One function, `canonical_intervals`, turns any set of pitch classes above a root into the
chord's degrees (a minor second is a b9 = 13, a tritone beside a perfect fifth is a #11 = 18,
a sixth beside a seventh is a 13 = 21, ...). Typed symbols ("C13") and symbols read from files
by music21 (whose "C13" also holds the 11th) both go through it, so a chord means the same
whichever way it arrived. In particular a 13th chord with a major third never holds the
natural 11th: it clashes with the third, and players leave it out.

`chord_scale` names the chord-scale of jazz pedagogy (Levine, *The Jazz Theory Book*, 1995):
altered dominants get the half-whole diminished, altered or phrygian-dominant scales, #11
chords the lydian modes, sus chords mixolydian without the third. Avoid notes are the scale
tones a half step above a chord tone that players do not hold over that chord (the 11th over
a major or dominant chord, the b9 over a half-diminished chord, ...).
"""

from dataclasses import dataclass

B9, N9, S9, N11, S11, B13, N13 = 13, 14, 15, 17, 18, 20, 21


@dataclass(frozen=True)
class ChordScale:
    """A scale as semitones above the chord root, with its avoid notes (also semitones)."""

    name: str
    tones: tuple[int, ...]
    avoid: tuple[int, ...] = ()


IONIAN = ChordScale("ionian", (0, 2, 4, 5, 7, 9, 11), avoid=(5,))
LYDIAN = ChordScale("lydian", (0, 2, 4, 6, 7, 9, 11))
LYDIAN_AUGMENTED = ChordScale("lydian augmented", (0, 2, 4, 6, 8, 9, 11))
MIXOLYDIAN = ChordScale("mixolydian", (0, 2, 4, 5, 7, 9, 10), avoid=(5,))
MIXOLYDIAN_B13 = ChordScale("mixolydian b13", (0, 2, 4, 5, 7, 8, 10), avoid=(5,))
MIXOLYDIAN_SUS = ChordScale("mixolydian sus4", (0, 2, 5, 7, 9, 10))
LYDIAN_DOMINANT = ChordScale("lydian dominant", (0, 2, 4, 6, 7, 9, 10))
HALF_WHOLE = ChordScale("half-whole diminished", (0, 1, 3, 4, 6, 7, 9, 10))
ALTERED = ChordScale("altered", (0, 1, 3, 4, 6, 8, 10))
PHRYGIAN_DOMINANT = ChordScale("phrygian dominant", (0, 1, 4, 5, 7, 8, 10), avoid=(5,))
WHOLE_TONE = ChordScale("whole tone", (0, 2, 4, 6, 8, 10))
DORIAN = ChordScale("dorian", (0, 2, 3, 5, 7, 9, 10))
AEOLIAN = ChordScale("aeolian", (0, 2, 3, 5, 7, 8, 10), avoid=(8,))
PHRYGIAN = ChordScale("phrygian", (0, 1, 3, 5, 7, 8, 10), avoid=(1, 8))
MELODIC_MINOR = ChordScale("melodic minor", (0, 2, 3, 5, 7, 9, 11))
LOCRIAN = ChordScale("locrian", (0, 1, 3, 5, 6, 8, 10), avoid=(1,))
LOCRIAN_NATURAL_9 = ChordScale("locrian natural 9", (0, 2, 3, 5, 6, 8, 10))
WHOLE_HALF = ChordScale("whole-half diminished", (0, 2, 3, 5, 6, 8, 9, 11))


def canonical_intervals(semitones) -> tuple[int, ...]:
    """The chord's tones above its root as degrees: 0-11 for the body of the chord (root, third
    or suspension, fifth or altered fifth, sixth or seventh), 13-21 for tensions.

    Example:
    >>> canonical_intervals({0, 4, 7, 10, 2, 5, 9})   # music21's "C13" holds an 11th
    (0, 4, 7, 10, 14, 21)
    """
    t = {int(s) % 12 for s in semitones} | {0}
    major_third, third = 4 in t, 3 in t or 4 in t
    degrees = set()
    for s in t:
        if s == 1:
            degrees.add(B9)
        elif s == 2:
            degrees.add(N9 if third or 5 in t else 2)  # sus2 keeps its 2
        elif s == 3:
            degrees.add(S9 if major_third else 3)
        elif s == 5:
            degrees.add(N11 if third else 5)  # sus4 keeps its 4
        elif s == 6:
            degrees.add(S11 if 7 in t or (major_third and 8 in t) else 6)
        elif s == 8:
            degrees.add(B13 if 7 in t or 6 in t else 8)
        elif s == 9:
            degrees.add(N13 if 10 in t or 11 in t else 9)
        else:
            degrees.add(s)
    if major_third and N13 in degrees:
        degrees.discard(N11)
    if major_third and N11 in degrees and degrees & {10, 11}:
        # An eleventh chord (C11 = C E G Bb D F as music21 spells it) is played without its
        # third, which clashes with the 11th: a 9sus4 chord.
        degrees = (degrees - {4, N11}) | {5}
    return tuple(sorted(degrees))


def chord_scale(intervals) -> ChordScale:
    """The scale for a chord given by its degrees (as `canonical_intervals` writes them)."""
    d = set(canonical_intervals(intervals))
    minor_third, major_third = 3 in d, 4 in d
    sus = not minor_third and not major_third and (5 in d or 2 in d)
    if minor_third and 6 in d:
        if 9 in d or not d & {10, 11}:
            return WHOLE_HALF  # dim7, dim triad
        return LOCRIAN_NATURAL_9 if N9 in d else LOCRIAN
    if minor_third:
        if 11 in d:
            return MELODIC_MINOR
        if d & {8, B13}:
            return AEOLIAN
        if B9 in d:
            return PHRYGIAN
        return DORIAN
    sharp_eleven = bool(d & {6, S11})
    flat_thirteen = bool(d & {8, B13})
    if 10 in d:
        if sus:
            return PHRYGIAN if B9 in d else MIXOLYDIAN_SUS
        altered_ninths = d & {B9, S9}
        if altered_ninths and flat_thirteen:
            if altered_ninths == {B9} and not sharp_eleven and 7 in d:
                return PHRYGIAN_DOMINANT
            return ALTERED
        if altered_ninths:
            return HALF_WHOLE
        if flat_thirteen:
            return WHOLE_TONE if sharp_eleven or 7 not in d else MIXOLYDIAN_B13
        if sharp_eleven:
            return WHOLE_TONE if 7 not in d else LYDIAN_DOMINANT
        return MIXOLYDIAN
    if sus:
        return MIXOLYDIAN_SUS
    if 11 in d:
        if 8 in d:
            return LYDIAN_AUGMENTED
        return LYDIAN if sharp_eleven else IONIAN
    if 8 in d and 7 not in d:
        return WHOLE_TONE
    return LYDIAN if sharp_eleven else IONIAN
