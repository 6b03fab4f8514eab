"""Compiled sampling and scoring for a trained character model.

Sampling runs the trained cells one step at a time inside a single `tf.while_loop` for the whole
batch, carrying every layer's states, as the course's `sample` does for one name in numpy:

    x⟨1⟩ = start;  a⟨t⟩ = cell(x⟨t⟩, a⟨t−1⟩);  ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by);
    y⟨t⟩ ~ ŷ⟨t⟩ (at temperature T);  x⟨t+1⟩ = y⟨t⟩;  stop at "\\n" or the maximum length.

The random draws are stateless and keyed by (seed, t), so the same seed gives the same names.
A name has at least one character: where "\\n" is drawn first, the first character is drawn
again without it (from P(y⟨1⟩ | y⟨1⟩ ≠ "\\n")). Scoring gives log P(y⟨1⟩, …, y⟨Ty⟩, "\\n") from
one forward pass of the model.
"""

import tensorflow as tf

from apps.common.sampling import draw
from apps.common.serving import keep_variables
from apps.dinos.data import END, OFFSET, PAD, START
from apps.dinos.model import NAME, recurrent_cells
from datasets.errors import InputError

# Rounds of sampling `--novel` tries before it gives up on finding enough unseen names.
NOVEL_ROUNDS = 50
# Names sampled per batch when streaming (`iter_names`): bounded memory for any --num.
CHUNK = 10_000
# The most --novel names: they are kept in memory to be told apart.
MAX_NOVEL = 100_000
# A logit that no draw picks (−inf would give NaN in the softmax of an all-masked row).
NEVER = -1e9
# Smallest normal float32: log of a probability that underflowed stays finite.
TINY = 1.1754944e-38


