"""Training: the shared run (`apps.common.run`) with the dinos' data, model and model folder.

The config's size preset is filled in from the data first (`Config.sized`), and the run stops
early (`StopWhenStale`).
"""

import math

import keras
import tensorflow as tf

from apps.common.checkpoints import Checkpointed
from apps.common.model_folder import write_model_folder
from apps.common.run import Prepared, train_run
from apps.common.split import seeded_split
from apps.dinos.data import Vocabulary, make_dataset, text_windows, training_stream
from apps.dinos.export import NAMES_FILE, save_savedmodel
from apps.dinos.model import build_model, compile_model
from apps.dinos.sampling import CharModel
from datasets.dinos import load_names
from datasets.errors import InputError
from datasets.text import read_text


class PrintSamples(keras.callbacks.Callback):
    """Print a handful of sampled names every `every` epochs, as the course does while training."""

    def __init__(self, char_model, every, num=5, seed=0):
        super().__init__()
        self.char_model, self.every, self.num, self.seed = char_model, every, num, seed

    def on_epoch_end(self, epoch, logs=None):
        if not self.every or (epoch + 1) % self.every:
            return
        names = self.char_model.sample(
            tf.constant(self.num), tf.constant(1.0), tf.constant(self.seed + epoch)
        )["names"]
        shown = ", ".join(name.decode("utf-8") for name in names.numpy())
        print(f"samples after epoch {epoch + 1}: {shown}", flush=True)


class StopWhenStale(Checkpointed, keras.callbacks.Callback):
    """Early stopping with a learning rate that falls as improvement stalls.

    Every epoch whose `monitor` is not below the best so far multiplies the learning rate by
    `factor` (halves it by default); after `patience` such epochs in a row, training stops
    (`apps.common.training.fit` then loads the best epoch's weights). Its record (the best
    epoch, the learning rate) goes into every epoch's checkpoint, so a run resumed with
    --resume stops where the uninterrupted run would have.
    """

    checkpoint_key = "early_stopping"

    def __init__(self, patience, *, factor=0.5, monitor="val_perplexity"):
        super().__init__()
        self.patience, self.factor, self.monitor = patience, factor, monitor
        self.best, self.best_epoch, self.stopped_epoch = math.inf, 0, None

    def checkpoint_state(self):
        learning_rate = self.model.optimizer.learning_rate
        return {
            "monitor": self.monitor, "best": self.best, "best_epoch": self.best_epoch,
            "learning_rate": float(keras.ops.convert_to_numpy(learning_rate)),
        }

    def restore_checkpoint_state(self, state):
        if state:
            self.best, self.best_epoch = state["best"], state["best_epoch"]
            self.model.optimizer.learning_rate.assign(state["learning_rate"])

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None or math.isnan(value):
            return
        learning_rate = self.model.optimizer.learning_rate
        if value < self.best:
            self.best, self.best_epoch = float(value), epoch + 1
        else:
            learning_rate.assign(learning_rate * self.factor)
        if epoch + 1 - self.best_epoch >= self.patience:
            self.stopped_epoch = epoch + 1
            self.model.stop_training = True


def num_chars(sequences, config):
    """Characters the model learns to predict: every character, and each name's end token."""
    return sum(map(len, sequences)) + (0 if config.is_text else len(sequences))


def load_sequences(config):
    """The training sequences: names (lower-cased) from `config.data` or the embedded list, or
    windows of `config.text`.

    Raises:
        InputError: the file cannot be read, or has too little to hold one sequence out.
    """
    if config.is_text:
        sequences = text_windows(read_text(config.text), config.window)
        what, source = f"windows of {config.window} characters", config.text
    else:
        sequences = load_names(config.data)
        what, source = "distinct names", config.data or "the embedded names"
    if len(sequences) < 2:
        raise InputError(
            f"{source}: need at least 2 {what} (one is held out), found {len(sequences)}"
        )
    return sequences


def prepare(config, sequences=None):
    """Vocabulary, the seeded validation split and the batches (of `sequences`, if given, else
    of the config's data); facts: the vocabulary, the names, and the config (`config`)."""
    sequences = load_sequences(config) if sequences is None else sequences
    vocab = Vocabulary.from_texts(sequences)
    train_seqs, val_seqs = seeded_split(sequences, config.validation_fraction, config.seed)
    end_token = not config.is_text
    return Prepared(
        train=training_stream(
            train_seqs, vocab, config.batch_size, end_token=end_token, seed=config.seed,
            bucket=config.bucket_by_length,
        ),
        val=make_dataset(val_seqs, vocab, config.batch_size, end_token=end_token),
        facts={"vocab": vocab, "names": [] if config.is_text else sequences, "config": config},
    )


def build(config, prepared):
    return compile_model(build_model(config, prepared.facts["vocab"].size), config)


def write(out, model, config, prepared):
    """The model folder: model.keras, config.json, vocab.json, names.txt, export/."""
    vocab = prepared.facts["vocab"]
    char_model = CharModel(model, vocab, config)
    write_model_folder(
        out,
        model=model,
        config=config.to_dict(),
        vocabularies={"chars": vocab.chars},
        facts={},
        texts={NAMES_FILE: "".join(f"{name}\n" for name in prepared.facts["names"])},
        export=lambda path: save_savedmodel(char_model, path),
    )


def train_and_evaluate(
    config, out, *, distribute="none", resume=False, verbose=None, callbacks=()
):
    """Train as `config` says, its size preset filled in from the data, and write the model
    folder `out`; returns the `apps.common.run.Run` (the config it ran with is
    `run.prepared.facts["config"]`). `callbacks`: further Keras callbacks for the fit."""
    sequences = load_sequences(config)
    config = config.sized(num_chars(sequences, config))

    def run_callbacks(model, prepared, chief):
        stop = StopWhenStale(config.patience, factor=config.lr_factor)
        if not chief:
            return [stop, *callbacks]
        char_model = CharModel(model, prepared.facts["vocab"], config)
        printer = PrintSamples(char_model, config.sample_every, seed=config.seed)
        return [stop, printer, *callbacks]

    return train_run(
        config, out, prepare=lambda c: prepare(c, sequences), build=build, write=write,
        distribute=distribute, resume=resume, monitor="val_perplexity", callbacks=run_callbacks,
        verbose=verbose,
    )
