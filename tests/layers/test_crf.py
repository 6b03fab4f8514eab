"""The linear-chain CRF against brute force over every tag path, and as a Keras layer."""

import doctest
import itertools

import keras
import numpy as np
import pytest

import layers.crf
from datasets.schemes import convert
from layers import CRF, CRFLoss
from layers.crf import (
    IMPOSSIBLE,
    allowed_transitions,
    crf_decode,
    crf_log_likelihood,
    crf_log_partition,
    crf_sequence_score,
)
from tests.layers.helpers import gradients, needs_tensorflow

TAGS = {
    "iob1": ["O", "I-PER", "B-PER", "I-LOC"],
    "iob2": ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"],
    "bioes": ["O", "B-PER", "I-PER", "E-PER", "S-PER", "S-LOC"],
}


def random_crf(rng, n, constrained=False, scheme="iob2"):
    """A built CRF over n tags with random scores (the IOB2 constraints of TAGS if asked)."""
    kwargs = {}
    if constrained:
        allowed, first, last = allowed_transitions(TAGS[scheme], scheme)
        kwargs = {"allowed": allowed, "allowed_start": first, "allowed_end": last}
    crf = CRF(n, **kwargs)
    crf.build((None, None, n))
    crf.set_weights([rng.standard_normal(w.shape) for w in crf.get_weights()])
    return crf


def path_score(crf, emissions, path):
    """s(x, y) of one path over its real emissions, from the layer's weights directly."""
    A, start, end = crf.get_weights()
    if crf.allowed is not None:
        A = np.where(crf.allowed, A, IMPOSSIBLE)
        start = np.where(crf.allowed_start, start, IMPOSSIBLE)
        end = np.where(crf.allowed_end, end, IMPOSSIBLE)
    total = start[path[0]] + end[path[-1]]
    total += sum(emissions[t, tag] for t, tag in enumerate(path))
    total += sum(A[i, j] for i, j in itertools.pairwise(path))
    return total


def every_path_score(crf, emissions):
    """{path: s(x, y)} for every tag path over the emissions' steps."""
    n = emissions.shape[-1]
    paths = itertools.product(range(n), repeat=len(emissions))
    return {path: path_score(crf, emissions, path) for path in paths}


def padded_batch(rng, n, lengths, pad_to):
    """Random emissions for sequences of `lengths`, right-padded with random values, and their
    mask."""
    emissions = rng.standard_normal((len(lengths), pad_to, n)).astype("float32")
    mask = np.arange(pad_to)[None, :] < np.array(lengths)[:, None]
    return emissions, mask


def numpy(x):
    return keras.ops.convert_to_numpy(x)


@pytest.fixture
def rng():
    return np.random.default_rng(11)


@pytest.mark.parametrize("constrained", [False, True])
def test_log_partition_equals_brute_force_enumeration(rng, constrained):
    crf = random_crf(rng, 5, constrained)
    lengths = (1, 2, 3, 4, 2)
    emissions, mask = padded_batch(rng, 5, lengths, pad_to=5)
    log_z = numpy(crf_log_partition(crf(emissions), mask))
    for row, length in enumerate(lengths):
        scores = np.array(list(every_path_score(crf, emissions[row, :length]).values()))
        expected = np.logaddexp.reduce(scores.astype("float64"))
        np.testing.assert_allclose(log_z[row], expected, rtol=1e-5)


@pytest.mark.parametrize("constrained", [False, True])
def test_viterbi_equals_the_brute_force_best_path(rng, constrained):
    crf = random_crf(rng, 5, constrained)
    lengths = (4, 1, 3, 2, 4, 4)
    emissions, mask = padded_batch(rng, 5, lengths, pad_to=4)
    tags, best = (numpy(x) for x in crf_decode(crf(emissions), mask))
    for row, length in enumerate(lengths):
        scores = every_path_score(crf, emissions[row, :length])
        best_path = max(scores, key=scores.get)
        assert tuple(tags[row, :length]) == best_path
        assert (tags[row, length:] == 0).all()
        np.testing.assert_allclose(best[row], scores[best_path], rtol=1e-5)


