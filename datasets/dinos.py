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
from datasets.text import read_text

DATA = Path(__file__).resolve().parent / "data"
BUILTIN = {"dinosaurs": DATA / "dinosaurs.txt", "names": DATA / "names.txt"}
DEFAULT_LIST = "dinosaurs"
DEFAULT_PATH = BUILTIN[DEFAULT_LIST]
MAX_NAME_LENGTH = 1000  # characters; a longer line is not a name (and would pad every batch)


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
        InputError: the source is unknown, or the file is empty, not UTF-8, too large, or has
            a line longer than MAX_NAME_LENGTH characters.
    """
    path = names_path(source)
    names = []
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        name = line.strip().lower()
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(
                f"{path}, line {number}: {len(name):,} characters; a name is at most "
                f"{MAX_NAME_LENGTH:,} (is it one name per line?)"
            )
        if name:
            names.append(name)
    return list(dict.fromkeys(names)) if distinct else names
