"""A model of every course cell survives `.keras` saving and SavedModel export, in a new process."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest

from layers import RNN, BasicRNNCell, GRUCell, LSTMCell, SimpleGRUCell, bidirectional
from tests.layers.helpers import needs_tensorflow, randomize

REPO = Path(__file__).resolve().parents[2]
N_X = 3
LENGTHS = (4, 9)  # two sequence lengths through the same exported signature

# Runs in a new interpreter. The SavedModel is served before anything of this project is
# imported, as a serving process that never saw `layers` would; then the `.keras` file is
# loaded the way an app loads it, with the cells registered by importing `layers`.
FRESH_PROCESS = """
import sys
from pathlib import Path

import numpy as np
import tensorflow as tf

folder = Path(sys.argv[1])
served = tf.saved_model.load(str(folder / "export"))
for length in sys.argv[2:]:
    x = tf.constant(np.load(folder / f"x_{length}.npy"))
    np.save(folder / f"served_{length}.npy", served.serve(x).numpy())
assert not any(name == "layers" or name.startswith("layers.") for name in sys.modules)

import keras

import layers  # noqa: F401  (registers the cells)

model = keras.saving.load_model(folder / "model.keras")
for length in sys.argv[2:]:
    np.save(folder / f"loaded_{length}.npy", model(np.load(folder / f"x_{length}.npy")).numpy())
"""


def every_cell_model():
    x = keras.Input((None, N_X))
    a = keras.layers.Masking(0.0)(x)
    a = RNN(BasicRNNCell(5, activation="relu"), return_sequences=True)(a)
    a = bidirectional(GRUCell(4))(a)
    a = RNN(SimpleGRUCell(4), return_sequences=True, go_backwards=True)(a)
    a = keras.layers.RNN(LSTMCell(3, peephole=True), return_sequences=True)(a)
    a = bidirectional(LSTMCell(3), merge_mode="sum")(a)
    return keras.Model(x, keras.layers.Dense(2)(a))


@pytest.fixture(scope="module")
def fresh_process_outputs(tmp_path_factory):
    """The model's outputs here, and those of its saved forms reloaded in another process."""
    folder = tmp_path_factory.mktemp("saved")
    rng = np.random.default_rng(0)
    model = every_cell_model()
    # Random values everywhere, peephole vectors included (they start at zero).
    randomize(model, rng)
    expected = {}
    for length in LENGTHS:
        x = rng.standard_normal((2, length, N_X)).astype("float32")
        x[1, length // 2 :] = 0.0  # a right-padded sequence, masked by Masking
        np.save(folder / f"x_{length}.npy", x)
        expected[length] = keras.ops.convert_to_numpy(model(x))
    model.save(folder / "model.keras")
    model.export(str(folder / "export"), verbose=False)
    subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS, str(folder), *map(str, LENGTHS)],
        cwd=REPO,
        env=os.environ | {"PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "2"},
        check=True,
        timeout=300,
    )
    return folder, expected


@pytest.mark.slow
@needs_tensorflow
def test_keras_file_reloaded_in_a_fresh_process_gives_identical_outputs(fresh_process_outputs):
    folder, expected = fresh_process_outputs
    for length, outputs in expected.items():
        np.testing.assert_array_equal(np.load(folder / f"loaded_{length}.npy"), outputs)


@pytest.mark.slow
@needs_tensorflow
def test_exported_savedmodel_serves_any_length_without_the_project(fresh_process_outputs):
    folder, expected = fresh_process_outputs
    for length, outputs in expected.items():
        served = np.load(folder / f"served_{length}.npy")
        assert served.shape == (2, length, 2)
        np.testing.assert_allclose(served, outputs, rtol=1e-5, atol=1e-6)


# --- Models saved with the fused layout of earlier releases ---------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def saved_cell_weights(path):
    """The shapes of the weights a `.keras` file holds for each cell, by the cell's path."""
    folders = []
    with (
        zipfile.ZipFile(path) as archive,
        archive.open("model.weights.h5") as weights,
        h5py.File(weights) as h5,
    ):
        h5.visit(lambda name: folders.append(name) if name.endswith("cell/vars") else None)
        return {
            folder.removesuffix("/vars"): [
                h5[folder][key].shape for key in sorted(h5[folder], key=int)
            ]
            for folder in folders
        }


def test_a_model_saved_with_fused_cell_weights_loads_with_the_same_outputs():
    # Saved when every cell kept one matrix for all its gates (see fixtures/README.md).
    saved_shapes = saved_cell_weights(FIXTURES / "fused_layout.keras")
    assert saved_shapes["layers/rnn_3/cell"] == [(7, 20), (5, 20), (20,)]
    assert saved_shapes["layers/rnn_2/cell"] == [(6, 12), (3, 12), (12,), (9,)]
    saved = np.load(FIXTURES / "fused_layout.npz")
    model = keras.saving.load_model(FIXTURES / "fused_layout.keras")
    np.testing.assert_allclose(model(saved["x"]), saved["y"], rtol=1e-6, atol=1e-6)
    lstm = model.layers[-2].cell  # RNN(LSTMCell(5)) on the 7 units before it
    assert [tuple(w.shape) for w in lstm.kernels] == [(7, 5)] * 4


def test_a_model_saved_now_keeps_one_weight_per_gate(tmp_path):
    x = keras.Input((None, N_X))
    model = keras.Model(x, RNN(LSTMCell(5, peephole=True))(x))
    model.save(tmp_path / "model.keras")
    shapes = saved_cell_weights(tmp_path / "model.keras")["layers/rnn/cell"]
    assert shapes == [(N_X, 5)] * 4 + [(5, 5)] * 4 + [(5,)] * 4 + [(5,)] * 3


def test_fused_weights_of_the_wrong_shape_are_refused_naming_the_cell():
    cell = GRUCell(4, name="gru_cell")
    cell.build((None, N_X))
    fused = {"0": np.zeros((N_X, 12)), "1": np.zeros((4, 12)), "2": np.zeros((9,))}
    with pytest.raises(ValueError, match=r"gru_cell.*\(9,\).*\(12,\)"):
        cell.load_own_variables(fused)
