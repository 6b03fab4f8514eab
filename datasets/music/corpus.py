"""The embedded default corpus, which installs with the project and needs no network.

- lines composed for this project: ABC files in datasets/data/jazz/ (blues, ii-V-I lines over
  altered dominants, a 3/4 jazz waltz, a minor blues written as it is swung) and the seeded
  choruses of `composer.py`;
- two public-domain pieces that ship inside music21's own corpus, referenced by corpus path
  and never copied: Scott Joplin's "Maple Leaf Rag" (1899) and Stephen Foster's "Jeanie with
  the Light Brown Hair" (1854; the encoding is marked "Public Domain").

`EXTRA_MUSIC21_PIECES` names one more public-domain piece music21 ships that is near jazz,
J. Rosamond Johnson's "Lift Every Voice and Sing" (1900, in 6/8; its encoding is CC0), left
out of the default corpus: it is a hymn, not a jazz line. See datasets/data/jazz/README.md.
"""

from collections import Counter
from pathlib import Path

from datasets.music.composer import composed_pieces
from datasets.music.meter import Meter
from datasets.music.reader import read_piece
from datasets.music.score import Piece

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "jazz"
MUSIC21_PIECES = ("music21:joplin/maple_leaf_rag", "music21:leadSheet/fosterBrownHair")
EXTRA_MUSIC21_PIECES = ("music21:johnson_j_r/lift_every_voice",)


def default_sources(extra: bool = False) -> list[str]:
    """The corpus files and music21 corpus paths, in a fixed order; `extra` adds
    EXTRA_MUSIC21_PIECES."""
    sources = [str(p) for p in sorted(DATA_DIR.glob("*.abc"))] + list(MUSIC21_PIECES)
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
