import math

import numpy as np
import pytest
import tensorflow as tf

from apps.dinos.data import OFFSET, START
from apps.dinos.sampling import CharModel, continue_text, sample_names
from datasets.errors import InputError


def _generate(trained, num=8, temperature=1.0, seed=0, prefix=(), max_steps=20):
    ids, lengths, ended = trained.char_model.generate(
        tf.constant(num),
        tf.constant(temperature, tf.float32),
        tf.constant(seed),
        tf.constant(list(prefix), tf.int32, shape=[len(prefix)]),
        tf.constant(max_steps),
        tf.constant(True),
    )
    return ids.numpy(), lengths.numpy(), ended.numpy()


def test_the_same_seed_gives_the_same_names(trained):
    first = sample_names(trained.char_model, trained.vocab, 16, seed=5)
    assert sample_names(trained.char_model, trained.vocab, 16, seed=5) == first
    assert sample_names(trained.char_model, trained.vocab, 16, seed=6) != first


def _greedy_path(model, vocab, max_steps):
    """The course's way: call the model once per character and take the most likely one (not
    the end token first: a name has a character)."""
    x, path = [START], []
    for _ in range(max_steps):
        p = np.array(model(np.array([x], "int32"))[0, -1])
        if not path:
            p[vocab.end_id] = -1.0
        y = int(np.argmax(p))
        path.append(y)
        if y == vocab.end_id:
            break
        x.append(y + OFFSET)
    return path


@pytest.mark.parametrize("temperature", [0.0, 1e-7])
def test_temperature_towards_zero_gives_the_argmax_path(trained, temperature):
    ids, lengths, _ = _generate(trained, num=3, temperature=temperature, max_steps=20)
    expected = _greedy_path(trained.model, trained.vocab, max_steps=20)
    for row, length in zip(ids, lengths, strict=True):
        assert row[: len(expected)].tolist() == expected
        assert length == (len(expected) - 1 if expected[-1] == trained.vocab.end_id else 20)


def test_names_stop_at_the_end_token_or_the_maximum_length(trained):
    ids, lengths, ended = _generate(trained, num=64, temperature=3.0, max_steps=6)
    end = trained.vocab.end_id
    for row, length, done in zip(ids, lengths, ended, strict=True):
        assert length <= 6
        assert end not in row[:length].tolist()
        if done:
            assert row[length] == end
        else:
            assert length == 6


def test_a_prefix_starts_every_name(trained):
    names = sample_names(trained.char_model, trained.vocab, 10, seed=1, prefix="sa")
    assert len(names) == 10 and all(name.startswith("sa") for name in names)


def test_novel_names_are_distinct_and_absent_from_the_training_data(trained):
    names = sample_names(
        trained.char_model, trained.vocab, 5, seed=2, exclude=trained.training_names
    )
    assert len(set(names)) == 5
    assert not set(names) & trained.training_names


def test_a_prefix_with_unknown_characters_is_refused(trained):
    with pytest.raises(InputError, match="'!'"):
        sample_names(trained.char_model, trained.vocab, 3, prefix="t!")


def test_text_models_continue_a_prompt_longer_than_their_window(trained_text):
    prompt = "The children walked out onto the stones. " * 3  # 126 characters, window 16
    char_model = CharModel(trained_text.model, trained_text.vocab, trained_text.config)
    text = continue_text(char_model, trained_text.vocab, prompt, 25, seed=4)
    assert text.startswith(prompt.lower())
    assert len(text) == len(prompt) + 25


def test_score_is_the_log_probability_of_the_name_and_its_end_token(trained):
    name = "sauro"
    ids = trained.vocab.encode(name)
    x = np.array([[START] + [i + OFFSET for i in ids]], "int32")
    y_hat = np.asarray(trained.model(x))[0]
    expected = sum(math.log(y_hat[t, y]) for t, y in enumerate(ids + [trained.vocab.end_id]))
    scored = trained.char_model.score(tf.constant([name, "SAURO", "zby"]))["log_prob"].numpy()
    assert scored[0] == pytest.approx(expected, rel=1e-5)
    assert scored[1] == scored[0]  # the vocabulary lower-cases


def test_score_of_a_name_with_an_unknown_character_is_minus_infinity(trained):
    scored = trained.char_model.score(tf.constant(["t-rex", "rex"]))["log_prob"].numpy()
    assert scored[0] == -np.inf and np.isfinite(scored[1])
