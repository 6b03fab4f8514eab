"""The course's basic RNN cell."""

from keras import activations, ops, saving

from layers.cell import CourseCell, gate_sums

ACTIVATIONS = ("tanh", "relu")


@saving.register_keras_serializable(package="layers")
class BasicRNNCell(CourseCell):
    """The basic recurrent cell of the course.

    For each time step:

        a⟨t⟩ = g(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba) = g(Wa[a⟨t−1⟩, x⟨t⟩] + ba)

    with g = tanh (the course's choice) or ReLU. The output of the cell is a⟨t⟩; the course's
    ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by) is a `Dense` layer on top of the RNN.

    Args:
        units: n_a, the size of a⟨t⟩.
        activation: "tanh" or "relu".
        dropout, recurrent_dropout, kernel_initializer, recurrent_initializer, bias_initializer,
        seed: as in `layers.cell.CourseCell`.

    Masking: inside `keras.layers.RNN` or `layers.RNN`, masked steps carry a⟨t−1⟩ unchanged.

    Course parameters: `Wax (n_a, n_x)`, `Waa (n_a, n_a)`, `ba (n_a, 1)`; the weights
    themselves: `kernels[0]` (Waxᵀ), `recurrent_kernels[0]` (Waaᵀ) and `biases[0]`.

    Example:
    >>> rnn = layers.RNN(BasicRNNCell(16), return_sequences=True)
    >>> tuple(rnn(np.zeros((2, 5, 3), "float32")).shape)
    (2, 5, 16)

    Reference: Sequence Models, week 1, "Recurrent Neural Network Model".
    """

    GATES = ("a",)

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, **kwargs)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        self.activation = activation
        self._g = activations.get(activation)

    def loop_fusion(self):
        # One gate: nothing to put side by side; its bias goes in before the recurrent product.
        return False, False

    def step(self, x, states, weights, training=False):
        a_prev = states[0]
        h = self.recurrent_input(a_prev, training)
        (z,) = gate_sums(x, h, weights, 1)
        # Keras 3.15's JAX backend returns tanh of float64 as float32; the state keeps z's type.
        a = ops.cast(self._g(z), z.dtype)
        return a, [a]

    def course_parameter_shapes(self, n_x=None):
        n_a, n_x = self.units, self._input_size(n_x)
        return {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "ba": (n_a, 1)}

    def get_course_parameters(self):
        self._require_built()
        return {
            "Wax": ops.convert_to_numpy(self.kernels[0]).T.copy(),
            "Waa": ops.convert_to_numpy(self.recurrent_kernels[0]).T.copy(),
            "ba": ops.convert_to_numpy(self.biases[0])[:, None].copy(),
        }

    def set_course_parameters(self, params):
        params = self._checked_for_loading(params)
        self.kernels[0].assign(params["Wax"].T)
        self.recurrent_kernels[0].assign(params["Waa"].T)
        self.biases[0].assign(params["ba"][:, 0])

    def _sizing_parameter(self):
        return "Wax", 0

    def get_config(self):
        config = super().get_config()
        config["activation"] = self.activation
        return config
