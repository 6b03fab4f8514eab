"""Music for the jazz app, on music21 10: reading, chords, the course's grammar, windows.

    from datasets.music import read_piece, melody_to_values, values_to_notes
    piece = read_piece("tune.mid")            # melody part picked, chords read or inferred
    values = melody_to_values(piece)          # ["C,0.500", "S,0.250,<-1,+5>", ...]
    notes = values_to_notes(values, piece.chords, seed=0, meter=piece.meter)

    chart = parse_chart("Dm7 G7 | Cmaj7")      # bars with "|", counts with "G7:1"
    timeline = chart.timeline(parse_time_signature("3/4"), n_bars=8)
"""

from datasets.music.chart import ChordChart, parse_chart
from datasets.music.chords import Chord, parse_chord_symbol, parse_progression
from datasets.music.contour import Contour, contour
from datasets.music.corpus import default_pieces, default_sources, most_common_meter
from datasets.music.dataset import (
    N_CHORD_FEATURES,
    Windows,
    chord_vector,
    encode_piece,
    in_all_keys,
    split_windows,
)
from datasets.music.grammar import (
    melody_to_values,
    melody_values_and_onsets,
    note_type,
    parse_value,
    values_to_notes,
)
from datasets.music.meter import Meter, parse_time_signature
from datasets.music.reader import collect_sources, piece_from_score, read_piece, read_score
from datasets.music.rhythm import FINEST, detect_swing, straighten, swing_notes, swing_time
from datasets.music.score import ChordTimeline, Note, Piece
from datasets.music.vocabulary import Vocabulary

__all__ = [
    "FINEST",
    "N_CHORD_FEATURES",
    "Chord",
    "ChordChart",
    "ChordTimeline",
    "Contour",
    "Meter",
    "Note",
    "Piece",
    "Vocabulary",
    "Windows",
    "chord_vector",
    "collect_sources",
    "contour",
    "default_pieces",
    "default_sources",
    "detect_swing",
    "encode_piece",
    "in_all_keys",
    "melody_to_values",
    "melody_values_and_onsets",
    "most_common_meter",
    "note_type",
    "parse_chart",
    "parse_chord_symbol",
    "parse_progression",
    "parse_time_signature",
    "parse_value",
    "piece_from_score",
    "read_piece",
    "read_score",
    "split_windows",
    "straighten",
    "swing_notes",
    "swing_time",
    "values_to_notes",
]
