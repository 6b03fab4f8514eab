"""The embedded default corpus, which installs with the project and needs no network.

Lines composed for this project and nothing else: the ABC files in datasets/data/jazz/ (blues
in phrases with breaths, ii-V-I lines over altered dominants, a 3/4 jazz waltz, a minor blues
written as it is swung) and the seeded choruses of `composer.py`.

`EXTRA_MUSIC21_PIECES` names the public-domain pieces that ship inside music21's own corpus
(referenced by corpus path, never copied) and are left out of the default: Scott Joplin's
"Maple Leaf Rag" (1899, 2/4), Stephen Foster's "Jeanie with the Light Brown Hair" (1854; the
encoding is marked "Public Domain") and J. Rosamond Johnson's "Lift Every Voice and Sing"
(1900, 6/8; its encoding is CC0). A values-only model trained with the rag copies its 16th
runs and zig-zags (41% 16ths and 54% direction changes over a blues, against 6% and 32% in the
4/4 jazz lines); the song and the hymn are not jazz lines either. `default_pieces(extra=True)`
adds them to the corpus; `python -m apps.jazz train --midi datasets/data/jazz
music21:joplin/maple_leaf_rag` trains on the ABC lines and the rag. See
datasets/data/jazz/README.md.
"""

from collections import Counter
from pathlib import Path

from datasets.music.composer import composed_pieces
from datasets.music.meter import Meter
from datasets.music.reader import read_piece
from datasets.music.score import Piece

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "jazz"
EXTRA_MUSIC21_PIECES = (
    "music21:joplin/maple_leaf_rag",
    "music21:leadSheet/fosterBrownHair",
    "music21:johnson_j_r/lift_every_voice",
)


def default_sources(extra: bool = False) -> list[str]:
    """The corpus' ABC files, in a fixed order; `extra` adds EXTRA_MUSIC21_PIECES after them."""
    sources = [str(p) for p in sorted(DATA_DIR.glob("*.abc"))]
    return sources + list(EXTRA_MUSIC21_PIECES) if extra else sources


def default_pieces(extra: bool = False) -> list[Piece]:
    """Every piece of the embedded corpus, in a fixed order: files first, then composed lines."""
    return [read_piece(source) for source in default_sources(extra)] + composed_pieces()


def most_common_meter(pieces: list[Piece]) -> Meter:
    """The time signature that holds the most music (quarter notes of melody) in `pieces`;
    ties go to the one met first."""
    weight: Counter = Counter()
    for piece in pieces:
        weight[piece.meter] += piece.melody[-1].end if piece.melody else 0.0
    if not weight:
        return Meter(4, 4)
    return max(weight, key=lambda meter: weight[meter])
