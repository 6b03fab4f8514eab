"""Lists of names for the character model, one name per line: two built in, or any file.

Built-in lists (`builtin_lists()`), chosen by name:

- "dinosaurs" (the default): the course's "Dinosaurus Island" data, `data/dinosaurs.txt`, real
  dinosaur genera compiled for this project from the scientific record.
- "names": `data/names.txt`, 32,033 US baby names (the most common of 2018, lower-case; 29,494
  distinct), from the US Social Security Administration's public-domain name data, as
  collected in Andrej Karpathy's makemore (github.com/karpathy/makemore), where it is the
  usual benchmark for character-level name models.

Any other file with one name per line reads the same way.
"""

from pathlib import Path

from datasets.errors import InputError
from datasets.text import read_lines

DATA = Path(__file__).resolve().parent / "data"
BUILTIN = {"dinosaurs": DATA / "dinosaurs.txt", "names": DATA / "names.txt"}
DEFAULT_LIST = "dinosaurs"
DEFAULT_PATH = BUILTIN[DEFAULT_LIST]


def builtin_lists() -> dict[str, Path]:
    """The built-in lists' names and files, the default first."""
    return dict(BUILTIN)


def names_path(source=None) -> Path:
    """The file a names source stands for: None is the default list, a string that is a
    built-in list's name is that list, anything else is a path.

    A file whose path is a bare built-in name ("names" in the working folder) is read as
    "./names".

    Raises:
        InputError: `source` is neither a built-in list nor an existing file.
    """
    if source is None:
        return DEFAULT_PATH
    if isinstance(source, str) and source in BUILTIN:
        return BUILTIN[source]
    path = Path(source)
    if not path.exists():
        known = ", ".join(BUILTIN)
        raise InputError(f"{path}: no such file, and not a built-in list ({known})")
    return path


def load_names(source=None, distinct=True) -> list[str]:
    """Lower-cased names in file order, from a built-in list or a file (see `names_path`);
    the default list when `source` is None.

    Args:
        source: None, a built-in list's name ("dinosaurs", "names") or a path.
        distinct: keep only the first of repeated names. makemore trains on "names" with its
            repeats (32,033 names); distinct, there are 29,494.

    Raises:
        InputError: the source is unknown, or the file is empty or not UTF-8.
    """
    names = [name.lower() for name in read_lines(names_path(source))]
    return list(dict.fromkeys(names)) if distinct else names
