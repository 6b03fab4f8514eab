import json
import signal
import time
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import layers
from apps.common.checkpoints import resumed_epoch
from apps.common.data import EpochStream
from apps.common.errors import TrainingError
from apps.common.training import fit, load_keras, save_keras
from datasets.errors import InputError
from tests.apps.common import helpers


def toy_model(learning_rate=1e-2):
    keras.utils.set_random_seed(0)
    inputs = keras.Input((None, 3))
    outputs = keras.layers.Dense(1)(layers.RNN(layers.LSTMCell(4))(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    return model


def toy_data(scale=1.0):
    x = np.random.default_rng(0).random((32, 5, 3)).astype("float32")
    y = scale * x.sum(axis=(1, 2))[:, None]
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(8)


def test_a_nan_loss_stops_training_with_one_line(tmp_path):
    with pytest.raises(TrainingError, match="NaN at epoch 1") as raised:
        fit(toy_model(1e12), toy_data(1e6), epochs=3, out_dir=tmp_path, verbose=0)
    assert "\n" not in str(raised.value)


def test_the_best_epoch_weights_are_kept(tmp_path):
    model = toy_model()

    def ruin(epoch, logs):
        if epoch == 2:
            model.set_weights([np.full_like(w, -3.0) for w in model.get_weights()])

    history = fit(
        model, toy_data(), toy_data(), epochs=4, out_dir=tmp_path, verbose=0,
        callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=ruin)],
    )
    best = min(history.history["val_loss"])
    assert history.history["val_loss"][-1] > best
    assert model.evaluate(toy_data(), verbose=0) == pytest.approx(best, rel=1e-5)
    assert json.loads((tmp_path / "checkpoints" / "best.json").read_text())["value"] == best


def test_resume_without_checkpoints_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="--resume"):
        fit(toy_model(), toy_data(), epochs=1, out_dir=tmp_path, resume=True, verbose=0)


def test_epoch_stream_order_depends_only_on_seed_and_epoch():
    examples = tf.data.Dataset.range(20)
    first = EpochStream(examples, lambda d: d.batch(6), seed=1)
    again = EpochStream(examples, lambda d: d.batch(6), seed=1)
    assert first.steps_per_epoch == 4

    def batches(ds):
        return [b.numpy().tolist() for b in ds]

    assert batches(first.epoch(3)) == batches(again.stream(3, 4))
    assert batches(first.epoch(2)) != batches(first.epoch(3))
    assert sorted(sum(batches(first.epoch(2)), [])) == list(range(20))


def test_keras_models_round_trip_and_bad_files_are_input_errors(tmp_path):
    model = toy_model()
    save_keras(model, tmp_path / "model.keras")
    x = np.ones((2, 5, 3), "float32")
    np.testing.assert_allclose(load_keras(tmp_path / "model.keras")(x), model(x), atol=1e-6)
    with pytest.raises(InputError, match="no such model"):
        load_keras(tmp_path / "missing.keras")
    (tmp_path / "junk.keras").write_text("junk")
    with pytest.raises(InputError, match="not a readable Keras model"):
        load_keras(tmp_path / "junk.keras")


@pytest.mark.slow
def test_a_killed_and_resumed_run_ends_where_an_uninterrupted_run_ends(tmp_path):
    helpers.run("--out", tmp_path / "whole", "--epochs", 5)

    interrupted = tmp_path / "interrupted"
    process = helpers.start("--out", interrupted, "--epochs", 5, "--epoch-pause", 1.5)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if resumed_epoch(interrupted / "checkpoints") >= 2:
            break
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (interrupted / "weights.npz").exists()

    helpers.run("--out", interrupted, "--epochs", 5, "--resume")
    whole, resumed = helpers.weights(tmp_path / "whole"), helpers.weights(interrupted)
    assert len(whole) == len(resumed)
    for w, r in zip(whole, resumed, strict=True):
        np.testing.assert_allclose(r, w, rtol=0, atol=1e-6)


def test_a_validation_set_of_unknown_size_gives_no_ran_out_of_data_warning(tmp_path):
    validation = toy_data().filter(lambda x, y: True)
    assert validation.cardinality() == tf.data.UNKNOWN_CARDINALITY
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit(toy_model(), toy_data(), validation, epochs=2, out_dir=tmp_path, verbose=0)
    assert not [w for w in caught if "ran out of data" in str(w.message)]


def test_early_stopping_resumed_from_its_checkpoint_stops_where_the_whole_run_does():
    from apps.common.training import ResumableEarlyStopping

    def epochs(callback, values, first=0):
        for epoch, value in enumerate(values, start=first):
            callback.on_epoch_end(epoch, {"val_f1": value})
            if callback.model.stop_training:
                return epoch + 1
        return None

    values = [0.5, 0.6, 0.55, 0.58, 0.57, 0.59]
    whole = ResumableEarlyStopping("val_f1", mode="max", patience=3)
    whole.set_model(toy_model())
    whole.on_train_begin()
    stopped = epochs(whole, values)

    killed = ResumableEarlyStopping("val_f1", mode="max", patience=3)
    killed.set_model(toy_model())
    killed.on_train_begin()
    epochs(killed, values[:3])
    saved = json.loads(json.dumps(killed.checkpoint_state()))  # as state.json keeps it
    resumed = ResumableEarlyStopping("val_f1", mode="max", patience=3)
    resumed.set_model(toy_model())
    resumed.on_train_begin()
    resumed.restore_checkpoint_state(saved)
    assert epochs(resumed, values[3:], first=3) == stopped == 5

    afresh = ResumableEarlyStopping("val_f1", mode="max", patience=3)  # Keras' own behaviour
    afresh.set_model(toy_model())
    afresh.on_train_begin()
    assert epochs(afresh, values[3:], first=3) is None
