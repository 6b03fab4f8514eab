"""The Sequence Models course's recurrent cells as plain numpy, forward and backward.

This module is the reference that the Keras cells in `layers/` are checked against, and a place
for a learner to read the course's equations as code. It follows the course's shapes, names and
return values, so each function can be set beside the one the course asks you to write:

    x   (n_x, m, T_x)   inputs, one column per example, time on the last axis
    a   (n_a, m, T_x)   hidden states a⟨1⟩ ... a⟨T_x⟩
    y   (n_y, m, T_x)   per-step softmax predictions
    a0  (n_a, m)        initial hidden state a⟨0⟩

Parameters are dicts of arrays in the course's names. Every weight matrix `W` that acts on two
inputs has shape (n_a, n_a + n_x) and multiplies the stacked column [state; x⟨t⟩], state rows
first; every bias has shape (n_a, 1):

    basic RNN  Wax (n_a, n_x), Waa (n_a, n_a), ba (n_a, 1), Wya (n_y, n_a), by (n_y, 1)
    LSTM       Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy (n_y, n_a), by (n_y, 1)   (Wi/bi: update gate Γu)
    full GRU   Wu, bu, Wr, br, Wc, bc, Wy (n_y, n_a), by (n_y, 1)

The full GRU is not in the course's assignments; it is written here with the same conventions:

    Γr = σ(Wr [c⟨t−1⟩; x⟨t⟩] + br)
    c̃⟨t⟩ = tanh(Wc [Γr ∗ c⟨t−1⟩; x⟨t⟩] + bc)
    Γu = σ(Wu [c⟨t−1⟩; x⟨t⟩] + bu)
    c⟨t⟩ = Γu ∗ c̃⟨t⟩ + (1 − Γu) ∗ c⟨t−1⟩,   a⟨t⟩ = c⟨t⟩

The backward passes take da, the gradient of a loss with respect to the hidden states (as if the
loss were computed from `a` by some output layer), and return the gradients with respect to the
inputs, the initial state and the cell's parameters (not the output layer's). Each step t receives
da[:, :, t] plus the da_prev (and, for the LSTM, dc_prev) handed back by step t + 1.

`numerical_gradient`, `relative_error` and `gradient_check` check any of these gradients against
central finite differences, as in the course's gradient-checking exercise.
"""

import numpy as np

__all__ = [
    "gradient_check",
    "gru_backward",
    "gru_cell_backward",
    "gru_cell_forward",
    "gru_forward",
    "lstm_backward",
    "lstm_cell_backward",
    "lstm_cell_forward",
    "lstm_forward",
    "numerical_gradient",
    "relative_error",
    "rnn_backward",
    "rnn_cell_backward",
    "rnn_cell_forward",
    "rnn_forward",
    "sigmoid",
    "softmax",
]


