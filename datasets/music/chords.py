"""Chords as players write them, and the chord tones and scale tones they imply.

music21 reads "Bb7" as B dominant seventh (its flats are "-") and "C-7" as C-flat seventh, while
lead sheets mean B-flat seventh and C minor seventh. This parser reads the lead-sheet spelling.
"""

import re
from dataclasses import dataclass

from datasets.errors import InputError
from datasets.music.scales import ChordScale, canonical_intervals, chord_scale

NOTE_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_ACCIDENTALS = {"#": 1, "b": -1}
_NOTE = re.compile(r"([A-G])([#b]*)")
_NO_CHORD = re.compile(r"N\.?C\.?", re.IGNORECASE)

# Spellings that mean the same thing, rewritten to one form before the suffix grammar below.
# "add" is read before the quality words, so the "ma" of "madd9" is not taken for "maj".
_SYNONYMS = (
    (r"[()\s,]", ""),
    (r"6/9", "69"),
    (r"add(?=[b#+-]\d)", ""),  # music21 writes "C7 add b9" for C7b9
    (r"[°o]7", "dim7"),
    (r"°", "dim"),
    (r"ø7?", "m7b5"),
    (r"[Δ^](?!\d)", "maj7"),  # a triangle alone is a major seventh chord
    (r"min|mi(?!n)", "m"),
    (r"^-", "m"),
    (r"^\+", "aug"),
    (r"maj|Maj|MAJ|Ma(?!dd)|ma(?!dd)|M(?!a)|Δ|\^|j", "maj"),
)
_SUFFIX = re.compile(
    r"(?P<quality>mmaj|maj|m|dim|o|aug)?"
    r"(?P<extension>69|6|7|9|11|13|5|2)?"
    r"(?P<sus>sus[24]?)?"
    r"(?P<alterations>(?:[b#+-](?:5|9|11|13)|add(?:2|4|9|11|13)|alt|sus[24]?|\+)*)"
)
_ALTERATION = re.compile(r"[b#+-](?:5|9|11|13)|add(?:2|4|9|11|13)|alt|sus[24]?|\+")
_DEGREE = {"5": 7, "9": 14, "11": 17, "13": 21}
_ADDED = {"2": 2, "4": 5, "9": 14, "11": 17, "13": 21}

@dataclass(frozen=True)
class Chord:
    """A chord: its root, its tones above the root, an optional bass, and how it was written.

    Args:
        root: pitch class of the root, 0 = C.
        intervals: every chord tone above the root as a degree, sorted, starting with 0:
            semitones 0-11 for root, third (or suspension), fifth and sixth or seventh, 13-21
            for tensions (b9 = 13, 9 = 14, #9 = 15, 11 = 17, #11 = 18, b13 = 20, 13 = 21), as
            `datasets.music.scales.canonical_intervals` writes them.
        bass: pitch class of a slash bass (C/E has bass 4), or None for the root.
        figure: the symbol as written, kept for display and MIDI lyrics.

    Example:
    >>> chord = parse_chord_symbol("Bb7")
    >>> sorted(chord.pitch_classes)
    [2, 5, 8, 10]
    """

    root: int
    intervals: tuple[int, ...]
    bass: int | None = None
    figure: str = ""

    @property
    def is_no_chord(self) -> bool:
        """"N.C.": no harmony; the bass and piano rest while the drums keep time."""
        return not self.intervals

    @property
    def pitch_classes(self) -> frozenset[int]:
        tones = {(self.root + i) % 12 for i in self.intervals}
        if self.bass is not None:
            tones.add(self.bass)
        return frozenset(tones)

    @property
    def guide_classes(self) -> frozenset[int]:
        """The tones that say what the chord is: its third (or suspension) and its seventh (or
        sixth); a power chord has none but its root and fifth."""
        degrees = set(self.intervals)
        thirds = degrees & {3, 4} or degrees & {5, 2}
        sevenths = degrees & {10, 11} or degrees & {9}
        guides = thirds | sevenths or degrees
        return frozenset((self.root + d) % 12 for d in guides)

    @property
    def scale(self) -> ChordScale:
        """The scale a soloist plays over this chord (see `datasets.music.scales`)."""
        return chord_scale(self.intervals)

    @property
    def scale_classes(self) -> frozenset[int]:
        """Chord tones plus the tones of the chord's scale, avoid notes included."""
        return frozenset((self.root + i) % 12 for i in self.scale.tones) | self.pitch_classes

    @property
    def avoid_classes(self) -> frozenset[int]:
        """Scale tones not to hold over this chord (F over Cmaj7); never a chord tone."""
        return frozenset((self.root + i) % 12 for i in self.scale.avoid) - self.pitch_classes

    @property
    def is_dominant(self) -> bool:
        """A major third (or a suspension) with a minor seventh: C7, C13, C7alt, C7sus4."""
        return 10 in self.intervals and 3 not in self.intervals

    @property
    def bass_class(self) -> int:
        """The pitch class the bass plays: the slash bass, else the root."""
        return self.root if self.bass is None else self.bass

    def transposed(self, semitones: int) -> "Chord":
        """The same chord moved by some semitones, its figure respelled ("Bb7" + 2 = "C7")."""
        bass = None if self.bass is None else (self.bass + semitones) % 12

        def respell(match: re.Match) -> str:
            return match[1] + NOTE_NAMES[(note_name_to_pitch_class(match[2]) + semitones) % 12]

        figure = re.sub(r"(^|/)([A-G][#b]*)", respell, self.figure)
        return Chord((self.root + semitones) % 12, self.intervals, bass, figure)


