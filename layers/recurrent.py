"""`layers.RNN`: Keras' RNN layer, with a course cell's weights arranged once per sequence."""

from keras import layers, ops, saving, tree

from layers._compat import backend_rnn
from layers.cell import CourseCell


def hoists(cell, n_x):
    """Whether computing x · kernel + b before the loop pays: only when the projection is no
    wider than x itself, since the loop then reads G·n_a numbers per step instead of n_x
    (benchmarks/cells.py measured the wider case slower on CPU)."""
    return n_x is not None and len(cell.GATES) * cell.units <= n_x


@saving.register_keras_serializable(package="layers")
class RNN(layers.RNN):
    """`keras.layers.RNN` that arranges a course cell's weights once per sequence, not per step.

    Keras' loop calls the cell on every step, and a cell that kept all gates in one matrix would
    slice it, or one that keeps a matrix per gate would join them, on every step. This layer
    asks the cell for its weights as its steps use them fastest (`CourseCell.loop_weights`: for
    small states every gate's matrix side by side, for large ones one product per gate), before
    the loop. And since the input's share of the gates does not depend on the state, for a
    whole sequence it can be one (batch·Tx, n_x) × (n_x, G·n_a) product instead of Tx small
    ones, leaving the loop the recurrent products alone: that is done when it pays, for wide
    inputs (a one-hot x⟨t⟩, say) and small states. Outputs, masking, `return_sequences`,
    `return_state`, `initial_state`, `go_backwards`, dropout (one mask for all steps) and
    `Bidirectional` behave exactly as with `keras.layers.RNN`, which any of the cells also works
    in. Cells that are not course cells (and stacked cells) run through Keras' own loop.

    Args: those of `keras.layers.RNN`.

    Example:
    >>> x = keras.Input((None, 3))
    >>> a = layers.RNN(layers.LSTMCell(16), return_sequences=True)(x)
    >>> a.shape
    (None, None, 16)
    """

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        if not isinstance(cell, CourseCell):
            return super().inner_loop(sequences, initial_state, mask, training=training)
        if tree.is_nested(mask):
            mask = mask[0]
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        if training and cell.dropout > 0:
            # The mask Keras' RNN drew for this call: the one the cell applies step by step.
            x_mask = cell.get_dropout_mask(sequences[:, 0, :])
            sequences = ops.multiply(sequences, ops.expand_dims(x_mask, 1))
        projected = hoists(cell, sequences.shape[-1])
        x = cell.project(sequences) if projected else sequences
        weights = cell.loop_weights(projected=projected)

        def step(x_t, states):
            return cell.step(x_t, states, weights, training=training)

        return backend_rnn(
            step,
            x,
            initial_state,
            go_backwards=self.go_backwards,
            mask=mask,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            zero_output_for_mask=self.zero_output_for_mask,
            return_all_outputs=self.return_sequences,
        )
