"""No code is loaded from a cache or a file that could run it.

What the apps read besides their inputs, and why none of it can run code:
- model folders: `.keras` in safe mode, weights as HDF5, JSON, text, a SavedModel (graph ops,
  no Python), each file checked against the manifest (tests/reliability/test_model_folder.py);
- checkpoints: HDF5 weights, JSON, and seed states read by NumPy with allow_pickle=False;
- the GloVe package's vectors: a .npy read with allow_pickle=False, and a Parquet word list;
- Keras' ~/.keras/keras.json: its backend is overridden (the apps force TensorFlow);
- TensorFlow's tf.data caches live in memory (no cache file); AutoGraph's generated modules are
  fresh private temporary files, never reused;
- matplotlib (the jazz piano roll) is set to the Agg backend in code, so no matplotlibrc can
  name a backend module to import;
- music21's pickle cache is the jazz reader's (tests/apps/jazz, issue #20 item 3).
"""

import re
from pathlib import Path

import numpy as np
import pytest

from datasets.errors import InputError
from tests.reliability.helpers import (
    ROOT,
    Planted,
    app_command,
    assert_quiet_success,
    environment,
    run,
)

# Calls that load code, or let a file decide to.
CODE_LOADERS = re.compile(
    r"\bimport pickle\b|\bpickle\.loads?\(|\bcPickle\b|allow_pickle\s*=\s*True|"
    r"\bmarshal\.loads?\(|\bimport shelve\b|\bdill\b|\bjoblib\.load\(|\btorch\.load\(|"
    r"safe_mode\s*=\s*False|enable_unsafe_deserialization|\beval\(|\bexec\(|shell\s*=\s*True"
)
SOURCES = ("apps", "layers", "datasets", "benchmarks")


def test_no_source_file_loads_code_from_data():
    found = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if CODE_LOADERS.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_a_pickle_planted_as_the_glove_vectors_is_refused_and_never_run(tmp_path, monkeypatch):
    pytest.importorskip("pyarrow")
    import datasets.glove as glove

    marker = tmp_path / "code-ran"
    vectors = tmp_path / "glove_6B_50d_emb.npy"
    np.save(vectors, np.array([Planted(str(marker))], dtype=object), allow_pickle=True)
    words = tmp_path / "glove_6B_index.parquet"
    import pyarrow as pa
    import pyarrow.parquet as parquet

    parquet.write_table(pa.table({"index": ["the"]}), words)
    monkeypatch.setattr(glove, "glove_files", lambda: (vectors, words))
    with pytest.raises(InputError, match="cannot read the GloVe files"):
        glove.load_glove()
    assert not marker.exists()


def test_a_keras_json_naming_another_backend_does_not_switch_the_apps(dinos_model, tmp_path):
    home = tmp_path / "home"
    (home / ".keras").mkdir(parents=True)
    (home / ".keras" / "keras.json").write_text('{"backend": "jax"}', encoding="utf-8")
    env = environment(HOME=home, KERAS_BACKEND="jax")
    result = run(app_command("dinos", "sample", "--model", dinos_model, "--num", "2",
                             "--seed", "0"), env=env)
    assert_quiet_success(result)
    assert len(result.stdout.split()) == 2


@pytest.mark.slow
def test_a_matplotlibrc_in_the_working_folder_imports_nothing(jazz_model, tmp_path):
    (tmp_path / "matplotlibrc").write_text("backend: module://planted\n", encoding="utf-8")
    marker = tmp_path / "code-ran"
    Path(tmp_path / "planted.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8"
    )
    argv = ["generate", "--model", jazz_model, "--bars", "2", "--seed", "1",
            "--out", tmp_path / "solo.mid", "--plot", tmp_path / "solo.png"]
    result = run(app_command("jazz", *argv), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "solo.png").is_file()
    assert not marker.exists()
