"""Every use of Keras internals in this project, each with its reason.

Tested on Keras 3.15.1 (setup.cfg pins `keras==3.15.*`); check each item when that pin moves.
"""

import contextlib

# The Keras mask a layer attached to its output tensor, which a loss needs to leave padded steps
# out (Keras hands losses no mask). Not public in keras 3.15: keras.src.backend.
from keras.src.backend import get_keras_mask

# `backend.rnn`, the time loop of `keras.layers.RNN`, which `layers.RNN` calls with the input
# projection hoisted out of the loop. Not public in keras 3.15: keras.src.backend.
from keras.src.backend import rnn as backend_rnn

# The one-mask-for-all-steps dropout of Keras' own cells (`get_dropout_mask`,
# `get_recurrent_dropout_mask`, `reset_dropout_mask`), which `keras.layers.RNN` resets at
# every call. Not public in keras 3.15: keras.src.layers.rnn.dropout_rnn_cell.
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

__all__ = ["DropoutRNNCell", "backend_rnn", "get_keras_mask", "symbolic_build_skipped"]


@contextlib.contextmanager
def symbolic_build_skipped(model, data_batch):
    """Build `model`'s loss and metrics from one local batch and keep `fit` from building them
    again, for the duration of the block.

    Keras 3.15's `fit` (Trainer._maybe_symbolic_build) averages the first batch across every
    replica to build them, which MultiWorkerMirroredStrategy cannot do for an (x, y) pair, nor
    for padded batches whose lengths differ from worker to worker. The patch is undone on exit,
    even if `fit` raises.
    """
    model._maybe_symbolic_build(data_batch=data_batch)
    model._maybe_symbolic_build = lambda iterator=None, data_batch=None: None
    try:
        yield
    finally:
        del model._maybe_symbolic_build
