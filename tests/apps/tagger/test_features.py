import numpy as np
import tensorflow as tf

from apps.tagger.features import SHAPES, CharacterSplit, CharCNN, TokenShapes, WordDropout, WordKeys


def shape_names(tokens):
    ids = TokenShapes()(tf.constant([tokens])).numpy()[0]
    return [SHAPES[i - 1][0] if i else "padding" for i in ids]


def test_word_keys_fold_case_digits_urls_mentions_and_hashtags():
    keys = WordKeys()(
        tf.constant([["#Denver", "DENVER", "@bob", "2010", "http://t.co/x", "É", ""]])
    )
    assert [k.decode() for k in keys.numpy()[0]] == [
        "denver",
        "denver",
        "<user>",
        "0000",
        "<url>",
        "é",
        "",
    ]


def test_token_shapes_tell_casing_and_tweet_tokens_apart():
    tokens = [
        "Harry",
        "NASA",
        "spell",
        "iPhone",
        "A.",
        "2010",
        "#tbt",
        "@bob",
        "www.x.org",
        "!",
        "",
    ]
    assert shape_names(tokens) == [
        "title",
        "capitals",
        "lower",
        "mixed",
        "initial",
        "number",
        "hashtag",
        "mention",
        "url",
        "other",
        "padding",
    ]


def test_character_split_pads_and_truncates_to_max_chars():
    characters = CharacterSplit(4)(tf.constant([["naïve", "ab", ""]])).numpy()
    assert characters.shape == (1, 3, 4)
    assert [c.decode() for c in characters[0, 0]] == ["n", "a", "ï", "v"]
    assert [c.decode() for c in characters[0, 1]] == ["a", "b", "", ""]
    assert not any(characters[0, 2])


def test_char_cnn_ignores_padding_characters():
    layer = CharCNN(n_chars=10, char_dim=4, filters=3, widths=(2, 3))
    ids = np.array([[[3, 4, 5, 0], [2, 0, 0, 0]]])
    longer = np.concatenate([ids, np.zeros((1, 2, 5), ids.dtype)], axis=-1)
    np.testing.assert_allclose(layer(ids), layer(longer), atol=1e-6)
    assert layer(ids).shape == (1, 2, 6)


def test_word_dropout_only_acts_in_training_and_keeps_padding():
    ids = np.array([[5, 6, 7, 0, 0]] * 200)
    layer = WordDropout(0.5, oov_id=1, seed=0)
    np.testing.assert_array_equal(layer(ids, training=False), ids)
    dropped = np.asarray(layer(ids, training=True))
    assert set(np.unique(dropped[:, :3])) == {1, 5, 6, 7}
    assert 0.4 < np.mean(dropped[:, :3] == 1) < 0.6
    assert not dropped[:, 3:].any()
