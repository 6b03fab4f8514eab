import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.errors import InputError
from datasets.music import Vocabulary

ROOT = Path(__file__).resolve().parents[2]
PRINT_VOCABULARY = (
    "import json; from datasets.music import Vocabulary, default_pieces, melody_to_values; "
    "print(json.dumps(Vocabulary(v for p in default_pieces() for v in melody_to_values(p))"
    ".to_json()))"
)


def vocabulary_in_new_process(hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_VOCABULARY],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120,
    )
    return json.loads(result.stdout)


def test_vocabulary_is_identical_across_processes_with_different_hash_seeds():
    first = vocabulary_in_new_process("1")
    second = vocabulary_in_new_process("12345")
    assert first == second
    assert first == sorted(first)
    assert len(first) > 20


def test_vocabulary_is_sorted_and_unique():
    vocab = Vocabulary(["S,0.500", "C,0.250", "S,0.500", "R,1.000"])
    assert vocab.values == ("C,0.250", "R,1.000", "S,0.500")
    assert vocab.decode(vocab.encode(["S,0.500", "C,0.250"])) == ["S,0.500", "C,0.250"]


@pytest.mark.parametrize("data", [[], {"a": 1}, ["C,0.250", "nonsense"]])
def test_a_broken_vocabulary_file_is_an_input_error(data):
    with pytest.raises(InputError, match="vocabulary.json"):
        Vocabulary.from_json(data, "vocabulary.json")
