import keras
import numpy as np
import pytest

from apps.common.split import seeded_split as split
from apps.dinos.data import PAD, START, make_dataset
from apps.dinos.model import build_model, make_optimizer, recurrent_cells
from layers import CELLS
from tests.apps.dinos.conftest import NAMES, tiny_config

BETA_1 = 0.9  # Adam's default: after one step its first moment is (1 − β1) · g


@pytest.mark.parametrize("cell", sorted(CELLS))
def test_every_cell_gives_a_distribution_over_the_vocabulary_at_every_step(cell):
    model = build_model(tiny_config(cell=cell, layers=2), vocab_size=7)
    y_hat = keras.ops.convert_to_numpy(model(np.array([[START, 3, 4, 5]], "int32")))
    assert y_hat.shape == (1, 4, 7)
    np.testing.assert_allclose(y_hat.sum(-1), 1.0, rtol=1e-5)
    assert len(recurrent_cells(model)) == 2


def test_padding_does_not_change_predictions():
    model = build_model(tiny_config(), vocab_size=7)
    alone = model(np.array([[START, 3, 4]], "int32"))
    padded = model(np.array([[START, 3, 4, PAD, PAD]], "int32"))
    np.testing.assert_allclose(padded[:, :3], alone, rtol=1e-5, atol=1e-6)


def _first_moment_after_one_step(config, gradient):
    variable = keras.Variable(np.zeros_like(gradient))
    optimizer = make_optimizer(config)
    optimizer.apply_gradients([(gradient, variable)])
    (momentum,) = [v for v in optimizer.variables if v.path.endswith("_momentum")]
    return keras.ops.convert_to_numpy(momentum) / (1 - BETA_1)


def test_gradients_are_clipped_to_five_by_default():
    huge = np.array([1e6, -1e6, 2.0], "float32")
    seen = _first_moment_after_one_step(tiny_config(), huge)
    np.testing.assert_allclose(seen, [5.0, -5.0, 2.0], rtol=1e-5)


def test_clip_norm_bounds_the_gradient_norm_instead():
    huge = np.array([3e6, 4e6], "float32")
    config = tiny_config(clip_value=None, clip_norm=1.0)
    seen = _first_moment_after_one_step(config, huge)
    np.testing.assert_allclose(seen, [0.6, 0.8], rtol=1e-5)


def test_a_short_training_run_lowers_the_loss(trained):
    losses = trained.history.history["loss"]
    assert losses[-1] < losses[0]
    assert "val_perplexity" in trained.history.history


def test_training_keeps_the_best_validation_epoch(trained):
    perplexities = trained.history.history["val_perplexity"]
    _, held_out = split(NAMES, trained.config.validation_fraction, trained.config.seed)
    val_ds = make_dataset(held_out, trained.vocab, batch_size=64)
    results = trained.model.evaluate(val_ds, verbose=0, return_dict=True)
    assert results["perplexity"] == pytest.approx(min(perplexities), rel=1e-4)
