"""What every course cell shares: one weight per gate, dropout and the course weight layout."""

import numpy as np
from keras import initializers, layers, ops, random

from layers._compat import DropoutRNNCell

# Output-layer parameters a course `parameters` dict may carry beside a cell's own.
OUTPUT_KEYS = frozenset({"Wya", "Wy", "by"})

# From these state sizes up, a loop over a sequence multiplies a⟨t−1⟩, then also x⟨t⟩, by each
# gate's matrix separately; below them, by all gates' matrices side by side in one product.
# Timed as benchmarks/cells.py times (LSTM, n_x = 78, 2 CPU cores): gate by gate ran 5–10%
# slower than side by side at 64 units, and 16% and 30% faster at 128 and 256; with the input
# half side by side, 2–6% faster again at 128, 4–10% slower at 256.
SEPARATE_GATES_FROM = 128
SEPARATE_INPUTS_FROM = 256


def plus_bias(z, bias):
    """z + bias, or z itself when the bias is already in it (bias None)."""
    return z if bias is None else ops.add(z, bias)


def side_by_side(blocks):
    """One gate's blocks concatenated along the last axis, a single block as it is."""
    return blocks[0] if len(blocks) == 1 else ops.concatenate(list(blocks), axis=-1)


def gate_inputs(x, kernel, bias, n_gates):
    """The input half of every gate, x⟨t⟩ · W_g + b_g, as a list.

    `kernel` and `bias` are tuples (one block per gate), single blocks (all gates side by side)
    or None, when `x` already holds the input halves side by side (a projected sequence).
    """
    if isinstance(kernel, (tuple, list)):
        return [plus_bias(ops.matmul(x, W), b) for W, b in zip(kernel, bias, strict=True)]
    z = x if kernel is None else plus_bias(ops.matmul(x, kernel), bias)
    # Equal splits only: a split at given indices costs several more ops on every step.
    return ops.split(z, n_gates, axis=-1) if n_gates > 1 else [z]


def gate_sums(x, h, weights, n_gates):
    """Every gate's argument before its nonlinearity, W_g[h, x⟨t⟩] + b_g, as a list.

    With the recurrent blocks side by side there is one product for all gates and the bias goes
    in last, as in Keras' LSTM (added to x⟨t⟩ · W first, TensorFlow fuses it into that product,
    and the step measured 10–15% slower at 64 units). With one block per gate each gate has its
    own products, which TensorFlow runs side by side on separate cores.
    """
    kernel, recurrent, bias = weights
    if isinstance(recurrent, (tuple, list)):
        return [
            ops.add(x_g, ops.matmul(h, U_g))
            for x_g, U_g in zip(gate_inputs(x, kernel, bias, n_gates), recurrent, strict=True)
        ]
    z = ops.add(x if kernel is None else ops.matmul(x, kernel), ops.matmul(h, recurrent))
    z = plus_bias(z, bias)
    return ops.split(z, n_gates, axis=-1) if n_gates > 1 else [z]


class GateBlocks:
    """Initializers for the gates' blocks of one matrix drawn whole for all gates.

    Glorot's limits and the orthogonal initializer's rows depend on the whole matrix's shape,
    so the cells start from the values of the single matrix Keras' own cells (and this project's
    releases before one weight per gate) draw. The whole matrix is drawn when the first block is
    asked for, inside whatever scope Keras initializes variables in, and dropped once every
    block has been handed out.
    """

    def __init__(self, initializer, n_gates):
        self.initializer = initializer
        self.n_gates = n_gates
        self.whole = None
        self.handed_out = 0

    def block(self, g):
        def initialize(shape, dtype=None):
            if self.whole is None:
                self.whole = self.initializer((*shape[:-1], self.n_gates * shape[-1]), dtype=dtype)
            n = shape[-1]
            value = self.whole[..., g * n : (g + 1) * n]
            self.handed_out += 1
            if self.handed_out == self.n_gates:
                self.whole, self.handed_out = None, 0
            return value

        return initialize


