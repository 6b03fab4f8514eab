"""The course's two architectures built from any cell: bidirectional and deep RNNs."""

from keras import layers

from layers.recurrent import RNN


def fresh_copy(cell):
    """A new cell with the same configuration and its own, unbuilt weights."""
    config = cell.get_config()
    config.pop("name", None)
    return type(cell).from_config(config)


def bidirectional(cell, return_sequences=True, merge_mode="concat", name=None, **rnn_kwargs):
    """A bidirectional RNN: one pass forward and one backward over the sequence.

    ŷ⟨t⟩ can then depend on the whole input, a→⟨t⟩ from x⟨1⟩…x⟨t⟩ and a←⟨t⟩ from x⟨Tx⟩…x⟨t⟩,
    merged by `merge_mode` ("concat" gives [a→⟨t⟩, a←⟨t⟩]). Each pass gets its own copy of
    `cell`, rebuilt from its config by `keras.layers.Bidirectional`: weights already loaded into
    `cell` are not used; load them into `layer.forward_layer.cell` and
    `layer.backward_layer.cell` once the layer is built.

    Args:
        cell: a course cell (or any Keras RNN cell).
        return_sequences: return a⟨t⟩ for every t rather than only the last.
        merge_mode: "concat", "sum", "mul", "ave" or None, as in `keras.layers.Bidirectional`.
        name: name of the `Bidirectional` layer.
        **rnn_kwargs: passed to `layers.RNN` (e.g. `return_state`).

    Returns:
        A `keras.layers.Bidirectional` layer.
    """
    rnn = RNN(cell, return_sequences=return_sequences, **rnn_kwargs)
    return layers.Bidirectional(rnn, merge_mode=merge_mode, name=name)


def deep_rnn(
    inputs,
    cell,
    num_layers=2,
    bidirectional=False,
    return_sequences=True,
    head=None,
    head_activation=None,
    name=None,
):
    """Stack L recurrent layers on a Functional-API tensor, as the course's deep RNN.

    Layer l reads the sequence a[l−1]⟨1⟩…a[l−1]⟨Tx⟩ of the layer below; each layer gets a fresh
    copy of `cell`. The last layer returns its whole sequence or, with `return_sequences=False`,
    its last step; an optional dense head (`Dense` on the last axis, so it applies at every step)
    gives ŷ.

    Args:
        inputs: the input tensor, (batch, Tx, n_x); a Keras mask on it is honoured.
        cell: a cell to copy for every layer.
        num_layers: L.
        bidirectional: one bool for all layers, or one per layer.
        return_sequences: what the last recurrent layer returns.
        head: units of the dense head, or None for no head.
        head_activation: activation of the head, e.g. "softmax".
        name: prefix of the layer names (Keras picks unique names when None).

    Returns:
        The output tensor.
    """
    if num_layers < 1:
        raise ValueError(f"num_layers must be at least 1, got {num_layers}")
    if isinstance(bidirectional, bool):
        bidirectional = [bidirectional] * num_layers
    if len(bidirectional) != num_layers:
        raise ValueError(
            f"bidirectional has {len(bidirectional)} entries for {num_layers} layers"
        )
    def layer_name(part):
        return f"{name}_{part}" if name else None

    x = inputs
    for l, both_ways in enumerate(bidirectional, start=1):
        keep_sequence = return_sequences or l < num_layers
        rnn = RNN(fresh_copy(cell), return_sequences=keep_sequence, name=layer_name(f"rnn_{l}"))
        if both_ways:
            rnn = layers.Bidirectional(rnn, name=layer_name(f"bidirectional_{l}"))
        x = rnn(x)
    if head is not None:
        x = layers.Dense(head, activation=head_activation, name=layer_name("head"))(x)
    return x
