import keras
import numpy as np
import pytest

from apps.jazz.conditioning import N_CONDITIONING, Changes, conditioning
from apps.jazz.model import compile_model, course_parameter_count, djmodel
from apps.jazz.sampling import Sampler
from datasets.music import ChordTimeline, Meter, parse_chord_symbol, parse_value
from layers import LSTMCell


@pytest.mark.parametrize(("n_values", "n_a"), [(90, 64), (17, 5)])
def test_parameter_count_is_the_course_formula(n_values, n_a):
    model = djmodel(Tx=6, n_values=n_values, n_a=n_a)
    expected = 4 * (n_a * (n_a + n_values) + n_a) + n_values * n_a + n_values
    assert model.count_params() == expected == course_parameter_count(n_values, n_a)


def test_chord_input_widens_only_the_cell_input():
    model = djmodel(Tx=6, n_values=20, n_a=8, chord_input=True)
    assert model.count_params() == course_parameter_count(20, 8, n_x=20 + N_CONDITIONING)
    assert [i.name for i in model.inputs] == ["X", "a0", "c0", "chords"]


def test_one_cell_and_one_densor_serve_every_step():
    model = djmodel(Tx=7, n_values=11, n_a=4)
    cells = [layer for layer in model.layers if isinstance(layer, LSTMCell)]
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert len(cells) == 1 and len(dense) == 1
    assert model.output_shape == (None, 7, 11)


def test_outputs_are_distributions_at_every_step():
    model = compile_model(djmodel(Tx=5, n_values=9, n_a=4), 0.01, 0.01)
    X = np.zeros((3, 5, 9), "float32")
    y_hat = model.predict([X, np.zeros((3, 4)), np.zeros((3, 4))], verbose=0)
    np.testing.assert_allclose(y_hat.sum(axis=-1), 1.0, rtol=1e-5)


VALUES = [f"C,{d:.3f}" for d in (0.25, 0.5, 1.0)] + ["S,0.500", "R,1.000", "A,0.250,<-3,+3>"]


@pytest.fixture(scope="module")
def sampler():
    keras.utils.set_random_seed(0)
    return Sampler(djmodel(Tx=4, n_values=len(VALUES), n_a=6), VALUES, chord_input=False)


def sample(sampler, n, temperature, seed):
    return [v.decode() for v in sampler.sample(n, temperature, seed)["values"].numpy()]


def test_same_seed_same_values_and_seeds_differ(sampler):
    first = sample(sampler, 40, 1.0, 3)
    assert len(first) == 40 and set(first) <= set(VALUES)
    assert first == sample(sampler, 40, 1.0, 3)
    assert first != sample(sampler, 40, 1.0, 4)


def test_low_temperature_takes_the_most_likely_value_and_high_spreads():
    model = djmodel(Tx=4, n_values=len(VALUES), n_a=6)
    densor = model.get_layer("densor")
    kernel, bias = densor.get_weights()
    bias[2] = 3.0  # "C,1.000" likelier than the rest at every step
    densor.set_weights([np.zeros_like(kernel), bias])
    peaked = Sampler(model, VALUES, chord_input=False)
    for seed in (1, 2, 3):
        assert set(sample(peaked, 20, 0.01, seed)) == {"C,1.000"}
    assert len(set(sample(peaked, 60, 5.0, 1))) > 3


def chord_sampler():
    keras.utils.set_random_seed(1)
    model = djmodel(Tx=4, n_values=len(VALUES), n_a=6, chord_input=True)
    densor = model.get_layer("densor")
    kernel, bias = densor.get_weights()
    densor.set_weights([kernel * 20, bias])  # sharp choices, so a wrong chord shows
    return model, Sampler(model, VALUES, chord_input=True)


CHANGES = ChordTimeline([(0.0, parse_chord_symbol("Dm7")), (2.0, parse_chord_symbol("G7")),
                         (3.0, parse_chord_symbol("Cmaj7/E")), (6.0, parse_chord_symbol("A7"))])


def test_chord_conditioned_sampling_hears_the_chord_at_each_onset():
    model, sampler = chord_sampler()
    meter = Meter(3, 4)
    changes = Changes.of(CHANGES)
    n = 24
    drawn = sampler.sample(n, 0.0, 5, **changes.as_inputs(), bar_length=3.0,
                           beat_length=1.0)["values"].numpy()
    # The same steps by hand: the argmax at each step, the chord looked up at the running onset.
    cell, densor = model.get_layer("LSTM_cell"), model.get_layer("densor")
    x, a, c = np.zeros((1, len(VALUES))), np.zeros((1, 6)), np.zeros((1, 6))
    onset, expected = 0.0, []
    for _ in range(n):
        heard = conditioning(np.array([onset], "float32"), changes.offsets, changes.roots,
                             changes.pitch_classes, changes.basses, meter.bar_length,
                             meter.beat_length)
        a, (a, c) = cell(np.concatenate([x, heard.numpy()], -1).astype("float32"), [a, c])
        index = int(np.argmax(densor(a).numpy()[0]))
        expected.append(VALUES[index])
        onset += parse_value(VALUES[index]).duration
        x = np.eye(len(VALUES))[index][None]
    assert [v.decode() for v in drawn] == expected


def test_chord_conditioned_sample_signature_takes_the_changes():
    _, sampler = chord_sampler()
    names = [spec.name for spec in sampler.sample.input_signature]
    assert names == ["n_values", "temperature", "seed", "chord_offsets", "chord_roots",
                     "chord_pitch_classes", "chord_basses", "bar_length", "beat_length"]
    values = sampler.values(CHANGES, Meter(4, 4), 8.0, 1.0, 3)
    assert abs(sum(parse_value(v).duration for v in values) - 8.0) < 1e-6
    assert values == sampler.values(CHANGES, Meter(4, 4), 8.0, 1.0, 3)