class CourseCell(layers.Layer, DropoutRNNCell):
    """Base class of the course cells; not a cell on its own.

    A cell with gates Γ1 … ΓG keeps separate weights for each gate, as the course's equations do:
    for gate g (named `GATES[g]`), `kernels[g] (n_x, n_a)` acts on x⟨t⟩,
    `recurrent_kernels[g] (n_a, n_a)` on the previous state and `biases[g] (n_a,)`. Separate
    matrices let TensorFlow run the gates' products side by side on separate cores, and spare a
    loop slicing one matrix into gates on every step (benchmarks/cells.py measured both).

    `step(x, states, weights, training)` computes one time step from `weights`, a triple
    `(kernel, recurrent_kernel, bias)` whose items are tuples (one block per gate) or single
    blocks (all gates side by side); kernel and bias are None when x⟨t⟩ · W + b is already
    computed. Called on its own, a cell passes its own weights, one per gate. Over a whole
    sequence `layers.RNN` asks `loop_weights()` once, outside the time loop, for the arrangement
    that measured fastest (`loop_fusion()`: for small states one product for all gates), and
    may compute the input half of every gate, `x⟨t⟩ · W + b`, for all time steps in one product
    before the loop (`project()`).

    `get_course_parameters()` and `set_course_parameters()` translate to and from the course's
    layout, in which `W_g (n_a, n_a + n_x)` acts on the stacked column `[a⟨t−1⟩; x⟨t⟩]` (state rows
    first) and `b_g` has shape `(n_a, 1)`. Models saved when the cells kept one matrix for all
    gates (`kernel (n_x, G·n_a)`, `recurrent_kernel (n_a, G·n_a)`, `bias (G·n_a,)`) load into
    this layout.

    Args:
        units: n_a, the size of the hidden state.
        dropout: fraction of the inputs x⟨t⟩ dropped while training; one mask for all steps.
        recurrent_dropout: fraction of the state a⟨t−1⟩ dropped while training, one mask for all
            steps.
        kernel_initializer, recurrent_initializer, bias_initializer: Keras initializers, drawn
            for all gates at once as one `(n_x, G·n_a)`, `(n_a, G·n_a)` or `(G·n_a,)` array.
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
        n_x, n_a = input_shape[-1], self.units
        self.kernels = self._gate_weights("kernel", (n_x, n_a), self.kernel_initializer)
        self.recurrent_kernels = self._gate_weights(
            "recurrent_kernel", (n_a, n_a), self.recurrent_initializer
        )
        self.biases = self._gate_weights("bias", (n_a,), self._initial_bias())

    def _gate_weights(self, name, shape, initializer):
        """One weight per gate, named `{name}_{gate}`, drawn as one matrix for all gates."""
        blocks = GateBlocks(initializer, len(self.GATES))
        return tuple(
            self.add_weight(shape=shape, name=f"{name}_{gate}", initializer=blocks.block(g))
            for g, gate in enumerate(self.GATES)
        )

    def _initial_bias(self):
        return self.bias_initializer

    # -- Time steps ------------------------------------------------------------------------------

    def call(self, inputs, states, training=False):
        if training and self.dropout > 0:
            inputs = ops.multiply(inputs, self.get_dropout_mask(inputs))
        weights = (self.kernels, self.recurrent_kernels, self.biases)
        return self.step(inputs, states, weights, training=training)

    def step(self, x, states, weights, training=False):
        """One time step: the output and the new states, from x⟨t⟩ (or x⟨t⟩ · W + b)."""
        raise NotImplementedError

    def loop_fusion(self):
        """Whether a loop over a sequence puts the gates' (input, recurrent) blocks side by side.

        One product for all gates measured faster for small states, one per gate for large ones
        (`SEPARATE_GATES_FROM`, `SEPARATE_INPUTS_FROM`).
        """
        return self.units < SEPARATE_INPUTS_FROM, self.units < SEPARATE_GATES_FROM

    def loop_weights(self, projected=False):
        """The weights as `step` takes them in a loop over a sequence, built once before it.

        With `projected`, the steps receive x⟨t⟩ · W + b (see `project`) instead of x⟨t⟩.
        """
        fuse_inputs, fuse_recurrent = self.loop_fusion()
        kernel = bias = None
        if not projected:
            kernel, bias = self.kernels, self.biases
            if fuse_inputs:
                kernel, bias = side_by_side(kernel), side_by_side(bias)
        recurrent = self.recurrent_kernels
        if fuse_recurrent:
            recurrent = side_by_side(recurrent)
        return kernel, recurrent, bias

    def project(self, x):
        """The state-free half of every gate, x · W + b, for a whole sequence, gates side by
        side."""
        kernel, bias = side_by_side(self.kernels), side_by_side(self.biases)
        # A 2-D product: a broadcast batch product would build a kernel gradient per example.
        # Static sizes are kept where known: the loop's gradients are simpler with them.
        batch, t_x = (
            size if size is not None else ops.shape(x)[i] for i, size in enumerate(x.shape[:2])
        )
        z = ops.add(ops.matmul(ops.reshape(x, (-1, x.shape[-1])), kernel), bias)
        return ops.reshape(z, (batch, t_x, kernel.shape[-1]))

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

    # -- Models saved with one matrix for all gates ----------------------------------------------

    def fused_groups(self):
        """The weights that were each one matrix with all gates side by side, in saved order."""
        return [self.kernels, self.recurrent_kernels, self.biases]

    def load_own_variables(self, store):
        groups = self.fused_groups()
        if len(store.keys()) == len(self.weights) or len(store.keys()) != len(groups):
            super().load_own_variables(store)
            return
        arrays = [np.asarray(store[str(i)]) for i in range(len(groups))]
        for group, array in zip(groups, arrays, strict=True):
            expected = (*group[0].shape[:-1], len(group) * group[0].shape[-1])
            if array.shape != expected:
                raise ValueError(
                    f"{self.name}: a saved weight has shape {array.shape}, expected "
                    f"{expected} (one matrix for the gates {''.join(self.GATES)})"
                )
        for group, array in zip(groups, arrays, strict=True):
            for variable, block in zip(group, np.split(array, len(group), axis=-1), strict=True):
                variable.assign(block)

    # -- The course's weight layout -------------------------------------------------------------

    def course_parameter_shapes(self, n_x=None):
        """The course's name → shape of every parameter, for inputs of size n_x (default: built)."""
        n_a, n_x = self.units, self._input_size(n_x)
        shapes = {}
        for gate in self.GATES:
            shapes[f"W{gate}"] = (n_a, n_a + n_x)
            shapes[f"b{gate}"] = (n_a, 1)
        return shapes

    def get_course_parameters(self):
        """The weights as a dict of numpy arrays in the course's names and shapes."""
        self._require_built()
        params = {}
        for gate, W_x, W_a, b in zip(
            self.GATES, self.kernels, self.recurrent_kernels, self.biases, strict=True
        ):
            params[f"W{gate}"] = np.concatenate(
                [ops.convert_to_numpy(W_a).T, ops.convert_to_numpy(W_x).T], axis=1
            )
            params[f"b{gate}"] = ops.convert_to_numpy(b)[:, None]
        return params

    def set_course_parameters(self, params):
        """Load weights given in the course's names and shapes (output-layer keys are ignored).

        An unbuilt cell is built for the input size the matrices imply, once all are checked.
        """
        params = self._checked_for_loading(params)
        n_a = self.units
        for gate, W_x, W_a, b in zip(
            self.GATES, self.kernels, self.recurrent_kernels, self.biases, strict=True
        ):
            W = params[f"W{gate}"]
            W_a.assign(W[:, :n_a].T)
            W_x.assign(W[:, n_a:].T)
            b.assign(params[f"b{gate}"][:, 0])

    def _input_size(self, n_x=None):
        if n_x is None:
            self._require_built()
            return self.kernels[0].shape[0]
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