def test_sequence_score_and_likelihood_agree_with_brute_force(rng):
    crf = random_crf(rng, 3)
    lengths = (3, 1, 2)
    emissions, mask = padded_batch(rng, 3, lengths, pad_to=3)
    gold = rng.integers(0, 3, size=(3, 3))
    potentials = crf(emissions)
    score = numpy(crf_sequence_score(potentials, gold, mask))
    log_likelihood = numpy(crf_log_likelihood(potentials, gold, mask))
    for row, length in enumerate(lengths):
        scores = every_path_score(crf, emissions[row, :length])
        path = tuple(gold[row, :length])
        np.testing.assert_allclose(score[row], scores[path], rtol=1e-5)
        log_z = np.logaddexp.reduce(np.array(list(scores.values()), "float64"))
        np.testing.assert_allclose(log_likelihood[row], scores[path] - log_z, atol=1e-5)


@pytest.mark.parametrize("where", ["end", "start", "inside"])
def test_masked_steps_change_nothing(rng, where):
    crf = random_crf(rng, 5, constrained=True)
    emissions = rng.standard_normal((1, 4, 5)).astype("float32")
    gold = np.array([[1, 2, 0, 3]])
    at = {"end": [4, 5], "start": [0, 1], "inside": [2, 3]}[where]
    real = [t for t in range(6) if t not in at]
    padded = np.zeros((1, 6, 5), "float32")
    padded[:, real] = emissions
    padded[:, at] = 100 * rng.standard_normal((1, 2, 5))  # large, to show they are ignored
    mask = np.isin(np.arange(6), real)[None]
    padded_gold = np.zeros((1, 6), "int64")
    padded_gold[:, real] = gold
    padded_gold[:, at] = 4

    compact, masked = crf(emissions), crf(padded)
    np.testing.assert_allclose(
        numpy(crf_log_partition(masked, mask)), numpy(crf_log_partition(compact)), rtol=1e-6
    )
    np.testing.assert_allclose(
        numpy(crf_sequence_score(masked, padded_gold, mask)),
        numpy(crf_sequence_score(compact, gold)),
        rtol=1e-6,
    )
    tags, best = crf_decode(masked, mask)
    compact_tags, compact_best = crf_decode(compact)
    np.testing.assert_array_equal(numpy(tags)[:, real], numpy(compact_tags))
    np.testing.assert_allclose(numpy(best), numpy(compact_best), rtol=1e-6)

    _, (d_padded,) = gradients(
        lambda e: -keras.ops.sum(crf_log_likelihood(crf(e), padded_gold, mask)), [padded]
    )
    assert (d_padded[:, at] == 0).all()


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "bioes"])
def test_forbidden_transitions_never_appear_in_decoded_paths(rng, scheme):
    tags = TAGS[scheme]
    crf = random_crf(rng, len(tags), constrained=True, scheme=scheme)
    # Emissions far larger than any learned score, pulling towards ill-formed paths.
    emissions = 30 * rng.standard_normal((64, 7, len(tags))).astype("float32")
    decoded = numpy(crf_decode(crf(emissions))[0])
    for path in decoded:
        written = [tags[i] for i in path]
        assert convert(written, scheme) == written


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "bioes"])
def test_allowed_transitions_accept_exactly_the_well_formed_sequences(scheme):
    tags = TAGS[scheme]
    allowed, first, last = allowed_transitions(tags, scheme)
    for length in range(1, 5):
        for path in itertools.product(range(len(tags)), repeat=length):
            written = [tags[i] for i in path]
            valid = first[path[0]] and last[path[-1]]
            valid = valid and all(allowed[i, j] for i, j in itertools.pairwise(path))
            assert valid == (convert(written, scheme) == written), written


@pytest.mark.parametrize(
    ("tags", "scheme"),
    [(["O", "E-PER"], "iob2"), (["O", "B-"], "bioes"), (["O", "X-PER"], "iob1"), (["O"], "bio")],
)
def test_allowed_transitions_reject_tags_outside_the_scheme(tags, scheme):
    with pytest.raises(ValueError, match="tag|scheme"):
        allowed_transitions(tags, scheme)


def test_gradients_are_finite_and_forbidden_scores_get_none(rng):
    crf = random_crf(rng, 5, constrained=True)
    emissions = 200 * rng.standard_normal((3, 6, 5)).astype("float32")
    gold = np.array([[0, 1, 2, 2, 0, 3], [3, 4, 4, 0, 0, 0], [1, 2, 0, 0, 0, 0]])
    mask = np.array([[1] * 6, [1] * 4 + [0] * 2, [1] * 2 + [0] * 4], bool)
    loss, grads = gradients(
        lambda e: CRFLoss()(gold, crf(e), mask.astype("float32")), [emissions],
        crf.trainable_weights,
    )
    assert np.isfinite(loss)
    assert all(np.isfinite(g).all() for g in grads)
    transitions, start, end = grads[1:]
    assert (transitions[~crf.allowed] == 0).all() and (start[~crf.allowed_start] == 0).all()
    assert np.abs(transitions[crf.allowed]).sum() > 0


def test_loss_reads_the_keras_mask_or_the_sample_weights(rng):
    words, tags = toy_tagging_data(rng, 8)
    real = words != 0
    for mask_zero in (True, False):
        ids = keras.Input((None,), dtype="int32")
        x = keras.layers.Embedding(6, 4, mask_zero=mask_zero)(ids)
        model = keras.Model(ids, CRF(3)(keras.layers.Dense(3)(x)))
        model.compile(loss=CRFLoss())
        potentials = model.predict(words, verbose=0)
        expected = -numpy(crf_log_likelihood(potentials, tags, real)).mean()
        by_weights = model.evaluate(words, tags, sample_weight=real.astype("float32"), verbose=0)
        np.testing.assert_allclose(by_weights, expected, rtol=1e-5)
        if mask_zero:
            np.testing.assert_allclose(model.evaluate(words, tags, verbose=0), expected, rtol=1e-5)

    potentials = model.predict(words, verbose=0)
    per_sequence = CRFLoss(reduction=None)(tags[:3], potentials[:3], np.array([1.0, 0.0, 2.0]))
    unweighted = -numpy(crf_log_likelihood(potentials[:3], tags[:3]))
    np.testing.assert_allclose(numpy(per_sequence), unweighted * [1, 0, 2], rtol=1e-6)


def tagging_model(n_words, n_tags, allowed=(None, None, None)):
    """Word ids → embedding (mask_zero) → Dense emissions → CRF, compiled with CRFLoss."""
    words = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(n_words, 8, mask_zero=True)(words)
    x = keras.layers.Bidirectional(keras.layers.GRU(8, return_sequences=True))(x)
    emissions = keras.layers.Dense(n_tags)(x)
    potentials = CRF(n_tags, *allowed, name="crf")(emissions)
    model = keras.Model(words, potentials)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=CRFLoss())
    return model


def toy_tagging_data(rng, n_sentences=64):
    """Words 1–3 are O; word 4 starts a name (B-PER) and word 5 continues one (I-PER) only
    after a name word, else it is O: the tag of word 5 depends on its left neighbour."""
    words = rng.integers(1, 6, size=(n_sentences, 6)).astype("int32")
    lengths = rng.integers(2, 7, size=n_sentences)
    words[np.arange(6)[None, :] >= lengths[:, None]] = 0
    tags = np.zeros_like(words)
    for row in range(n_sentences):
        for t in range(lengths[row]):
            if words[row, t] == 4:
                tags[row, t] = 1
            elif words[row, t] == 5 and t > 0 and tags[row, t - 1] in (1, 2):
                tags[row, t] = 2
    return words, tags


