"""The default named-entity corpus: Wikipedia articles, tweets of several kinds and sentences the
team wrote, tagged PER, LOC and ORG.

Three sources, each read from what the project ships (every file has a known source and licence,
see `data/README.md`) and mapped to one label set:

| source | what | sentences | tokens | file (scheme) |
| --- | --- | --- | --- | --- |
| `wikigold` | 145 Wikipedia articles | 1,696 | 39,007 | `data/ner/wikigold.conll` (IOB1) |
| `btc` | Broad Twitter Corpus, six samples | 9,338 | 150,381 | `data/ner/btc/*.conll` (IOB2) |
| `team` | written by the team | 152 | 1,652 | `data/ner/team_sentences.conll` (IOB2) |

wikigold: PER, LOC and ORG kept, MISC → O. BTC and the team's sentences: PER, LOC and ORG, kept.

Why: the Broad Twitter Corpus, the largest source, annotates PER, LOC and ORG only, so the union
can only be trained on those three; MISC in wikigold is what the others leave untagged, so it
becomes O, as in BTC. The team's sentences add what the two others have little of: companies,
charities and sports teams as ORG (a team named after its town included), people named beside
the companies they run, names from many languages, and titles ("Mr", "Captain") outside the
name, as CoNLL-2003 writes them. None of their names is a name of the evaluation file
`benchmarks/data/our_sentences.conll`.

Every sentence is returned in IOB2 with its source, file and first line. `split_ner` splits each
source 80/10/10 by a seed, so every split holds every source and scores can be reported per
source; wikigold is split by article (so that no article has sentences on both sides of a split),
the tweets and the team's sentences one by one. `vary_casing` lower-cases, upper-cases or
title-cases a share of sentences, for training a tagger that still finds names in a headline or
a lower-case chat line.

The Broad Twitter Corpus has a few tokens that are blank or hold a space (all tagged O): blank ones
are skipped (one tweet of `h.conll` holds nothing else and is skipped whole), and of a token with
a space inside only the part before it is kept, as for any CoNLL file.
"""

import bisect
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from datasets.conll import parse_conll, read_conll
from datasets.errors import InputError
from datasets.schemes import chunks, from_chunks
from datasets.text import read_utf8

DATA = Path(__file__).resolve().parent / "data" / "ner"
LABELS = ("PER", "LOC", "ORG")
SOURCES = ("wikigold", "btc", "team")
TEAM_FILE = "team_sentences.conll"
BTC_SAMPLES = ("a", "b", "e", "f", "g", "h")

WIKIGOLD_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": None}
BTC_TYPES = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}
TEAM_TYPES = BTC_TYPES


class Splits(NamedTuple):
    train: list
    dev: list
    test: list


