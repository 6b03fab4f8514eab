"""Training: the shared run (`apps.common.run`) with the dinos' data, model and model folder."""

import keras
import tensorflow as tf

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


def prepare(config):
    """Vocabulary, the seeded validation split and the batches."""
    sequences = load_sequences(config)
    vocab = Vocabulary.from_texts(sequences)
    train_seqs, val_seqs = seeded_split(sequences, config.validation_fraction, config.seed)
    end_token = not config.is_text
    return Prepared(
        train=training_stream(
            train_seqs, vocab, config.batch_size, end_token=end_token, seed=config.seed
        ),
        val=make_dataset(val_seqs, vocab, config.batch_size, end_token=end_token),
        facts={"vocab": vocab, "names": [] if config.is_text else sequences},
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


def train_and_evaluate(config, out, *, distribute="none", resume=False, verbose=None):
    """Train as `config` says, write the model folder `out`; returns the `apps.common.run.Run`."""

    def samples(model, prepared, chief):
        if not chief:
            return []
        char_model = CharModel(model, prepared.facts["vocab"], config)
        return [PrintSamples(char_model, config.sample_every, seed=config.seed)]

    return train_run(
        config, out, prepare=prepare, build=build, write=write, distribute=distribute,
        resume=resume, callbacks=samples, verbose=verbose,
    )