def sigmoid(z):
    """σ(z) = 1 / (1 + e^−z), element-wise, without overflow for large |z|."""
    # np.exp(-z) overflows for z << 0; e^−|z| never does, and both branches stay accurate.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    """Softmax over axis 0, so each column (one example) sums to 1.

    Arguments:
    z -- logits, shape (n_y, m)

    Returns:
    probabilities, shape (n_y, m)
    """
    # Subtracting the column maximum leaves the result unchanged and keeps exp() from overflowing.
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# ---------------------------------------------------------------------------------------------
# Basic RNN
# ---------------------------------------------------------------------------------------------


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the basic RNN.

        a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba)
        ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by)

    Arguments:
    xt -- input at step t, shape (n_x, m)
    a_prev -- hidden state a⟨t−1⟩, shape (n_a, m)
    parameters -- dict with Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1)

    Returns:
    a_next -- hidden state a⟨t⟩, shape (n_a, m)
    yt_pred -- prediction ŷ⟨t⟩, shape (n_y, m)
    cache -- (a_next, a_prev, xt, parameters), for rnn_cell_backward
    """
    Wax, Waa, ba = parameters["Wax"], parameters["Waa"], parameters["ba"]
    a_next = np.tanh(Waa @ a_prev + Wax @ xt + ba)
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    """The basic RNN over T_x steps, starting from a⟨0⟩ = a0.

    Arguments:
    x -- inputs, shape (n_x, m, T_x)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- as for rnn_cell_forward

    Returns:
    a -- hidden states a⟨1⟩ ... a⟨T_x⟩, shape (n_a, m, T_x)
    y_pred -- predictions, shape (n_y, m, T_x)
    caches -- (list of the T_x step caches, x), for rnn_backward
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wya"].shape[0]
    a = np.zeros((n_a, m, T_x), dtype=np.result_type(x, a0))
    y_pred = np.zeros((n_y, m, T_x), dtype=a.dtype)
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def rnn_cell_backward(da_next, cache):
    """Backward pass of one basic-RNN step.

    Arguments:
    da_next -- gradient of the loss with respect to a⟨t⟩, shape (n_a, m)
    cache -- the cache returned by rnn_cell_forward

    Returns:
    dict with
        dxt -- gradient with respect to x⟨t⟩, shape (n_x, m)
        da_prev -- gradient with respect to a⟨t−1⟩, shape (n_a, m)
        dWax -- shape (n_a, n_x)
        dWaa -- shape (n_a, n_a)
        dba -- shape (n_a, 1)
    """
    a_next, a_prev, xt, parameters = cache
    # tanh'(z) = 1 − tanh(z)², and tanh(z) is a⟨t⟩ itself.
    dz = da_next * (1.0 - a_next**2)
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": np.sum(dz, axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    """Backpropagation through time for the basic RNN.

    Arguments:
    da -- gradient of the loss with respect to every a⟨t⟩, shape (n_a, m, T_x)
    caches -- the caches returned by rnn_forward

    Returns:
    dict with
        dx -- shape (n_x, m, T_x)
        da0 -- gradient with respect to a⟨0⟩, shape (n_a, m)
        dWax -- shape (n_a, n_x)
        dWaa -- shape (n_a, n_a)
        dba -- shape (n_a, 1)
    """
    step_caches, x = caches
    n_a, m, T_x = da.shape
    gradients = {
        "dx": np.zeros_like(x, dtype=np.result_type(x, da)),
        "dWax": np.zeros_like(step_caches[0][3]["Wax"]),
        "dWaa": np.zeros_like(step_caches[0][3]["Waa"]),
        "dba": np.zeros_like(step_caches[0][3]["ba"]),
    }
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        step = rnn_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        gradients["dx"][:, :, t] = step["dxt"]
        for name in ("dWax", "dWaa", "dba"):
            gradients[name] += step[name]
        da_prevt = step["da_prev"]
    gradients["da0"] = da_prevt
    return gradients


# ---------------------------------------------------------------------------------------------
# LSTM
# ---------------------------------------------------------------------------------------------


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One LSTM step, with [a⟨t−1⟩; x⟨t⟩] the stacked column (state rows first):

        Γf = σ(Wf [a⟨t−1⟩; x⟨t⟩] + bf)          forget gate
        Γu = σ(Wi [a⟨t−1⟩; x⟨t⟩] + bi)          update gate
        c̃⟨t⟩ = tanh(Wc [a⟨t−1⟩; x⟨t⟩] + bc)
        c⟨t⟩ = Γf ∗ c⟨t−1⟩ + Γu ∗ c̃⟨t⟩
        Γo = σ(Wo [a⟨t−1⟩; x⟨t⟩] + bo)          output gate
        a⟨t⟩ = Γo ∗ tanh(c⟨t⟩),   ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)

    Arguments:
    xt -- input at step t, shape (n_x, m)
    a_prev -- hidden state a⟨t−1⟩, shape (n_a, m)
    c_prev -- memory cell c⟨t−1⟩, shape (n_a, m)
    parameters -- dict with Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1),
                  Wy (n_y, n_a), by (n_y, 1)

    Returns:
    a_next -- hidden state a⟨t⟩, shape (n_a, m)
    c_next -- memory cell c⟨t⟩, shape (n_a, m)
    yt_pred -- prediction ŷ⟨t⟩, shape (n_y, m)
    cache -- (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters), for
             lstm_cell_backward; ft, it, ot are Γf, Γu, Γo and cct is c̃⟨t⟩, each (n_a, m)
    """
    concat = np.concatenate([a_prev, xt], axis=0)
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    """The LSTM over T_x steps, starting from a⟨0⟩ = a0 and c⟨0⟩ = 0.

    Arguments:
    x -- inputs, shape (n_x, m, T_x)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- as for lstm_cell_forward

    Returns:
    a -- hidden states a⟨1⟩ ... a⟨T_x⟩, shape (n_a, m, T_x)
    y -- predictions, shape (n_y, m, T_x)
    c -- memory cells c⟨1⟩ ... c⟨T_x⟩, shape (n_a, m, T_x)
    caches -- (list of the T_x step caches, x), for lstm_backward
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wy"].shape[0]
    dtype = np.result_type(x, a0)
    a = np.zeros((n_a, m, T_x), dtype=dtype)
    c = np.zeros((n_a, m, T_x), dtype=dtype)
    y = np.zeros((n_y, m, T_x), dtype=dtype)
    step_caches = []
    a_next, c_next = a0, np.zeros_like(a0, dtype=dtype)
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        step_caches.append(cache)
    return a, y, c, (step_caches, x)


def lstm_cell_backward(da_next, dc_next, cache):
    """Backward pass of one LSTM step.

    With dc = dc_next + da_next ∗ Γo ∗ (1 − tanh²(c⟨t⟩)) the total gradient reaching c⟨t⟩, the
    gradients with respect to the gates' pre-activations are

        dΓo = da_next ∗ tanh(c⟨t⟩) ∗ Γo ∗ (1 − Γo)
        dc̃ = dc ∗ Γu ∗ (1 − c̃⟨t⟩²)
        dΓu = dc ∗ c̃⟨t⟩ ∗ Γu ∗ (1 − Γu)
        dΓf = dc ∗ c⟨t−1⟩ ∗ Γf ∗ (1 − Γf)

    and dc_prev = dc ∗ Γf.

    Arguments:
    da_next -- gradient of the loss with respect to a⟨t⟩, shape (n_a, m)
    dc_next -- gradient of the loss with respect to c⟨t⟩, shape (n_a, m)
    cache -- the cache returned by lstm_cell_forward

    Returns:
    dict with
        dxt -- gradient with respect to x⟨t⟩, shape (n_x, m)
        da_prev -- gradient with respect to a⟨t−1⟩, shape (n_a, m)
        dc_prev -- gradient with respect to c⟨t−1⟩, shape (n_a, m)
        dWf, dWi, dWc, dWo -- shape (n_a, n_a + n_x)
        dbf, dbi, dbc, dbo -- shape (n_a, 1)
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1.0 - tanh_c**2)
    dot = da_next * tanh_c * ot * (1.0 - ot)
    dcct = dc * it * (1.0 - cct**2)
    dit = dc * cct * it * (1.0 - it)
    dft = dc * c_prev * ft * (1.0 - ft)

    concat = np.concatenate([a_prev, xt], axis=0)
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dbf": np.sum(dft, axis=1, keepdims=True),
        "dWi": dit @ concat.T,
        "dbi": np.sum(dit, axis=1, keepdims=True),
        "dWc": dcct @ concat.T,
        "dbc": np.sum(dcct, axis=1, keepdims=True),
        "dWo": dot @ concat.T,
        "dbo": np.sum(dot, axis=1, keepdims=True),
    }


_LSTM_PARAMETER_GRADIENTS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")


def lstm_backward(da, caches):
    """Backpropagation through time for the LSTM (no gradient flows into c⟨T_x⟩ from outside).

    Arguments:
    da -- gradient of the loss with respect to every a⟨t⟩, shape (n_a, m, T_x)
    caches -- the caches returned by lstm_forward

    Returns:
    dict with
        dx -- shape (n_x, m, T_x)
        da0 -- gradient with respect to a⟨0⟩, shape (n_a, m)
        dWf, dWi, dWc, dWo -- shape (n_a, n_a + n_x)
        dbf, dbi, dbc, dbo -- shape (n_a, 1)
    """
    step_caches, x = caches
    n_a, m, T_x = da.shape
    parameters = step_caches[0][-1]
    gradients = {"dx": np.zeros_like(x, dtype=np.result_type(x, da))}
    for name in _LSTM_PARAMETER_GRADIENTS:
        gradients[name] = np.zeros_like(parameters[name[1:]])
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    dc_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        step = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, step_caches[t])
        gradients["dx"][:, :, t] = step["dxt"]
        for name in _LSTM_PARAMETER_GRADIENTS:
            gradients[name] += step[name]
        da_prevt, dc_prevt = step["da_prev"], step["dc_prev"]
    gradients["da0"] = da_prevt
    return gradients


# ---------------------------------------------------------------------------------------------
# Full GRU (not in the course's assignments; same conventions)
# ---------------------------------------------------------------------------------------------


def gru_cell_forward(xt, a_prev, parameters):
    """One step of the full GRU, with a⟨t−1⟩ = c⟨t−1⟩:

        Γr = σ(Wr [c⟨t−1⟩; x⟨t⟩] + br)                relevance gate
        c̃⟨t⟩ = tanh(Wc [Γr ∗ c⟨t−1⟩; x⟨t⟩] + bc)
        Γu = σ(Wu [c⟨t−1⟩; x⟨t⟩] + bu)                update gate
        c⟨t⟩ = Γu ∗ c̃⟨t⟩ + (1 − Γu) ∗ c⟨t−1⟩
        a⟨t⟩ = c⟨t⟩,   ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)

    Arguments:
    xt -- input at step t, shape (n_x, m)
    a_prev -- hidden state a⟨t−1⟩ = c⟨t−1⟩, shape (n_a, m)
    parameters -- dict with Wu, Wr, Wc (n_a, n_a + n_x), bu, br, bc (n_a, 1),
                  Wy (n_y, n_a), by (n_y, 1)

    Returns:
    a_next -- hidden state a⟨t⟩ = c⟨t⟩, shape (n_a, m)
    yt_pred -- prediction ŷ⟨t⟩, shape (n_y, m)
    cache -- (a_next, a_prev, rt, ut, cct, xt, parameters), for gru_cell_backward; rt, ut are
             Γr, Γu and cct is c̃⟨t⟩, each (n_a, m)
    """
    concat = np.concatenate([a_prev, xt], axis=0)
    rt = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    concat_r = np.concatenate([rt * a_prev, xt], axis=0)
    cct = np.tanh(parameters["Wc"] @ concat_r + parameters["bc"])
    ut = sigmoid(parameters["Wu"] @ concat + parameters["bu"])
    a_next = ut * cct + (1.0 - ut) * a_prev
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, a_prev, rt, ut, cct, xt, parameters)
    return a_next, yt_pred, cache