class NerSentence(NamedTuple):
    """A sentence of the default corpus: IOB2 tags over PER, LOC and ORG, and where it is from
    (`source` one of SOURCES, `file` relative to its source's folder, `line` 1-based)."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    source: str
    file: str
    line: int


def load_ner(sources: Sequence[str] = SOURCES) -> list[NerSentence]:
    """Every sentence of `sources`, in source then file order, mapped to PER, LOC and ORG."""
    return [sentence for group in _groups(sources) for sentence in group]


def split_ner(
    seed: int = 0, fractions: tuple[float, float] = (0.8, 0.1), sources: Sequence[str] = SOURCES
) -> Splits:
    """Train, dev and test lists: within each source, the units (wikigold articles, single
    tweets) shuffled by `seed` and dealt in that order, a unit to train while train holds fewer
    than `fractions[0]` of the source's sentences, then to dev up to `fractions[1]` more, the
    rest to test. The same seed always gives the same split."""
    if not (fractions[0] > 0 and fractions[1] > 0 and sum(fractions) < 1):
        raise InputError(f"split fractions must be positive and sum below 1, got {fractions}")
    train, dev, test = [], [], []
    for source in _check(sources):
        units = _groups([source])
        random.Random(seed).shuffle(units)
        total = sum(len(unit) for unit in units)
        n_train = round(fractions[0] * total)
        n_dev = round(fractions[1] * total)
        dealt = 0
        for unit in units:
            part = train if dealt < n_train else dev if dealt < n_train + n_dev else test
            part.extend(unit)
            dealt += len(unit)
    return Splits(train, dev, test)


def _lower(token):
    return token.lower()


def _upper(token):
    return token.upper()


def _title(token):
    return token[:1].upper() + token[1:].lower()


CASINGS = {"lower": _lower, "upper": _upper, "title": _title}


def recase(sentence, case):
    """`sentence` (any NamedTuple with `tokens`) with `case`, one of `CASINGS`, on every token."""
    return sentence._replace(tokens=tuple(case(token) for token in sentence.tokens))


def vary_casing(sentences: Sequence, share: float, seed: int) -> list:
    """A copy of `sentences` in which round(share · len) of them, chosen by `seed`, have every
    token lower-cased, UPPER-CASED or Title-Cased (one of the three, drawn by `seed`); tags and
    the other sentences are unchanged. Works on any NamedTuple with `tokens`."""
    if not 0.0 <= share <= 1.0:
        raise InputError(f"the share of sentences to recase must be in [0, 1], got {share}")
    rng = random.Random(seed)
    varied = list(sentences)
    for i in sorted(rng.sample(range(len(varied)), round(share * len(varied)))):
        case = CASINGS[rng.choice(sorted(CASINGS))]
        varied[i] = recase(varied[i], case)
    return varied


def _check(sources: Iterable[str]) -> list[str]:
    sources = list(sources)
    for source in sources:
        if source not in SOURCES:
            raise InputError(f"unknown corpus {source!r}; expected one of {', '.join(SOURCES)}")
    if not sources:
        raise InputError("no corpus chosen; expected one or more of " + ", ".join(SOURCES))
    return sources


def _groups(sources: Sequence[str]) -> list[list[NerSentence]]:
    """The units a split keeps together: wikigold's articles, else single sentences."""
    groups = []
    for source in _check(sources):
        if source == "wikigold":
            groups.extend(_wikigold())
        elif source == "btc":
            groups.extend([sentence] for name in BTC_SAMPLES for sentence in _btc(name))
        else:
            groups.extend([sentence] for sentence in _team())
    return groups


def _relabel(tokens, tags, types, source, file, line):
    """The sentence with its chunks' types mapped by `types` (None: the chunk becomes O), in
    IOB2."""
    mapped = []
    for type_, start, end in chunks(tags):
        if type_ not in types:
            raise InputError(f"{file}, line {line}: entity type {type_!r} has no mapping")
        if types[type_] is not None:
            mapped.append((types[type_], start, end))
    tags = tuple(from_chunks(mapped, len(tokens), "iob2"))
    return NerSentence(tuple(tokens), tags, source, file, line)


def _wikigold() -> list[list[NerSentence]]:
    path = DATA / "wikigold.conll"
    lines = read_utf8(path, kind="a CoNLL file").split("\n")
    starts = [n for n, line in enumerate(lines, start=1) if line.startswith("-DOCSTART-")]
    articles = [[] for _ in range(len(starts) + 1)]
    for sentence in read_conll(path):
        unit = _relabel(*sentence[:2], WIKIGOLD_TYPES, "wikigold", path.name, sentence.line)
        articles[bisect.bisect(starts, sentence.line)].append(unit)
    return [article for article in articles if article]


def _btc(sample: str) -> list[NerSentence]:
    path = DATA / "btc" / f"{sample}.conll"
    kept, numbers = [], []
    for number, line in enumerate(read_utf8(path, kind="a CoNLL file").split("\n"), start=1):
        token, tab, _ = line.partition("\t")
        if tab and not token.strip():
            continue
        kept.append(line)
        numbers.append(number)
    sentences = parse_conll(kept, str(path))
    if not sentences:
        raise InputError(f"{path}: holds no tagged sentences")
    file = f"btc/{path.name}"
    return [
        _relabel(s.tokens, s.tags, BTC_TYPES, "btc", file, numbers[s.line - 1]) for s in sentences
    ]


def _team() -> list[NerSentence]:
    path = DATA / TEAM_FILE
    return [
        _relabel(s.tokens, s.tags, TEAM_TYPES, "team", path.name, s.line) for s in read_conll(path)
    ]