def note_name_to_pitch_class(name: str) -> int:
    """Pitch class of a note name written with "#"/"b" (lead sheets) or "-" (music21)."""
    match = re.fullmatch(r"([A-Ga-g])([#b\-♯♭]*)", name.strip())
    if not match:
        raise InputError(f"unknown note name {name!r}")
    letter, accidentals = match.groups()
    shift = sum(1 if a in "#♯" else -1 for a in accidentals)
    return (_LETTERS[letter.upper()] + shift) % 12


def parse_chord_symbol(symbol: str) -> Chord:
    """Read one chord symbol as a player writes it: Bb7, Ebmaj7, F#m7b5, C/E, C-7, G7#9, Dø,
    CΔ, Cm(add9), C7(#9,b13), C5, C2, N.C. ...

    Raises InputError naming the symbol when it cannot be read.
    """
    text = symbol.strip().replace("♯", "#").replace("♭", "b")
    if _NO_CHORD.fullmatch(text):
        return Chord(0, (), None, "N.C.")
    match = _NOTE.match(text)
    if not match:
        raise InputError(f"unknown chord {symbol!r}: it must start with a note name A-G")
    letter, accidentals = match.groups()
    root = (_LETTERS[letter] + sum(_ACCIDENTALS[a] for a in accidentals)) % 12
    suffix, bass = text[match.end():], None
    for pattern, replacement in _SYNONYMS[:2]:
        suffix = re.sub(pattern, replacement, suffix)
    if "/" in suffix:
        suffix, _, bass_name = suffix.partition("/")
        try:
            bass = note_name_to_pitch_class(bass_name)
        except InputError:
            raise InputError(f"unknown chord {symbol!r}: bad bass note {bass_name!r}") from None
    for pattern, replacement in _SYNONYMS[2:]:
        suffix = re.sub(pattern, replacement, suffix)
    intervals = _suffix_intervals(suffix)
    if intervals is None:
        raise InputError(f"unknown chord {symbol!r}")
    return Chord(root, canonical_intervals(intervals), bass, symbol.strip())


