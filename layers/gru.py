"""The course's two gated recurrent units: the simplified GRU and the full GRU."""

from keras import ops, saving

from layers.cell import CourseCell, gate_inputs, gate_sums


@saving.register_keras_serializable(package="layers")
class SimpleGRUCell(CourseCell):
    """The simplified GRU the course introduces first: a memory cell with one update gate.

    For each time step:

        c̃⟨t⟩ = tanh(Wc[c⟨t−1⟩, x⟨t⟩] + bc)
        Γu   = σ(Wu[c⟨t−1⟩, x⟨t⟩] + bu)
        c⟨t⟩ = Γu ∗ c̃⟨t⟩ + (1 − Γu) ∗ c⟨t−1⟩
        a⟨t⟩ = c⟨t⟩

    With Γu near 0 the cell copies c⟨t−1⟩ forward, which is how a GRU remembers across many steps.

    Args:
        units: n_a, the size of c⟨t⟩.
        dropout, recurrent_dropout, kernel_initializer, recurrent_initializer, bias_initializer,
        seed: as in `layers.cell.CourseCell`.

    Masking: masked steps carry c⟨t−1⟩ unchanged.

    Course parameters: `Wu, Wc (n_a, n_a + n_x)` on `[c⟨t−1⟩; x⟨t⟩]`, `bu, bc (n_a, 1)`. The
    weights themselves, one per gate in the order u, c: `kernels`, `recurrent_kernels`, `biases`.

    Example:
    >>> tuple(layers.RNN(SimpleGRUCell(8))(np.zeros((2, 5, 3), "float32")).shape)
    (2, 8)

    Reference: Sequence Models, week 1, "Gated Recurrent Unit (GRU)" (simplified).
    """

    GATES = ("u", "c")

    def step(self, x, states, weights, training=False):
        c_prev = states[0]
        h = self.recurrent_input(c_prev, training)
        z_u, z_c = gate_sums(x, h, weights, 2)
        gamma_u = ops.sigmoid(z_u)
        c_tilde = ops.tanh(z_c)
        c = ops.add(c_prev, ops.multiply(gamma_u, ops.subtract(c_tilde, c_prev)))
        return c, [c]


@saving.register_keras_serializable(package="layers")
class GRUCell(CourseCell):
    """The full GRU: the simplified GRU plus a relevance gate Γr on the memory.

    For each time step:

        Γr   = σ(Wr[c⟨t−1⟩, x⟨t⟩] + br)
        c̃⟨t⟩ = tanh(Wc[Γr ∗ c⟨t−1⟩, x⟨t⟩] + bc)
        Γu   = σ(Wu[c⟨t−1⟩, x⟨t⟩] + bu)
        c⟨t⟩ = Γu ∗ c̃⟨t⟩ + (1 − Γu) ∗ c⟨t−1⟩
        a⟨t⟩ = c⟨t⟩

    This is Keras' `GRU(reset_after=False)` with its update gate z = 1 − Γu.

    Args:
        units: n_a, the size of c⟨t⟩.
        dropout, recurrent_dropout, kernel_initializer, recurrent_initializer, bias_initializer,
        seed: as in `layers.cell.CourseCell`.

    Masking: masked steps carry c⟨t−1⟩ unchanged.

    Course parameters: `Wu, Wr, Wc (n_a, n_a + n_x)` on `[c⟨t−1⟩; x⟨t⟩]` (for Wc the state rows
    act on Γr ∗ c⟨t−1⟩), `bu, br, bc (n_a, 1)`. The weights themselves, one per gate in the
    order u, r, c: `kernels`, `recurrent_kernels`, `biases`.

    Example:
    >>> rnn = layers.RNN(GRUCell(8), return_sequences=True)
    >>> tuple(rnn(np.zeros((2, 5, 3), "float32")).shape)
    (2, 5, 8)

    Reference: Sequence Models, week 1, "Gated Recurrent Unit (GRU)"; Cho et al., 2014.
    """

    GATES = ("u", "r", "c")

    def loop_fusion(self):
        # Γr acts before c̃'s recurrent product, so that product stands alone anyway. The input
        # halves in one product and the recurrent products gate by gate measured fastest at
        # 64, 128 and 256 units (timed in rounds as benchmarks/cells.py times).
        return True, False

    def step(self, x, states, weights, training=False):
        c_prev = states[0]
        h = self.recurrent_input(c_prev, training)
        kernel, (U_u, U_r, U_c), bias = weights
        x_u, x_r, x_c = gate_inputs(x, kernel, bias, 3)
        gamma_u = ops.sigmoid(ops.add(x_u, ops.matmul(h, U_u)))
        gamma_r = ops.sigmoid(ops.add(x_r, ops.matmul(h, U_r)))
        c_tilde = ops.tanh(ops.add(x_c, ops.matmul(ops.multiply(gamma_r, h), U_c)))
        c = ops.add(c_prev, ops.multiply(gamma_u, ops.subtract(c_tilde, c_prev)))
        return c, [c]
