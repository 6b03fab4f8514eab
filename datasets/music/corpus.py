"""The embedded default corpus, which installs with the project and needs no network.

- lines composed for this project: ABC files in datasets/data/jazz/ and the seeded choruses
  of `composer.py`;
- two public-domain pieces that ship inside music21's own corpus, referenced by corpus path
  and never copied: Scott Joplin's "Maple Leaf Rag" (1899) and Stephen Foster's "Jeanie with
  the Light Brown Hair" (1854; the encoding is marked "Public Domain").
"""

from pathlib import Path

from datasets.music.composer import composed_pieces
from datasets.music.reader import read_piece
from datasets.music.score import Piece

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "jazz"
MUSIC21_PIECES = ("music21:joplin/maple_leaf_rag", "music21:leadSheet/fosterBrownHair")


def default_sources() -> list[str]:
    return [str(p) for p in sorted(DATA_DIR.glob("*.abc"))] + list(MUSIC21_PIECES)


def default_pieces() -> list[Piece]:
    """Every piece of the embedded corpus, in a fixed order: files first, then composed lines."""
    return [read_piece(source) for source in default_sources()] + composed_pieces()
