"""The course's "Dinosaurus Island" data: genus names, one per line.

The embedded list, `data/dinosaurs.txt`, holds real dinosaur genera compiled for this project
from the scientific record. Any other file with one name per line reads the same way.
"""

from pathlib import Path

from datasets.text import read_lines

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "dinosaurs.txt"


def load_names(path=None) -> list[str]:
    """Lower-cased, distinct names in file order; the embedded list when `path` is None.

    Raises:
        InputError: the file is missing, empty or not UTF-8.
    """
    names = (name.lower() for name in read_lines(DEFAULT_PATH if path is None else path))
    return list(dict.fromkeys(names))
