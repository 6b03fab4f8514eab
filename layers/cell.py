"""What every course cell shares: fused gate weights, dropout and the course weight layout."""

import numpy as np
from keras import initializers, layers, ops, random
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

# Output-layer parameters a course `parameters` dict may carry beside a cell's own.
OUTPUT_KEYS = frozenset({"Wya", "Wy", "by"})


def plus_bias(z, bias):
    """z + bias, or z itself when the bias is already in it (bias None)."""
    return z if bias is None else ops.add(z, bias)


class CourseCell(layers.Layer, DropoutRNNCell):
    """Base class of the course cells; not a cell on its own.

    A cell with gates Γ1 … ΓG keeps its weights fused, one matrix for all gates, because a single
    matrix product per step is the fastest formulation on both CPU and GPU:
    `kernel (n_x, G·n_a)` acts on x⟨t⟩, `recurrent_kernel (n_a, G·n_a)` on the previous state and
    `bias (G·n_a,)`; column block g belongs to the gate named `GATES[g]`. The input half of every
    gate, `x⟨t⟩ · kernel + bias`, does not depend on the state, so `layers.RNN` may compute it for
    all time steps in one product before the loop and call `step` with it. Stepping on its own,
    a cell passes `step` the bare product and the bias separately, and each cell adds the bias
    where it measured fastest (benchmarks/cells.py): the LSTM with one fused product after the
    recurrent product, as Keras' LSTM does (added to x⟨t⟩ · kernel first, TensorFlow fuses it
    into that product, and the step measured 10–15% slower at 64 units); the LSTM with separate
    gate products, the basic RNN and the GRU before it, as Keras' SimpleRNN and GRU do.

    `get_course_parameters()` and `set_course_parameters()` translate to and from the course's
    layout, in which `W_g (n_a, n_a + n_x)` acts on the stacked column `[a⟨t−1⟩; x⟨t⟩]` (state rows
    first) and `b_g` has shape `(n_a, 1)`.

    Args:
        units: n_a, the size of the hidden state.
        dropout: fraction of the inputs x⟨t⟩ dropped while training; one mask for all steps.
        recurrent_dropout: fraction of the state a⟨t−1⟩ dropped while training, one mask for all
            steps.
        kernel_initializer, recurrent_initializer, bias_initializer: Keras initializers.
        seed: seed of the dropout masks.
    """

    GATES = ()

    def __init__(
        self,
        units,
        dropout=0.0,
        recurrent_dropout=0.0,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"units must be a positive integer, got {units!r}")
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if not 0.0 <= rate < 1.0:
                raise ValueError(f"{arg} must be in [0, 1), got {rate!r}")
        self.units = int(units)
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.state_size = self.units
        self.output_size = self.units

    @property
    def n_states(self):
        return 1

    def build(self, input_shape):
        n_x = input_shape[-1]
        width = len(self.GATES) * self.units
        self.kernel = self.add_weight(
            shape=(n_x, width), name="kernel", initializer=self.kernel_initializer
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
        )
        self.bias = self.add_weight(
            shape=(width,), name="bias", initializer=self._initial_bias()
        )

    def _initial_bias(self):
        return self.bias_initializer

    def project(self, x):
        """The state-free half of every gate, x · kernel + bias, for a whole sequence."""
        # A 2-D product: a broadcast batch product would build a kernel gradient per example.
        # Static sizes are kept where known: the loop's gradients are simpler with them.
        batch, t_x = (
            size if size is not None else ops.shape(x)[i] for i, size in enumerate(x.shape[:2])
        )
        z = ops.add(ops.matmul(ops.reshape(x, (-1, x.shape[-1])), self.kernel), self.bias)
        return ops.reshape(z, (batch, t_x, self.kernel.shape[1]))

    def call(self, inputs, states, training=False):
        if training and self.dropout > 0:
            inputs = ops.multiply(inputs, self.get_dropout_mask(inputs))
        z_x = ops.matmul(inputs, self.kernel)
        return self.step(z_x, states, training=training, bias=self.bias)

    def step(self, z_x, states, training=False, bias=None):
        """One time step given z_x = x⟨t⟩ · kernel, holding the bias already if `bias` is None."""
        raise NotImplementedError

    def recurrent_input(self, state, training):
        """The previous state as the recurrent product sees it (recurrent dropout applied)."""
        if training and self.recurrent_dropout > 0:
            return ops.multiply(state, self.get_recurrent_dropout_mask(state))
        return state

    def get_initial_state(self, batch_size=None):
        return [
            ops.zeros((batch_size, self.units), dtype=self.compute_dtype)
            for _ in range(self.n_states)
        ]

    # -- The course's weight layout -------------------------------------------------------------

    def _course_blocks(self):
        """Course names of the weight blocks and their fused column slices."""
        n_a = self.units
        return [(gate, slice(g * n_a, (g + 1) * n_a)) for g, gate in enumerate(self.GATES)]

    def course_parameter_shapes(self, n_x=None):
        """The course's name → shape of every parameter, for inputs of size n_x (default: built)."""
        n_a, n_x = self.units, self._input_size(n_x)
        shapes = {}
        for gate, _ in self._course_blocks():
            shapes[f"W{gate}"] = (n_a, n_a + n_x)
            shapes[f"b{gate}"] = (n_a, 1)
        return shapes

    def get_course_parameters(self):
        """The weights as a dict of numpy arrays in the course's names and shapes."""
        self._require_built()
        kernel = ops.convert_to_numpy(self.kernel)
        recurrent = ops.convert_to_numpy(self.recurrent_kernel)
        bias = ops.convert_to_numpy(self.bias)
        params = {}
        for gate, cols in self._course_blocks():
            params[f"W{gate}"] = np.concatenate([recurrent[:, cols].T, kernel[:, cols].T], axis=1)
            params[f"b{gate}"] = bias[cols][:, None]
        return params

    def set_course_parameters(self, params):
        """Load weights given in the course's names and shapes (output-layer keys are ignored).

        An unbuilt cell is built for the input size the matrices imply, once all are checked.
        """
        params = self._checked_for_loading(params)
        kernel = ops.convert_to_numpy(self.kernel).copy()
        recurrent = ops.convert_to_numpy(self.recurrent_kernel).copy()
        bias = ops.convert_to_numpy(self.bias).copy()
        n_a = self.units
        for gate, cols in self._course_blocks():
            W = params[f"W{gate}"]
            recurrent[:, cols] = W[:, :n_a].T
            kernel[:, cols] = W[:, n_a:].T
            bias[cols] = params[f"b{gate}"][:, 0]
        self.kernel.assign(kernel)
        self.recurrent_kernel.assign(recurrent)
        self.bias.assign(bias)

    def _input_size(self, n_x=None):
        if n_x is None:
            self._require_built()
            return self.kernel.shape[0]
        return n_x

    def _sizing_parameter(self):
        """The matrix whose width gives an unbuilt cell n_x, and its columns acting on the state."""
        return f"W{self.GATES[0]}", self.units

    def _infer_input_size(self, params):
        name, state_columns = self._sizing_parameter()
        n_a = self.units
        expected = f"({n_a}, {state_columns} + n_x)" if state_columns else f"({n_a}, n_x)"
        if name not in params:
            raise ValueError(f"missing course parameter {name!r} of shape {expected}")
        shape = np.shape(params[name])
        if len(shape) != 2 or shape[0] != n_a or shape[1] <= state_columns:
            raise ValueError(
                f"course parameter {name!r} has shape {shape}, expected {expected} with n_x >= 1"
            )
        return shape[1] - state_columns

    def _checked_for_loading(self, params):
        """Check params, then build an unbuilt cell: a refused set leaves the cell unbuilt."""
        if self.built:
            return self._checked(params)
        n_x = self._infer_input_size(params)
        checked = self._checked(params, n_x)
        self.build((None, n_x))
        return checked

    def _checked(self, params, n_x=None):
        expected = self.course_parameter_shapes(n_x)
        # Unbuilt, the expected widths come from one matrix: say which, it may be the wrong one.
        implied = ""
        if n_x is not None:
            implied = f" (n_x = {n_x}, as {self._sizing_parameter()[0]!r} implies)"
        name = type(self).__name__
        for key in params:
            if key not in expected and key not in OUTPUT_KEYS:
                raise ValueError(
                    f"{name} has no course parameter {key!r}; expected {sorted(expected)}"
                )
        checked = {}
        for key, shape in expected.items():
            if key not in params:
                raise ValueError(f"missing course parameter {key!r} of shape {shape}")
            value = np.asarray(params[key], dtype="float64")
            if value.shape != shape:
                raise ValueError(
                    f"course parameter {key!r} has shape {value.shape}, expected {shape}"
                    + implied
                )
            checked[key] = value
        return checked

    def _require_built(self):
        if not self.built:
            raise ValueError(
                f"{type(self).__name__} has no weights yet: call it (or its RNN) on an input first"
            )

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "dropout": self.dropout,
                "recurrent_dropout": self.recurrent_dropout,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "seed": self.seed,
            }
        )
        return config
