"""MusicXML, ABC and music21-corpus pieces, read through music21 streams (v10: `.flatten()`)."""

import contextlib
import re
from pathlib import Path

from music21 import converter, corpus, harmony, meter, note, percussion, stream, tempo

from datasets.errors import InputError
from datasets.music.chords import chord_from_pitch_classes, parse_chord_symbol
from datasets.music.meter import Meter
from datasets.music.score import Note, Part, Score

CORPUS_PREFIX = "music21:"


def parse_file(path: str | Path, failure: str = "{}: cannot be read as music"):
    """music21's parse of a file (or "music21:<corpus path>", its bundled corpus), the first
    score of a file that holds several.

    Without music21's pickle cache: by default music21 reads and writes pickles at a
    predictable path under the shared temp folder, and loading a pickle someone planted there
    runs their code. `forceSource=True` neither reads nor writes one.

    Raises:
        InputError: music21 cannot read it; `failure` with the path for {} starts the message.
    """
    name = str(path)
    try:
        if name.startswith(CORPUS_PREFIX):
            parsed = corpus.parse(name[len(CORPUS_PREFIX):], forceSource=True)
        else:
            parsed = converter.parse(name, forceSource=True)
    # music21 raises a different exception type for each format and failure; all of them mean
    # the user's file cannot be read, which is one line, not a traceback.
    except Exception as error:  # noqa: BLE001
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{failure.format(name)} ({reason})") from None
    if isinstance(parsed, stream.Opus):
        parsed = parsed.scores[0] if parsed.scores else stream.Score()
    return parsed


def quarter_bpm(parsed) -> float | None:
    """The first metronome mark of a parsed score, in quarter notes per minute (None: none)."""
    marks = parsed.flatten().getElementsByClass(tempo.MetronomeMark)
    return marks[0].getQuarterBPM() if marks else None


def read_music21(source: str | Path) -> Score:
    """Read a file music21 understands, or "music21:<corpus path>" for its bundled corpus."""
    name = str(source)
    parsed = parse_file(source).stripTies()
    part_streams = list(parsed.parts) if parsed.parts else [parsed]

    parts, chord_symbols = [], []
    for index, part in enumerate(part_streams):
        flat = part.flatten()
        notes, drums = [], False
        for element in flat.notes:
            if isinstance(element, harmony.ChordSymbol) or element.quarterLength <= 0:
                continue
            if isinstance(element, note.Unpitched | percussion.PercussionChord):
                drums = True
                continue
            offset, duration = float(element.offset), float(element.quarterLength)
            notes.extend(Note(offset, duration, p.midi) for p in element.pitches)
        for symbol in flat.getElementsByClass(harmony.ChordSymbol):
            if isinstance(symbol, harmony.NoChord):
                continue
            chord = chord_of_symbol(symbol)
            if chord is not None:
                chord_symbols.append((float(symbol.offset), chord))
        if notes:
            name_ = part.partName or f"part {index}"
            parts.append(Part(name_, sorted(notes, key=lambda n: (n.offset, n.pitch)), drums))

    first = part_streams[0]
    signatures = first.flatten().getElementsByClass(meter.TimeSignature)
    time_signature = Meter(4, 4)
    if signatures:
        with contextlib.suppress(ValueError):  # an odd signature (5/3) reads as 4/4
            time_signature = Meter(signatures[0].numerator, signatures[0].denominator)
    bar_length = time_signature.bar_length
    measures = list(first.getElementsByClass(stream.Measure))
    bar_phase = float(measures[1].offset) % bar_length if len(measures) > 1 else 0.0
    bpm = quarter_bpm(parsed)
    return Score(
        name,
        parts,
        sorted(chord_symbols, key=lambda change: change[0]),
        bar_length=bar_length,
        bar_phase=bar_phase,
        tempo=float(bpm) if bpm else 120.0,
        meter=time_signature,
    )


def chord_of_symbol(symbol: harmony.ChordSymbol):
    """The chord a music21 chord symbol names, read from its figure as a lead sheet means it
    (so that "C13" means what a typed "C13" does), else from the pitches music21 gives it; None
    for a symbol with neither. "N.C." is the no-chord."""
    if isinstance(symbol, harmony.NoChord):
        return parse_chord_symbol("N.C.")
    figure = symbol_figure(symbol)
    try:
        return parse_chord_symbol(figure)
    except InputError:
        pass
    if not symbol.pitches:
        return None
    bass = symbol.bass()
    return chord_from_pitch_classes(
        symbol.root().pitchClass,
        [p.pitchClass for p in symbol.pitches],
        bass.pitchClass if bass is not None else None,
        figure,
    )


def symbol_figure(symbol: harmony.ChordSymbol) -> str:
    """The symbol as a lead sheet prints it: the root with "b" for flats, the kind as the file
    displays it (MusicXML's `kind text`: "m7b5", "dim7", ...), alterations, then a slash bass.
    Symbols without a displayed kind keep music21's figure, respelled."""
    text = symbol.chordKindStr
    if not text and symbol.chordKind != "major":
        return _lead_sheet_spelling(symbol.figure)
    root = symbol.root()
    figure = _lead_sheet_spelling(root.name) + (text or "")
    for step in symbol.getChordStepModifications():
        semitones = step.interval.semitones if step.interval is not None else 0
        sign = {-1: "b", 1: "#"}.get(semitones, "")
        if step.modType == "add":
            figure += f"{sign}{step.degree}" if sign else f"add{step.degree}"
        elif step.modType == "alter":
            figure += f"{sign}{step.degree}"
    bass = symbol.bass()
    if bass is not None and bass.name != root.name:
        figure += "/" + _lead_sheet_spelling(bass.name)
    return figure


def _lead_sheet_spelling(figure: str) -> str:
    """music21 writes B-flat as "B-"; lead sheets (and parse_chord_symbol) write "Bb"."""
    return re.sub(r"(^|/)([A-G])(-+)", lambda m: m[1] + m[2] + "b" * len(m[3]), figure)
