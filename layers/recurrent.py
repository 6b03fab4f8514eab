"""`layers.RNN`: Keras' RNN layer, with the input half of every gate computed outside the loop."""

from keras import layers, ops, saving, tree
from keras.src import backend

from layers.cell import CourseCell


def hoists(cell, n_x):
    """Whether computing x · kernel + b before the loop pays: only when the projection is no
    wider than x itself, since the loop then reads G·n_a numbers per step instead of n_x
    (benchmarks/cells.py measured the wider case slower on CPU)."""
    return n_x is not None and len(cell.GATES) * cell.units <= n_x


@saving.register_keras_serializable(package="layers")
class RNN(layers.RNN):
    """`keras.layers.RNN` that hoists x⟨t⟩ · kernel + bias out of the time loop when that pays.

    In every course cell the input's share of the gates does not depend on the state, so for a
    whole sequence it can be one (batch·Tx, n_x) × (n_x, G·n_a) product instead of Tx small ones,
    leaving the loop the recurrent product alone. That pays for wide inputs (a one-hot x⟨t⟩, say)
    and small states; otherwise this layer runs Keras' own loop. Outputs, masking,
    `return_sequences`, `return_state`, `initial_state`, `go_backwards`, dropout (one mask for
    all steps) and `Bidirectional` behave exactly as with `keras.layers.RNN`, which any of the
    cells also works in.
    Cells that are not course cells (and stacked cells) run through Keras' own loop.

    Args: those of `keras.layers.RNN`.

    Example:
    >>> x = keras.Input((None, 3))
    >>> a = RNN(LSTMCell(16), return_sequences=True)(x)
    """

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        if not isinstance(cell, CourseCell) or not hoists(cell, sequences.shape[-1]):
            return super().inner_loop(sequences, initial_state, mask, training=training)
        if tree.is_nested(mask):
            mask = mask[0]
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        if training and cell.dropout > 0:
            x_mask = cell.get_dropout_mask(sequences[:, 0, :])
            sequences = ops.multiply(sequences, ops.expand_dims(x_mask, 1))
        z_x = cell.project(sequences)

        def step(z_t, states):
            return cell.step(z_t, states, training=training)

        return backend.rnn(
            step,
            z_x,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )
