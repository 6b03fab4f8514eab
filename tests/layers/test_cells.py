"""The checks every course cell must pass: shapes, configuration, serialization, course layout."""

import keras
import numpy as np
import pytest

from layers import RNN
from tests.layers.helpers import (
    cell_parameters,
    copy_cell,
    course_parameters,
    every_cell,
    loaded_cell,
    make_cell,
    n_states,
    randomize,
    rnn_classes,
)

N_X, N_A, M, T_X = 3, 4, 2, 5

# Every argument away from its default, so a get_config that forgets one is caught.
NON_DEFAULTS = {
    "dropout": 0.25,
    "recurrent_dropout": 0.5,
    "kernel_initializer": "he_normal",
    "recurrent_initializer": "glorot_normal",
    "bias_initializer": "ones",
    "seed": 7,
    "name": "course_cell",
}
KIND_NON_DEFAULTS = {
    "rnn": {"activation": "relu"},
    "lstm": {"unit_forget_bias": False},
    "lstm_peephole": {"unit_forget_bias": False},
}


def configured_cell(kind):
    return make_cell(kind, N_A, **NON_DEFAULTS, **KIND_NON_DEFAULTS.get(kind, {}))


# --- Shapes -------------------------------------------------------------------------------


@every_cell
@rnn_classes
def test_rnn_outputs_have_the_documented_shapes(rng, kind, rnn_class):
    x = rng.standard_normal((M, T_X, N_X)).astype("float32")
    sequence, *states = rnn_class(make_cell(kind, N_A), return_sequences=True, return_state=True)(x)
    assert sequence.shape == (M, T_X, N_A)
    assert [s.shape for s in states] == [(M, N_A)] * n_states(kind)
    np.testing.assert_array_equal(sequence[:, -1], states[0])
    last = rnn_class(make_cell(kind, N_A))(x)
    assert last.shape == (M, N_A)


@every_cell
def test_symbolic_shapes_keep_an_unknown_time_length(kind):
    x = keras.Input((None, N_X))
    sequence, *states = RNN(make_cell(kind, N_A), return_sequences=True, return_state=True)(x)
    assert tuple(sequence.shape) == (None, None, N_A)
    assert [tuple(s.shape) for s in states] == [(None, N_A)] * n_states(kind)


@every_cell
def test_single_step_call_returns_the_output_and_the_new_states(rng, kind):
    cell = make_cell(kind, N_A)
    x_t = rng.standard_normal((M, N_X)).astype("float32")
    states = cell.get_initial_state(batch_size=M)
    a_t, new_states = cell(x_t, states)
    assert a_t.shape == (M, N_A)
    assert [s.shape for s in new_states] == [(M, N_A)] * n_states(kind)


@every_cell
def test_invalid_arguments_are_refused(kind):
    for bad in ({"units": 0}, {"units": 2.5}, {"dropout": 1.0}, {"recurrent_dropout": -0.1}):
        arguments = {"units": N_A} | bad
        with pytest.raises(ValueError, match=next(iter(bad))):
            make_cell(kind, **arguments)


# --- Configuration and serialization ----------------------------------------------------


@every_cell
def test_get_config_round_trips_every_argument(kind):
    cell = configured_cell(kind)
    config = cell.get_config()
    for argument, value in (NON_DEFAULTS | KIND_NON_DEFAULTS.get(kind, {})).items():
        stored = config[argument]
        if argument.endswith("initializer"):
            stored = keras.initializers.get(stored).__class__.__name__.lower()
            value = value.replace("_", "")
        assert stored == value, argument
    assert config["peephole"] if kind == "lstm_peephole" else not config.get("peephole", False)
    assert type(cell).from_config(config).get_config() == config


@every_cell
def test_a_copy_from_config_with_the_same_weights_gives_the_same_outputs(rng, kind):
    cell = configured_cell(kind)
    x = rng.standard_normal((M, T_X, N_X)).astype("float32")
    RNN(cell)(x)
    randomize(cell, rng)
    np.testing.assert_array_equal(RNN(copy_cell(cell))(x), RNN(cell)(x))


@every_cell
def test_cell_and_rnn_serialize_under_the_layers_package(kind):
    rnn = RNN(configured_cell(kind), return_sequences=True, go_backwards=True)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(rnn))
    assert type(restored) is RNN
    assert type(restored.cell) is type(rnn.cell)
    assert restored.get_config() == rnn.get_config()
    assert keras.saving.get_registered_name(type(rnn.cell)).startswith("layers>")


