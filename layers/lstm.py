"""The course's long short-term memory cell, with optional peephole connections."""

from keras import ops, saving

from layers.cell import CourseCell, gate_sums

PEEPHOLES = ("f", "i", "o")


@saving.register_keras_serializable(package="layers")
class LSTMCell(CourseCell):
    """The LSTM cell of the course: forget, update and output gates around a memory cell.

    For each time step:

        Γf   = σ(Wf[a⟨t−1⟩, x⟨t⟩] + bf)
        Γu   = σ(Wu[a⟨t−1⟩, x⟨t⟩] + bu)
        Γo   = σ(Wo[a⟨t−1⟩, x⟨t⟩] + bo)
        c̃⟨t⟩ = tanh(Wc[a⟨t−1⟩, x⟨t⟩] + bc)
        c⟨t⟩ = Γu ∗ c̃⟨t⟩ + Γf ∗ c⟨t−1⟩
        a⟨t⟩ = Γo ∗ tanh(c⟨t⟩)

    With `peephole=True` each gate also sees c⟨t−1⟩ through a diagonal weight vector:
    Γf = σ(Wf[a⟨t−1⟩, x⟨t⟩] + pf ∗ c⟨t−1⟩ + bf), likewise Γu with pi and Γo with po.

    The states are [a, c]: with `return_state=True` an RNN returns a⟨T⟩ then c⟨T⟩.

    Args:
        units: n_a, the size of a⟨t⟩ and c⟨t⟩.
        peephole: add the peephole vectors pf, pi, po.
        unit_forget_bias: start bf at 1, as Keras does, so that Γf starts near open.
        dropout, recurrent_dropout, kernel_initializer, recurrent_initializer, bias_initializer,
        seed: as in `layers.cell.CourseCell`.

    Masking: masked steps carry a⟨t−1⟩ and c⟨t−1⟩ unchanged.

    Course parameters: `Wf, Wi, Wc, Wo (n_a, n_a + n_x)` on `[a⟨t−1⟩; x⟨t⟩]`,
    `bf, bi, bc, bo (n_a, 1)` (the course names the update gate's weights Wi, bi), and with
    peepholes `pf, pi, po (n_a, 1)`. The weights themselves, one per gate in the order f, i, o,
    c: `kernels`, `recurrent_kernels`, `biases`, and `peepholes` (f, i, o).

    Example:
    >>> a, a_T, c_T = layers.RNN(LSTMCell(8), return_sequences=True, return_state=True)(
    ...     np.zeros((2, 5, 3), "float32"))
    >>> tuple(a.shape), tuple(c_T.shape)
    ((2, 5, 8), (2, 8))

    Reference: Sequence Models, week 1, "Long Short Term Memory (LSTM)"; Hochreiter and
    Schmidhuber, 1997; Gers and Schmidhuber, 2000 (peepholes).
    """

    GATES = ("f", "i", "o", "c")

    def __init__(self, units, peephole=False, unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.peephole = bool(peephole)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]

    @property
    def n_states(self):
        return 2

    def build(self, input_shape):
        super().build(input_shape)
        self.peepholes = ()
        if self.peephole:
            self.peepholes = tuple(
                self.add_weight(shape=(self.units,), name=f"peephole_{gate}", initializer="zeros")
                for gate in PEEPHOLES
            )

    def _initial_bias(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        n_a, rest = self.units, self.bias_initializer

        def forget_open(shape, dtype=None):
            return ops.concatenate(
                [ops.ones((n_a,), dtype=dtype), rest((shape[0] - n_a,), dtype=dtype)]
            )

        return forget_open

    def step(self, x, states, weights, training=False):
        a_prev, c_prev = states[0], states[1]
        h = self.recurrent_input(a_prev, training)
        z_f, z_u, z_o, z_c = gate_sums(x, h, weights, 4)
        if self.peephole:
            p_f, p_u, p_o = self.peepholes
            z_f = ops.add(z_f, ops.multiply(p_f, c_prev))
            z_u = ops.add(z_u, ops.multiply(p_u, c_prev))
            z_o = ops.add(z_o, ops.multiply(p_o, c_prev))
        c = ops.add(
            ops.multiply(ops.sigmoid(z_u), ops.tanh(z_c)), ops.multiply(ops.sigmoid(z_f), c_prev)
        )
        a = ops.multiply(ops.sigmoid(z_o), ops.tanh(c))
        return a, [a, c]

    def fused_groups(self):
        return super().fused_groups() + ([self.peepholes] if self.peephole else [])

    def course_parameter_shapes(self, n_x=None):
        shapes = super().course_parameter_shapes(n_x)
        if self.peephole:
            shapes.update({f"p{gate}": (self.units, 1) for gate in PEEPHOLES})
        return shapes

    def get_course_parameters(self):
        params = super().get_course_parameters()
        if self.peephole:
            for gate, p in zip(PEEPHOLES, self.peepholes, strict=True):
                params[f"p{gate}"] = ops.convert_to_numpy(p)[:, None]
        return params

    def set_course_parameters(self, params):
        super().set_course_parameters(params)
        if self.peephole:
            checked = self._checked(params)
            for gate, p in zip(PEEPHOLES, self.peepholes, strict=True):
                p.assign(checked[f"p{gate}"][:, 0])

    def get_config(self):
        config = super().get_config()
        config.update({"peephole": self.peephole, "unit_forget_bias": self.unit_forget_bias})
        return config
