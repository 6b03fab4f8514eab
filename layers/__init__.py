"""The recurrent cells of the Sequence Models course as Keras layers, and the course's numpy passes.

    from layers import LSTMCell, RNN
    a = RNN(LSTMCell(64), return_sequences=True)(x)
"""

from layers.architectures import bidirectional, deep_rnn
from layers.cell import CourseCell
from layers.crf import CRF, CRFLoss
from layers.gru import GRUCell, SimpleGRUCell
from layers.lstm import LSTMCell
from layers.recurrent import RNN
from layers.rnn import BasicRNNCell

CELLS = {
    "rnn": BasicRNNCell,
    "simple_gru": SimpleGRUCell,
    "gru": GRUCell,
    "lstm": LSTMCell,
}

__all__ = [
    "CELLS",
    "CRF",
    "CRFLoss",
    "RNN",
    "BasicRNNCell",
    "CourseCell",
    "GRUCell",
    "LSTMCell",
    "SimpleGRUCell",
    "bidirectional",
    "deep_rnn",
]