# --- One weight per gate ------------------------------------------------------------------


@every_cell
def test_each_gate_has_its_own_weights_cut_from_one_initial_matrix(kind):
    # Seeded initializers give the same values on every call, so the matrix the cell drew for
    # all its gates at once can be drawn again here.
    initializers = {
        "kernel_initializer": keras.initializers.GlorotUniform(seed=1),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=2),
        "bias_initializer": keras.initializers.RandomNormal(seed=3),
    }
    if kind.startswith("lstm"):
        initializers["unit_forget_bias"] = False
    cell = make_cell(kind, N_A, **initializers)
    cell.build((None, N_X))
    n_gates = len(cell.GATES)
    drawn = (
        ("kernel", cell.kernels, (N_X, N_A)),
        ("recurrent_kernel", cell.recurrent_kernels, (N_A, N_A)),
        ("bias", cell.biases, (N_A,)),
    )
    for name, weights, shape in drawn:
        initializer = initializers[f"{name.split('_')[0]}_initializer"]
        assert [w.name for w in weights] == [f"{name}_{gate}" for gate in cell.GATES]
        assert [tuple(w.shape) for w in weights] == [shape] * n_gates
        whole = initializer((*shape[:-1], n_gates * shape[-1]))
        np.testing.assert_array_equal(np.concatenate([w.numpy() for w in weights], -1), whole)
    # As in Keras' own cells, the gates' recurrent blocks together have orthonormal rows.
    joined = np.concatenate([w.numpy() for w in cell.recurrent_kernels], axis=-1)
    np.testing.assert_allclose(joined @ joined.T, np.eye(N_A), atol=1e-5)


# --- The course's weight layout -----------------------------------------------------------


@every_cell
def test_course_parameters_round_trip_and_ignore_output_keys(rng, kind):
    params = course_parameters(kind, N_X, N_A, rng)
    assert {"Wya", "Wy", "by"} & params.keys()
    cell = loaded_cell(kind, params)
    got = cell.get_course_parameters()
    assert got.keys() == cell_parameters(params).keys()
    for name, value in got.items():
        np.testing.assert_allclose(value, params[name], rtol=1e-6, err_msg=name)
    twin = make_cell(kind, N_A)
    twin.set_course_parameters(got)
    for mine, theirs in zip(twin.get_weights(), cell.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)


@every_cell
def test_setting_course_parameters_builds_an_unbuilt_cell(rng, kind):
    cell = make_cell(kind, N_A)
    with pytest.raises(ValueError, match="no weights yet"):
        cell.get_course_parameters()
    cell.set_course_parameters(course_parameters(kind, N_X, N_A, rng))
    assert cell.built
    assert RNN(cell)(np.zeros((M, T_X, N_X), "float32")).shape == (M, N_A)


@every_cell
def test_an_unknown_course_parameter_is_refused_by_name(rng, kind):
    params = course_parameters(kind, N_X, N_A, rng) | {"Wz": np.zeros((N_A, N_A + N_X))}
    with pytest.raises(ValueError, match="'Wz'"):
        loaded_cell(kind, params)


@every_cell
@pytest.mark.parametrize("built", [True, False], ids=["built", "unbuilt"])
def test_a_wrong_shape_is_refused_naming_the_parameter_and_its_shape(rng, kind, built):
    params = cell_parameters(course_parameters(kind, N_X, N_A, rng))
    for name, value in params.items():
        wider = np.concatenate([value, value], axis=-1)
        for wrong in (value[:-1], value[..., 0], wider):
            if not built and name == "Wax" and wrong is wider:
                continue  # no other matrix depends on n_x: this is a valid Wax for more inputs
            cell = make_cell(kind, N_A)
            if built:
                cell.build((None, N_X))
            with pytest.raises(ValueError, match=f"'{name}'") as error:
                cell.set_course_parameters(params | {name: wrong})
            assert str(value.shape[0]) in str(error.value)
            if built:
                assert str(value.shape) in str(error.value)
            else:
                # A refused set must not leave the cell built for a wrong input size.
                cell.set_course_parameters(params)
                assert cell.kernels[0].shape[0] == N_X


@every_cell
def test_a_missing_course_parameter_is_refused_by_name(rng, kind):
    params = cell_parameters(course_parameters(kind, N_X, N_A, rng))
    for name in params:
        cell = make_cell(kind, N_A)
        cell.build((None, N_X))
        missing = {key: value for key, value in params.items() if key != name}
        with pytest.raises(ValueError, match=f"'{name}'"):
            cell.set_course_parameters(missing)