class CharModel(tf.Module):
    """A trained character model with compiled `sample`, `generate` and `score` functions.

    The exported SavedModel is this module; its signatures take and return plain tensors, so a
    process that has never imported this project can serve it.

    Args:
        model: the Keras model of `apps.dinos.model.build_model`, trained.
        vocab: its `apps.dinos.data.Vocabulary`.
        config: its `apps.dinos.config.Config`; names models stop at "\\n", text models do not.

    Example (with a trained model, its vocabulary and config):

        names = CharModel(model, vocab, config).sample(num=5, temperature=1.0, seed=0)["names"]
    """

    def __init__(self, model, vocab, config):
        super().__init__(name="dinos")
        self.model = model
        keep_variables(self, model)
        self.cells = recurrent_cells(model)
        self.embedding = model.get_layer("embedding")
        self.head = model.get_layer(f"{NAME}_head")
        self.code_points = tf.constant([ord(char) for char in vocab.chars], tf.int32)
        self.table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(
                self.code_points, tf.range(vocab.size, dtype=tf.int32)
            ),
            default_value=-1,
        )
        self.end_id = vocab.end_id
        self.stop_at_end = not config.is_text
        self.max_length = config.max_length

    # -- Sampling -------------------------------------------------------------------------------

    @tf.function(
        input_signature=[
            tf.TensorSpec([], tf.int32, name="num"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="seed"),
            tf.TensorSpec([None], tf.int32, name="prefix"),
            tf.TensorSpec([], tf.int32, name="max_steps"),
            tf.TensorSpec([], tf.bool, name="stop_at_end"),
        ]
    )
    def generate(self, num, temperature, seed, prefix, max_steps, stop_at_end):
        """Sample `num` sequences; the first len(prefix) characters are forced to `prefix`.

        A sequence that has ended leaves the batch, so each step computes only the sequences
        still going: a batch costs about the sum of its lengths rather than `num` times the
        longest.

        Returns:
            ids (num, steps) int32 vocabulary indices, the sampled characters (each row's end
            token at `lengths`, then zeros);
            lengths (num,) int32, characters before the end token (or all `steps`);
            ended (num,) bool, whether the sequence produced the end token.
        """
        n_prefix = tf.size(prefix)
        padded_prefix = tf.concat([prefix, [0]], axis=0)
        states = [cell.get_initial_state(num) for cell in self.cells]
        rows = tf.range(num)  # the batch rows still going, in the order of `states`
        x_ids = tf.fill([num], START)
        lengths = tf.fill([num], max_steps)
        out = tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=[None])

        def keep_going(t, rows, x_ids, states, lengths, out):
            return tf.logical_and(t < max_steps, tf.size(rows) > 0)

        def step(t, rows, x_ids, states, lengths, out):
            a = tf.gather(self.embedding.embeddings, x_ids)
            new_states = []
            for cell, state in zip(self.cells, states, strict=True):
                a, state = cell(a, state, training=False)
                new_states.append(state)
            logits = tf.matmul(a, self.head.kernel) + self.head.bias
            y = draw(logits, temperature, tf.stack([seed, t]))
            empty = tf.logical_and(tf.logical_and(stop_at_end, t == 0), tf.equal(y, self.end_id))
            y = tf.cond(
                tf.reduce_any(empty),
                lambda: tf.where(empty, self._without_end(logits, temperature, seed), y),
                lambda: y,
            )
            y = tf.where(t < n_prefix, padded_prefix[tf.minimum(t, n_prefix)], y)
            out = out.write(t, tf.scatter_nd(rows[:, None], y, [num]))
            ends = tf.logical_and(stop_at_end, tf.equal(y, self.end_id))
            lengths = tf.tensor_scatter_nd_min(lengths, rows[:, None], tf.where(ends, t, max_steps))
            going = tf.logical_not(ends)
            new_states = tf.nest.map_structure(
                lambda state: tf.boolean_mask(state, going), new_states
            )
            x_ids = tf.boolean_mask(y, going) + OFFSET
            return t + 1, tf.boolean_mask(rows, going), x_ids, new_states, lengths, out

        steps, _, _, _, lengths, out = tf.while_loop(
            keep_going, step, (tf.constant(0), rows, x_ids, states, lengths, out)
        )
        ids = tf.transpose(tf.reshape(out.stack(), [steps, num]))
        return ids, lengths, lengths < max_steps

    def _without_end(self, logits, temperature, seed):
        """A first character drawn again with the end token left out (key (seed, −1), which
        no step uses)."""
        never_end = tf.one_hot(self.end_id, tf.shape(logits)[1], on_value=NEVER, off_value=0.0)
        return draw(logits + never_end, temperature, tf.stack([seed, -1]))

    def to_strings(self, ids, lengths):
        """UTF-8 strings of the first `lengths` characters of each row of `ids`."""
        code_points = tf.RaggedTensor.from_tensor(tf.gather(self.code_points, ids), lengths=lengths)
        return tf.strings.unicode_encode(code_points, "UTF-8")

    @tf.function(
        input_signature=[
            tf.TensorSpec([], tf.int32, name="num"),
            tf.TensorSpec([], tf.float32, name="temperature"),
            tf.TensorSpec([], tf.int32, name="seed"),
        ]
    )
    def sample(self, num, temperature, seed):
        """`num` names (without the end token) of at most `max_length` characters."""
        ids, lengths, _ = self.generate(
            num, temperature, seed, tf.zeros([0], tf.int32), self.max_length, self.stop_at_end
        )
        return {"names": self.to_strings(ids, lengths)}

    # -- Scoring --------------------------------------------------------------------------------

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="names")])
    def score(self, names):
        """Natural-log P(name + "\\n") of each name, lower-cased; −inf if a character is unknown."""
        code_points = tf.strings.unicode_decode(tf.strings.lower(names, encoding="utf-8"), "UTF-8")
        chars = self.table.lookup(code_points)
        unknown = tf.reduce_any(chars < 0, axis=1)
        chars = tf.maximum(chars, 0)
        n = tf.shape(names)[0]
        end = tf.RaggedTensor.from_tensor(tf.fill([n, 1], self.end_id))
        start = tf.RaggedTensor.from_tensor(tf.fill([n, 1], START))
        y = tf.concat([chars, end], axis=1)
        x = tf.concat([start, chars + OFFSET], axis=1).to_tensor(PAD)
        p = self.model(x, training=False)
        p_y = tf.gather(p, y.to_tensor(0), batch_dims=2)
        weights = tf.sequence_mask(y.row_lengths(), tf.shape(p_y)[1], tf.float32)
        log_p = tf.math.log(tf.maximum(p_y, TINY))
        log_prob = tf.reduce_sum(log_p * weights, axis=1)
        return {"log_prob": tf.where(unknown, -float("inf"), log_prob)}


