"""Training: read the data, split it, fit the model, write the model folder (see `export`)."""

import keras
import tensorflow as tf

from apps.common.distribute import get_strategy, is_chief
from apps.common.seeding import set_seed
from apps.common.training import fit
from apps.dinos.data import Vocabulary, make_dataset, split, text_windows, training_stream
from apps.dinos.export import write_outputs
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
        print(f"\nsamples after epoch {epoch + 1}: {shown}")


def load_sequences(config, data=None, text=None):
    """The training sequences: names (lower-cased) from `data` or the embedded list, or windows.

    Raises:
        InputError: the file cannot be read, or has too little to hold one sequence out.
    """
    if text is not None:
        sequences = text_windows(read_text(text), config.window)
        what = f"windows of {config.window} characters"
    else:
        sequences = load_names(data)
        what = "distinct names"
    if len(sequences) < 2:
        source = text if text is not None else data
        found = len(sequences)
        raise InputError(f"{source}: need at least 2 {what} (one is held out), found {found}")
    return sequences


def train(config, *, data=None, text=None, out, distribute="none", resume=False, verbose=1):
    """Train a model as `config` says and write it to `out`; returns (model, vocab, history).

    `data` is a names file (None: the embedded dinosaurs); `text` a running-text file, cut into
    windows of `config.window` characters.
    """
    set_seed(config.seed)
    sequences = load_sequences(config, data, text)
    vocab = Vocabulary.from_texts(sequences)
    train_seqs, val_seqs = split(sequences, config.validation_fraction, config.seed)
    end_token = not config.is_text
    train_ds = training_stream(
        train_seqs, vocab, config.batch_size, end_token=end_token, seed=config.seed
    )
    val_ds = make_dataset(val_seqs, vocab, config.batch_size, end_token=end_token)
    strategy = get_strategy(distribute)
    chief = is_chief(strategy)
    with strategy.scope():
        model = compile_model(build_model(config, vocab.size), config)
    samples = PrintSamples(CharModel(model, vocab, config), config.sample_every, seed=config.seed)
    history = fit(
        model,
        train_ds,
        val_ds,
        epochs=config.epochs,
        out_dir=out,
        resume=resume,
        callbacks=[samples] if chief else [],
        verbose=verbose,
        chief=chief,
    )
    if chief:
        write_outputs(out, model, vocab, config, [] if config.is_text else sequences)
    return model, vocab, history