def gru_forward(x, a0, parameters):
    """The full GRU over T_x steps, starting from a⟨0⟩ = c⟨0⟩ = a0.

    Arguments:
    x -- inputs, shape (n_x, m, T_x)
    a0 -- initial hidden state, shape (n_a, m)
    parameters -- as for gru_cell_forward

    Returns:
    a -- hidden states a⟨1⟩ ... a⟨T_x⟩ (equal to c⟨t⟩), shape (n_a, m, T_x)
    y_pred -- predictions, shape (n_y, m, T_x)
    caches -- (list of the T_x step caches, x), for gru_backward
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    n_y = parameters["Wy"].shape[0]
    a = np.zeros((n_a, m, T_x), dtype=np.result_type(x, a0))
    y_pred = np.zeros((n_y, m, T_x), dtype=a.dtype)
    step_caches = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        step_caches.append(cache)
    return a, y_pred, (step_caches, x)


def gru_cell_backward(da_next, cache):
    """Backward pass of one full-GRU step.

    With dc = da_next, the gradients with respect to the pre-activations are

        dc̃ = dc ∗ Γu ∗ (1 − c̃⟨t⟩²)
        dΓu = dc ∗ (c̃⟨t⟩ − c⟨t−1⟩) ∗ Γu ∗ (1 − Γu)
        dΓr = d(Γr ∗ c⟨t−1⟩) ∗ c⟨t−1⟩ ∗ Γr ∗ (1 − Γr),   d(Γr ∗ c⟨t−1⟩) = first n_a rows of Wcᵀ dc̃

    and c⟨t−1⟩ collects gradient along four paths: directly through (1 − Γu), through Γr ∗ c⟨t−1⟩
    inside c̃, and as an input of the Γu and Γr gates.

    Arguments:
    da_next -- gradient of the loss with respect to a⟨t⟩ = c⟨t⟩, shape (n_a, m)
    cache -- the cache returned by gru_cell_forward

    Returns:
    dict with
        dxt -- gradient with respect to x⟨t⟩, shape (n_x, m)
        da_prev -- gradient with respect to a⟨t−1⟩ = c⟨t−1⟩, shape (n_a, m)
        dWu, dWr, dWc -- shape (n_a, n_a + n_x)
        dbu, dbr, dbc -- shape (n_a, 1)
    """
    a_next, a_prev, rt, ut, cct, xt, parameters = cache
    n_a = a_next.shape[0]
    dcct = da_next * ut * (1.0 - cct**2)
    dut = da_next * (cct - a_prev) * ut * (1.0 - ut)

    dconcat_r = parameters["Wc"].T @ dcct
    drc = dconcat_r[:n_a]
    drt = drc * a_prev * rt * (1.0 - rt)

    concat = np.concatenate([a_prev, xt], axis=0)
    concat_r = np.concatenate([rt * a_prev, xt], axis=0)
    dconcat = parameters["Wu"].T @ dut + parameters["Wr"].T @ drt
    return {
        "dxt": dconcat[n_a:] + dconcat_r[n_a:],
        "da_prev": dconcat[:n_a] + drc * rt + da_next * (1.0 - ut),
        "dWu": dut @ concat.T,
        "dbu": np.sum(dut, axis=1, keepdims=True),
        "dWr": drt @ concat.T,
        "dbr": np.sum(drt, axis=1, keepdims=True),
        "dWc": dcct @ concat_r.T,
        "dbc": np.sum(dcct, axis=1, keepdims=True),
    }


_GRU_PARAMETER_GRADIENTS = ("dWu", "dbu", "dWr", "dbr", "dWc", "dbc")


def gru_backward(da, caches):
    """Backpropagation through time for the full GRU.

    Arguments:
    da -- gradient of the loss with respect to every a⟨t⟩, shape (n_a, m, T_x)
    caches -- the caches returned by gru_forward

    Returns:
    dict with
        dx -- shape (n_x, m, T_x)
        da0 -- gradient with respect to a⟨0⟩, shape (n_a, m)
        dWu, dWr, dWc -- shape (n_a, n_a + n_x)
        dbu, dbr, dbc -- shape (n_a, 1)
    """
    step_caches, x = caches
    n_a, m, T_x = da.shape
    parameters = step_caches[0][-1]
    gradients = {"dx": np.zeros_like(x, dtype=np.result_type(x, da))}
    for name in _GRU_PARAMETER_GRADIENTS:
        gradients[name] = np.zeros_like(parameters[name[1:]])
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        step = gru_cell_backward(da[:, :, t] + da_prevt, step_caches[t])
        gradients["dx"][:, :, t] = step["dxt"]
        for name in _GRU_PARAMETER_GRADIENTS:
            gradients[name] += step[name]
        da_prevt = step["da_prev"]
    gradients["da0"] = da_prevt
    return gradients


# ---------------------------------------------------------------------------------------------
# Gradient checking
# ---------------------------------------------------------------------------------------------


def numerical_gradient(f, array, eps=1e-6):
    """Central finite-difference gradient of a scalar function with respect to one array.

    Each entry of `array` is nudged in place by ±eps, f() is called, and the entry is restored,
    so `f` must read `array` itself (a closure over the parameters dict, say):

        dWax = numerical_gradient(lambda: loss(x, a0, parameters), parameters["Wax"])

    Arguments:
    f -- callable with no arguments returning a scalar (the loss J)
    array -- float array that f depends on; modified during the call, unchanged after it
    eps -- the step; 1e-6 suits float64 (float32 needs about 1e-3 and gives far looser checks)

    Returns:
    array of the same shape: (J(θ + ε) − J(θ − ε)) / 2ε for each entry θ
    """
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        original = array[index]
        array[index] = original + eps
        j_plus = float(f())
        array[index] = original - eps
        j_minus = float(f())
        array[index] = original
        grad[index] = (j_plus - j_minus) / (2.0 * eps)
    return grad


def relative_error(grad, gradapprox):
    """The course's difference ‖grad − gradapprox‖₂ / (‖grad‖₂ + ‖gradapprox‖₂); 0 if both are 0.

    Below about 1e-7 the backward pass is right; above about 1e-3 it is almost surely wrong.
    """
    numerator = np.linalg.norm(np.ravel(grad) - np.ravel(gradapprox))
    denominator = np.linalg.norm(np.ravel(grad)) + np.linalg.norm(np.ravel(gradapprox))
    return 0.0 if denominator == 0.0 else float(numerator / denominator)


def gradient_check(f, arrays, gradients, eps=1e-6):
    """Compare analytic gradients with finite differences, array by array.

    Arguments:
    f -- callable with no arguments returning the scalar loss, reading the arrays in `arrays`
    arrays -- dict name -> array to check, e.g. {"x": x, "a0": a0, "Wax": parameters["Wax"]}
    gradients -- dict holding "d" + name for every name in `arrays`, as the backward passes
                 return them ({"dx": ..., "da0": ..., "dWax": ...})
    eps -- finite-difference step, as in numerical_gradient

    Returns:
    dict name -> relative_error between gradients["d" + name] and the numerical gradient
    """
    return {
        name: relative_error(gradients["d" + name], numerical_gradient(f, array, eps))
        for name, array in arrays.items()
    }