def _suffix_intervals(suffix: str) -> tuple[int, ...] | None:
    match = _SUFFIX.fullmatch(suffix)
    if not match:
        return None
    quality = "dim" if match["quality"] == "o" else match["quality"] or ""
    extension = match["extension"] or ""
    alterations = _ALTERATION.findall(match["alterations"] or "")
    if match["sus"]:
        alterations.insert(0, match["sus"])

    third = 3 if quality in ("m", "mmaj", "dim") else 4
    fifth = {"dim": 6, "aug": 8}.get(quality, 7)
    tones = {0, third, fifth}
    if extension == "5":  # a power chord: root and fifth, no third
        if quality:
            return None
        tones = {0, 7}
    elif extension == "2":  # "C2" is written for Csus2
        if quality:
            return None
        tones = {0, 2, 7}
    elif extension in ("6", "69"):
        tones.add(9)
        if extension == "69":
            tones.add(14)
    elif extension:
        if quality == "dim":
            seventh = 9
        elif quality in ("maj", "mmaj"):
            seventh = 11
        else:
            seventh = 10
        tones.add(seventh)
        tones.update(_DEGREE[d] for d in ("9", "11", "13") if int(d) <= int(extension))
        if extension == "13" and quality != "m":
            tones.discard(17)  # the 11th clashes with the major third; players leave it out
    elif quality == "mmaj":
        tones.add(11)

    for alteration in alterations:
        if alteration == "alt":
            tones = {0, 4, 10, 13, 15, 18, 20}
        elif alteration == "+":
            tones.discard(7)
            tones.add(8)
        elif alteration.startswith("sus"):
            tones -= {3, 4}
            tones.add(2 if alteration == "sus2" else 5)
        elif alteration.startswith("add"):
            tones.add(_ADDED[alteration[3:]])
        else:
            sign, degree = (-1 if alteration[0] in "b-" else 1), alteration[1:]
            natural = _DEGREE[degree]
            tones.discard(natural)
            tones.add(natural + sign)
    return tuple(sorted(tones))


def parse_progression(text: str) -> list[Chord]:
    """The chords of a chart in the order typed: "F7 Bb7 | F7 C7" gives four chords.

    Bar lines, commas and lengths (`G7:2`) are ignored and "%" repeats the chord before it;
    `datasets.music.chart.parse_chart` reads the same text with its timing.
    """
    symbols = [s for s in re.split(r"[\s|,]+", text.strip()) if s]
    if not symbols:
        raise InputError("--chords: no chord symbols given")
    chords: list[Chord] = []
    for symbol in symbols:
        symbol = symbol.split(":", 1)[0]
        if symbol == "%":
            if not chords:
                raise InputError("--chords: '%' repeats the chord before it; there is none")
            chords.append(chords[-1])
            continue
        try:
            chords.append(parse_chord_symbol(symbol))
        except InputError as error:
            raise InputError(f"--chords: {error}") from None
    return chords


# Lead-sheet signs spelled in ASCII, as MIDI text and marker events expect (Latin-1/ASCII).
_ASCII = (("°7", "dim7"), ("°", "dim"), ("ø7", "m7b5"), ("ø", "m7b5"), ("♯", "#"), ("♭", "b"),
          ("−", "-"))


def ascii_figure(figure: str) -> str:
    """A chord symbol in ASCII for MIDI markers: "C°7" → "Cdim7", "F#ø" → "F#m7b5",
    "EbΔ" → "Ebmaj7", "EbΔ9" → "Ebmaj9"; any other non-ASCII sign becomes "?"."""
    for sign, spelling in _ASCII:
        figure = figure.replace(sign, spelling)
    figure = re.sub(r"Δ(?!\d)", "maj7", figure).replace("Δ", "maj")
    return figure.encode("ascii", "replace").decode("ascii")


def chord_from_pitch_classes(root: int, pitch_classes, bass: int | None, figure: str) -> Chord:
    """A Chord from tones given as pitch classes (chord symbols read by music21), with the same
    degrees a typed symbol gets (`canonical_intervals`)."""
    intervals = canonical_intervals((pc - root) % 12 for pc in pitch_classes)
    return Chord(root % 12, intervals, None if bass in (None, root % 12) else bass % 12, figure)
