import json

import keras
import pytest

from apps.common.atomic import read_json
from apps.common.checkpoints import latest
from apps.dinos.train import StopWhenStale, train_and_evaluate
from tests.apps.dinos.conftest import tiny_config


def _compiled(learning_rate=0.01):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


def _epochs(callback, values, first=0):
    """Feed validation perplexities to the callback as epochs `first`, `first` + 1, …; return
    the learning rate after each and the epoch (1-based) that asked to stop, if any."""
    rates = []
    for epoch, value in enumerate(values, start=first):
        callback.on_epoch_end(epoch, {"val_perplexity": value})
        rates.append(float(keras.ops.convert_to_numpy(callback.model.optimizer.learning_rate)))
        if callback.model.stop_training:
            return rates, epoch + 1
    return rates, None


def test_stops_after_patience_epochs_without_improvement():
    stop = StopWhenStale(2)
    stop.set_model(_compiled())
    rates, stopped = _epochs(stop, [9.0, 8.0, 8.5, 7.9, 8.0, 7.9, 9.9])
    assert stopped == 6  # 7.9 at epoch 4, then neither 8.0 nor a second 7.9 is lower
    assert rates == pytest.approx([0.01, 0.01, 0.005, 0.005, 0.0025, 0.00125])
    assert stop.checkpoint_state()["best_epoch"] == 4


def test_a_constant_learning_rate_with_factor_one():
    stop = StopWhenStale(3, factor=1.0)
    stop.set_model(_compiled())
    rates, stopped = _epochs(stop, [5.0, 6.0, 6.0, 6.0])
    assert stopped == 4 and rates == pytest.approx([0.01] * 4)


def test_a_resumed_run_stops_where_the_uninterrupted_one_does():
    values = [9.0, 8.0, 8.5, 8.6, 8.7]
    whole = StopWhenStale(3)
    whole.set_model(_compiled())
    whole_rates, whole_stop = _epochs(whole, values)

    killed = StopWhenStale(3)
    killed.set_model(_compiled())
    first_rates, _ = _epochs(killed, values[:3])
    saved = json.loads(json.dumps(killed.checkpoint_state()))  # as state.json keeps it
    resumed = StopWhenStale(3)
    resumed.set_model(_compiled())
    resumed.restore_checkpoint_state(saved)
    rest_rates, resumed_stop = _epochs(resumed, values[3:], first=3)
    assert resumed_stop == whole_stop == 5
    assert first_rates + rest_rates == pytest.approx(whole_rates)


def test_training_stops_early_and_keeps_the_best_epoch(names_file, tmp_path):
    # With a learning rate of 0 nothing improves after the first epoch.
    config = tiny_config(data=str(names_file), epochs=20, patience=2, learning_rate=0.0)
    run = train_and_evaluate(config, tmp_path / "model", verbose=0)
    assert len(run.history.epoch) == 3
    checkpoint = latest(tmp_path / "model" / "checkpoints")
    assert checkpoint.name == "epoch-000003"
    record = read_json(checkpoint / "state.json")["early_stopping"]
    assert record["best_epoch"] == 1


def test_the_model_folder_keeps_the_config_it_ran_with(names_file, tmp_path):
    from apps.dinos.config import PRESETS, Config
    from apps.dinos.export import load_trained

    config = Config(data=str(names_file), units=8, epochs=1, sample_every=0)
    run = train_and_evaluate(config, tmp_path / "model", verbose=0)
    _, _, saved, _ = load_trained(tmp_path / "model")
    assert saved == run.prepared.facts["config"]
    assert saved.size == "small" and saved.units == 8
    assert saved.batch_size == PRESETS["small"]["batch_size"]