@needs_tensorflow
def test_functional_model_trains_with_fit_and_its_nll_falls(rng):
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    allowed = allowed_transitions(["O", "B-PER", "I-PER"], "iob2")
    model = tagging_model(6, 3, allowed)
    words, tags = toy_tagging_data(rng)
    lengths = (words != 0).sum(axis=1)
    # Padded batches of unknown length, as a tagger's input pipeline gives them.
    sentences = tf.data.Dataset.from_generator(
        lambda: ((w[:n], t[:n]) for w, t, n in zip(words, tags, lengths, strict=True)),
        output_signature=(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)),
    )
    batches = sentences.padded_batch(16).apply(tf.data.experimental.assert_cardinality(4))
    history = model.fit(batches, epochs=12, shuffle=False, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.2 * losses[0]
    decoded = numpy(crf_decode(model.predict(words, verbose=0), words != 0)[0])
    assert (decoded[words != 0] == tags[words != 0]).mean() > 0.95


def test_keras_file_reloads_in_safe_mode_with_the_same_outputs_and_loss(rng, tmp_path):
    keras.utils.set_random_seed(1)
    allowed = allowed_transitions(["O", "B-PER", "I-PER"], "iob2")
    model = tagging_model(6, 3, allowed)
    words, tags = toy_tagging_data(rng, 16)
    model.fit(words, tags, epochs=1, verbose=0)
    model.save(tmp_path / "crf.keras")
    loaded = keras.saving.load_model(tmp_path / "crf.keras", safe_mode=True)
    np.testing.assert_allclose(
        loaded.predict(words, verbose=0), model.predict(words, verbose=0), rtol=1e-6
    )
    assert isinstance(loaded.loss, CRFLoss)
    np.testing.assert_allclose(
        loaded.evaluate(words, tags, verbose=0), model.evaluate(words, tags, verbose=0), rtol=1e-6
    )
    np.testing.assert_array_equal(loaded.get_layer("crf").allowed, allowed[0])


def test_config_round_trip_gives_the_same_layer(rng):
    crf = random_crf(rng, 6, constrained=True, scheme="bioes")
    twin = CRF.from_config(crf.get_config())
    twin.build((None, None, 6))
    twin.set_weights(crf.get_weights())
    emissions = rng.standard_normal((2, 3, 6)).astype("float32")
    np.testing.assert_array_equal(numpy(twin(emissions)), numpy(crf(emissions)))
    assert twin.get_config() == crf.get_config()
    loss = CRFLoss.from_config(CRFLoss(reduction="sum").get_config())
    assert loss.reduction == "sum"


@needs_tensorflow
def test_decoding_runs_in_a_saved_model_graph(rng, tmp_path):
    import tensorflow as tf

    crf = random_crf(rng, 5, constrained=True)
    module = tf.Module()
    module.crf = crf
    spec = [tf.TensorSpec([None, None, 5], tf.float32), tf.TensorSpec([None, None], tf.bool)]
    module.tag = tf.function(lambda e, m: crf_decode(crf(e), m)[0], input_signature=spec)
    tf.saved_model.save(module, str(tmp_path / "export"))
    served = tf.saved_model.load(str(tmp_path / "export"))
    for length in (3, 8):
        emissions, mask = padded_batch(rng, 5, [length, length - 1], pad_to=length)
        expected = numpy(crf_decode(crf(emissions), mask)[0])
        np.testing.assert_array_equal(served.tag(emissions, mask).numpy(), expected)
    empty = served.tag(np.zeros((2, 0, 5), "float32"), np.zeros((2, 0), bool))
    assert empty.shape == (2, 0)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="num_tags"):
        CRF(0)
    with pytest.raises(ValueError, match="allowed"):
        CRF(3, allowed=np.ones((2, 3), bool))
    with pytest.raises(ValueError, match="3 tags"):
        CRF(3)(np.zeros((1, 2, 4), "float32"))


def test_docstring_example_runs():
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(layers.crf.CRF, "CRF", globs={}):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.attempted > 0 and results.failed == 0
