"""The character-level language model: embedding, stacked course cells, softmax over characters.

    ids (batch, T) ─ Embedding(mask_zero) ─ RNN(cell) × layers ─ Dropout ─ Dense(n_y, softmax) ─ ŷ

ŷ⟨t⟩ = P(y⟨t⟩ | start, y⟨1⟩, …, y⟨t−1⟩): the course's language model, with the one-hot x⟨t⟩
replaced by a learned embedding (the same thing as one-hot times a weight matrix, but smaller).
A thousand names overfit quickly: dropout on the cells' inputs and on their outputs before the
softmax is what lets the model beat a smoothed trigram on held-out names.
"""

import keras
from keras import layers as keras_layers
from keras import ops

from apps.dinos.data import OFFSET
from layers import CELLS, deep_rnn

NAME = "char"  # prefix of the recurrent layers and the head, which the sampler looks up


def build_model(config, vocab_size):
    """The Functional-API model for `config` over a vocabulary of `vocab_size` characters."""
    ids = keras.Input((None,), dtype="int32", name="ids")
    x = keras_layers.Embedding(
        vocab_size + OFFSET, config.embedding_dim, mask_zero=True, name="embedding"
    )(ids)
    cell = CELLS[config.cell](
        config.units, dropout=config.dropout, recurrent_dropout=config.recurrent_dropout,
        seed=config.seed,
    )
    a = deep_rnn(x, cell, num_layers=config.layers, name=NAME)
    a = keras_layers.Dropout(config.output_dropout, seed=config.seed, name="output_dropout")(a)
    y_hat = keras_layers.Dense(vocab_size, activation="softmax", name=f"{NAME}_head")(a)
    return keras.Model(ids, y_hat, name="dinos")


def recurrent_cells(model):
    """The trained cells, bottom layer first."""
    rnns = [layer for layer in model.layers if layer.name.startswith(f"{NAME}_rnn_")]
    return [rnn.cell for rnn in sorted(rnns, key=lambda rnn: int(rnn.name.rsplit("_", 1)[1]))]


def make_optimizer(config):
    """Adam with the course's gradient clipping: by value (default 5) or by norm."""
    clip = {"clipvalue": config.clip_value} if config.clip_value else {}
    if config.clip_norm:
        clip = {"clipnorm": config.clip_norm}
    return keras.optimizers.Adam(config.learning_rate, **clip)


def compile_model(model, config):
    model.compile(
        optimizer=make_optimizer(config),
        loss=keras.losses.SparseCategoricalCrossentropy(),
        weighted_metrics=[Perplexity()],
    )
    return model


@keras.saving.register_keras_serializable(package="apps.dinos")
class Perplexity(keras.metrics.Metric):
    """Per-character perplexity exp(−Σ log ŷ⟨t⟩[y⟨t⟩] / N) over all weighted characters seen.

    Accumulated over the whole epoch (not averaged per batch), so it is the exact perplexity of
    the validation set. Steps with sample weight 0 (padding) do not count.
    """

    def __init__(self, name="perplexity", **kwargs):
        super().__init__(name=name, **kwargs)
        self.total = self.add_variable((), initializer="zeros", name="total")
        self.count = self.add_variable((), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "int32")
        p = ops.take_along_axis(y_pred, ops.expand_dims(y_true, -1), axis=-1)[..., 0]
        nll = -ops.log(ops.maximum(ops.cast(p, "float32"), keras.config.epsilon()))
        weight = ops.ones_like(nll) if sample_weight is None else ops.cast(sample_weight, "float32")
        self.total.assign_add(ops.sum(nll * weight))
        self.count.assign_add(ops.sum(weight))

    def result(self):
        return ops.exp(ops.divide_no_nan(self.total, self.count))

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)