def sample_names(
    char_model, vocab, num, *, temperature=1.0, seed=0, prefix="", max_length=50, exclude=None
):
    """`num` names as Python strings, each `prefix` followed by sampled characters.

    With `exclude` (the training names), only distinct names absent from it are kept; further
    batches are drawn with seeds seed+1, seed+2, … until there are `num` of them.

    Raises:
        InputError: the prefix has characters outside the vocabulary, or is not shorter than
            `max_length`, or `exclude` leaves too few names after NOVEL_ROUNDS batches, or
            `num` is above MAX_NOVEL with `exclude`.
    """
    draw = _drawer(char_model, vocab, temperature, prefix, max_length)
    if exclude is None:
        return list(iter_names(char_model, vocab, num, temperature=temperature, seed=seed,
                               prefix=prefix, max_length=max_length))
    if num > MAX_NOVEL:
        raise InputError(f"--novel: at most {MAX_NOVEL:,} names (they are kept in memory to be "
                         f"told apart), not {num:,}")
    novel = {}  # a dict keeps the order in which names were first drawn
    for round_ in range(NOVEL_ROUNDS):
        novel.update((name, None) for name in draw(max(num, 64), seed + round_))
        novel = {name: None for name in novel if name not in exclude}
        if len(novel) >= num:
            return list(novel)[:num]
    raise InputError(
        f"--novel: found only {len(novel)} of {num} distinct names absent from the training "
        f"data in {NOVEL_ROUNDS} batches; raise --temperature or lower --num"
    )


def iter_names(char_model, vocab, num, *, temperature=1.0, seed=0, prefix="", max_length=50):
    """`num` sampled names, yielded as they are drawn in batches of at most CHUNK, so any `num`
    takes bounded memory. The first batch is keyed by `seed` (so `num` ≤ CHUNK gives what one
    batch would), batch k by a seed derived from (`seed`, k).

    Raises:
        InputError: as `sample_names`, before anything is yielded.
    """
    draw = _drawer(char_model, vocab, temperature, prefix, max_length)

    def names():
        for k, start in enumerate(range(0, num, CHUNK)):
            batch_seed = seed if k == 0 else (seed * 1_000_003 + k) % 2**31
            yield from draw(min(CHUNK, num - start), batch_seed)

    return names()


def _drawer(char_model, vocab, temperature, prefix, max_length):
    """A function (batch, seed) → names, after checking the prefix."""
    if END in prefix:
        raise InputError("--prefix: a name prefix cannot contain a line break")
    prefix_ids = vocab.encode(prefix)
    if len(prefix_ids) >= max_length:
        raise InputError(f"--prefix: {prefix!r} is not shorter than --max-length {max_length}")

    def draw(batch, seed):
        ids, lengths, _ = char_model.generate(
            tf.constant(batch, tf.int32),
            tf.constant(temperature, tf.float32),
            tf.constant(seed % 2**31, tf.int32),
            tf.constant(prefix_ids, tf.int32, shape=[len(prefix_ids)]),
            tf.constant(max_length, tf.int32),
            tf.constant(True),
        )
        return [name.decode("utf-8") for name in char_model.to_strings(ids, lengths).numpy()]

    return draw


def continue_text(char_model, vocab, prompt, length, *, temperature=1.0, seed=0):
    """`prompt` (lower-cased) followed by `length` sampled characters; any prompt length works."""
    prompt_ids = vocab.encode(prompt)
    ids, lengths, _ = char_model.generate(
        tf.constant(1, tf.int32),
        tf.constant(temperature, tf.float32),
        tf.constant(seed, tf.int32),
        tf.constant(prompt_ids, tf.int32, shape=[len(prompt_ids)]),
        tf.constant(len(prompt_ids) + length, tf.int32),
        tf.constant(False),
    )
    return char_model.to_strings(ids, lengths).numpy()[0].decode("utf-8")
