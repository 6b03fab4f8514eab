"""A linear-chain conditional random field: learned tag transitions on top of per-token scores.

`CRF` turns emission scores into the potentials of the whole chain; `CRFLoss` trains them by
maximum likelihood; `crf_decode` finds the best tag sequence (Viterbi). The loss and the decoder
are functions of the potentials and the mask alone, so a model that ends in `CRF` trains with
`model.fit`, reloads from `.keras` in safe mode still compiled, and decodes in a served graph
without the layer object.
"""

import numpy as np
from keras import backend, initializers, losses, ops, saving
from keras import layers as keras_layers

from datasets.schemes import SCHEMES, split_tag
from layers._compat import get_keras_mask

# Stands in for log 0 in the potentials. Finite, so that no sum becomes inf − inf = NaN; so large
# that a path through a forbidden transition loses to any allowed path (float32 keeps it exact).
IMPOSSIBLE = -1e9


@saving.register_keras_serializable(package="layers")
class CRF(keras_layers.Layer):
    """A linear-chain CRF over `num_tags` tags: the scores of every tag pair, learned.

    With e⟨t⟩ the emission scores of step t (the input: one score per tag, what a per-token
    softmax would turn into ŷ⟨t⟩) and y = y⟨1⟩ … y⟨Tx⟩ a tag sequence, the CRF scores the whole
    sequence

        s(x, y) = start[y⟨1⟩] + Σ_t e⟨t⟩[y⟨t⟩] + Σ_{t>1} A[y⟨t−1⟩, y⟨t⟩] + end[y⟨Tx⟩]

    and models p(y | x) = exp s(x, y) / Z(x), with Z(x) the sum of exp s(x, y′) over every tag
    sequence y′. `A (num_tags, num_tags)`, `start` and `end (num_tags,)` are the layer's weights.
    Where `allowed`, `allowed_start` or `allowed_end` forbid a transition, a first or a last tag,
    its score is the constant `IMPOSSIBLE` instead: it is never learned and never decoded.

    The layer's output is the chain's potentials ψ `(batch, Tx, num_tags + 2, num_tags)`:

        ψ⟨t⟩[i, j]            = A[i, j] + e⟨t⟩[j]    (tag i at the previous real step, j at t)
        ψ⟨t⟩[num_tags, j]     = start[j] + e⟨t⟩[j]   (the sequence starts at step t with tag j)
        ψ⟨t⟩[num_tags + 1, j] = end[j]               (the sequence ends with tag j)

    so s(x, y) is a sum of entries of ψ. `CRFLoss` is −log p(y | x) of the gold tags, computing
    log Z(x) by the forward algorithm; `crf_decode` (or `CRF.decode`) returns argmax_y s(x, y) by
    Viterbi. Both read the potentials and a mask only.

    Args:
        num_tags: the number of tags; the last axis of the input.
        allowed: optional boolean `(num_tags, num_tags)`; `allowed[i][j]` False forbids tag j
            right after tag i. `allowed_transitions` builds it for a tag scheme.
        allowed_start: optional boolean `(num_tags,)`; False forbids a tag at the first step.
        allowed_end: optional boolean `(num_tags,)`; False forbids a tag at the last step.
        initializer: Keras initializer of A, start and end.

    Masking: the mask passes through to the output. The loss and the decoder skip masked steps
    (padding, at either end or inside), as if the sequence were the real steps alone: the
    transition is scored from the previous real step, and `end` after the last one.

    Example:
    >>> import numpy as np
    >>> from layers.crf import CRF, allowed_transitions
    >>> allowed, first, last = allowed_transitions(["O", "B-PER", "I-PER"], "iob2")
    >>> crf = CRF(3, allowed=allowed, allowed_start=first, allowed_end=last)
    >>> e = np.log([[[0.1, 0.2, 0.7], [0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]]).astype("float32")
    >>> potentials = crf(e)
    >>> tuple(potentials.shape)
    (1, 3, 5, 3)
    >>> tags, scores = crf.decode(potentials)
    >>> np.asarray(tags)  # argmax per token would be I-PER I-PER O, which IOB2 forbids
    array([[1, 2, 0]], dtype=int32)

    Reference: Lafferty, McCallum and Pereira, 2001, "Conditional Random Fields: Probabilistic
    Models for Segmenting and Labeling Sequence Data"; Lample et al., 2016, "Neural Architectures
    for Named Entity Recognition".
    """

    def __init__(
        self,
        num_tags,
        allowed=None,
        allowed_start=None,
        allowed_end=None,
        initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        integer = isinstance(num_tags, (int, np.integer)) and not isinstance(num_tags, bool)
        if not integer or num_tags < 1:
            raise ValueError(f"num_tags must be a positive integer, got {num_tags!r}")
        self.num_tags = int(num_tags)
        self.allowed = _boolean(allowed, (self.num_tags, self.num_tags), "allowed")
        self.allowed_start = _boolean(allowed_start, (self.num_tags,), "allowed_start")
        self.allowed_end = _boolean(allowed_end, (self.num_tags,), "allowed_end")
        self.initializer = initializers.get(initializer)
        self.supports_masking = True

    def build(self, input_shape):
        if input_shape[-1] != self.num_tags:
            raise ValueError(
                f"CRF expects emission scores with {self.num_tags} tags on the last axis, "
                f"got shape {tuple(input_shape)}"
            )
        n = self.num_tags
        self.transitions = self.add_weight(
            shape=(n, n), initializer=self.initializer, name="transitions"
        )
        self.start_scores = self.add_weight(
            shape=(n,), initializer=self.initializer, name="start_scores"
        )
        self.end_scores = self.add_weight(
            shape=(n,), initializer=self.initializer, name="end_scores"
        )

    def call(self, emissions, mask=None):
        # `where` rather than adding a penalty: forbidden scores get exactly zero gradient, so no
        # optimizer ever moves them.
        transitions = _constrain(self.transitions, self.allowed)
        start = _constrain(self.start_scores, self.allowed_start)
        end = _constrain(self.end_scores, self.allowed_end)
        e = emissions[:, :, None, :]
        pairs = transitions + e
        first = start + e
        last = ops.zeros_like(e) + end
        return ops.concatenate([pairs, first, last], axis=2)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.num_tags + 2, self.num_tags)

    @staticmethod
    def decode(potentials, mask=None):
        """`crf_decode`: the best tag ids `(batch, Tx)` and their scores `(batch,)`."""
        return crf_decode(potentials, mask)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_tags": self.num_tags,
                "allowed": _as_list(self.allowed),
                "allowed_start": _as_list(self.allowed_start),
                "allowed_end": _as_list(self.allowed_end),
                "initializer": initializers.serialize(self.initializer),
            }
        )
        return config


@saving.register_keras_serializable(package="layers")
class CRFLoss(losses.Loss):
    """−log p(y | x) of the gold tag sequences under a `CRF`'s potentials, per sequence.

    `y_true` holds tag ids `(batch, Tx)` (or `(batch, Tx, 1)`); `y_pred` is the `CRF` output.
    The steps of a sequence are its unmasked ones: the Keras mask of `y_pred` (an embedding with
    `mask_zero=True` upstream, say), and, for sample weights of shape `(batch, Tx)`, the steps of
    non-zero weight; such a sequence then weighs the mean of its steps' weights. Sample weights
    of shape `(batch,)` weigh whole sequences. The reduction is over sequences: by default the
    weighted sum divided by the batch size. Gold tags must keep to the CRF's allowed transitions
    (convert them with `datasets.schemes.convert`); a forbidden one costs about 1e9.

    Args:
        reduction: as for any Keras loss ("sum_over_batch_size", "sum", "mean",
            "mean_with_sample_weight", or None for one value per sequence).
        name: the loss's name.
    """

    def __init__(self, reduction="sum_over_batch_size", name="crf_loss", **kwargs):
        super().__init__(name=name, reduction=reduction, **kwargs)

    def __call__(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        y_pred = ops.convert_to_tensor(y_pred)
        tags = ops.convert_to_tensor(y_true)
        if len(tags.shape) == 3:
            tags = ops.squeeze(tags, axis=-1)
        weight = None
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, y_pred.dtype)
            if len(sample_weight.shape) == 3:
                sample_weight = ops.squeeze(sample_weight, axis=-1)
            if len(sample_weight.shape) == 2:
                steps = ops.greater(sample_weight, 0)
                mask = steps if mask is None else ops.logical_and(ops.cast(mask, "bool"), steps)
                real = ops.cast(mask, y_pred.dtype)
                weight = ops.divide_no_nan(
                    ops.sum(sample_weight * real, axis=1), ops.sum(real, axis=1)
                )
            else:
                weight = sample_weight
        nll = -crf_log_likelihood(y_pred, tags, mask)
        if weight is not None:
            nll = nll * weight
        return _reduce(nll, weight, self.reduction)

    def call(self, y_true, y_pred):
        tags = ops.convert_to_tensor(y_true)
        if len(tags.shape) == 3:
            tags = ops.squeeze(tags, axis=-1)
        return -crf_log_likelihood(y_pred, tags)


def crf_log_partition(potentials, mask=None):
    """log Z(x) `(batch,)` by the forward algorithm; 0 for a sequence with no real step.

    α⟨t⟩[j] = log Σ_i exp(α⟨t−1⟩[i] + ψ⟨t⟩[i, j]), starting from the start row at the first real
    step; log Z = log Σ_j exp(α⟨last⟩[j] + end[j]).
    """
    psi, steps, n = _time_major(potentials, mask)
    batch = ops.shape(potentials)[0]

    def step(carry, inputs):
        alpha, started = carry
        psi_t, real = inputs
        real = real[:, 0]
        moved = ops.logsumexp(alpha[:, :, None] + psi_t[:, :n, :], axis=1)
        alpha_t = ops.where(started[:, None], moved, psi_t[:, n, :])
        alpha_t = ops.where(real[:, None], alpha_t, alpha)
        return alpha_t, ops.logical_or(started, real)

    initial = (ops.zeros((batch, n), psi.dtype), ops.zeros((batch,), "bool"))
    alpha, started = _scan(step, initial, (psi, steps[:, :, None]))[0]
    log_z = ops.logsumexp(alpha + _end_scores(potentials, n), axis=-1)
    return ops.where(started, log_z, ops.zeros_like(log_z))


def crf_sequence_score(potentials, tags, mask=None):
    """s(x, y) `(batch,)` of the tag ids `tags (batch, Tx)` over the real steps.

    No loop: the real steps are first moved to the front of each row (a stable reordering), so
    that each one's previous real step is the step before it.
    """
    potentials = ops.convert_to_tensor(potentials)
    n = potentials.shape[-1]
    batch = ops.shape(potentials)[0]
    real = ops.ones(ops.shape(potentials)[:2]) if mask is None else mask
    # One masked step appended, as in `_time_major`, so that no row is empty.
    potentials = ops.concatenate(
        [potentials, ops.zeros((batch, 1, n + 2, n), potentials.dtype)], axis=1
    )
    tags = ops.concatenate([ops.cast(tags, "int32"), ops.zeros((batch, 1), "int32")], axis=1)
    real = ops.concatenate([ops.cast(real, "bool"), ops.zeros((batch, 1), "bool")], axis=1)

    steps = ops.shape(tags)[1]
    position = ops.zeros_like(tags) + ops.arange(steps, dtype="int32")
    order = ops.argsort(ops.where(real, position, position + steps), axis=1)
    potentials = ops.take_along_axis(potentials, order[:, :, None, None], axis=1)
    tags = ops.take_along_axis(tags, order, axis=1)
    length = ops.sum(ops.cast(real, "int32"), axis=1)

    rows = ops.concatenate([ops.full_like(tags[:, :1], n), tags[:, :-1]], axis=1)
    chosen = ops.take_along_axis(potentials, rows[:, :, None, None], axis=2)[:, :, 0, :]
    chosen = ops.take_along_axis(chosen, tags[:, :, None], axis=2)[:, :, 0]
    score = ops.sum(ops.where(position < length[:, None], chosen, ops.zeros_like(chosen)), axis=1)
    last = ops.take_along_axis(tags, ops.maximum(length - 1, 0)[:, None], axis=1)
    end = ops.take_along_axis(potentials[:, 0, n + 1, :], last, axis=1)[:, 0]
    return score + ops.where(length > 0, end, ops.zeros_like(end))


def crf_log_likelihood(potentials, tags, mask=None):
    """log p(y | x) = s(x, y) − log Z(x), `(batch,)`."""
    return crf_sequence_score(potentials, tags, mask) - crf_log_partition(potentials, mask)


def crf_decode(potentials, mask=None):
    """The best tag sequences by Viterbi: ids `(batch, Tx)` int32, 0 at masked steps, and their
    scores s(x, y) `(batch,)`.

    Keras ops only, so it runs eagerly, inside a `tf.function` and in a SavedModel.
    """
    psi, steps, n = _time_major(potentials, mask)
    batch = ops.shape(potentials)[0]
    stay = ops.zeros((batch, n), "int32") + ops.arange(n, dtype="int32")

    def forward(carry, inputs):
        score, started, _ = carry
        psi_t, real = inputs
        real = real[:, 0]
        candidates = score[:, :, None] + psi_t[:, :n, :]
        moves = ops.logical_and(started, real)[:, None]
        score_t = ops.where(
            moves, ops.max(candidates, axis=1), ops.where(real[:, None], psi_t[:, n, :], score)
        )
        # A masked step points to the same tag, so the path passes through it unchanged.
        pointer = ops.where(moves, ops.cast(ops.argmax(candidates, axis=1), "int32"), stay)
        return score_t, ops.logical_or(started, real), pointer

    initial = (ops.zeros((batch, n), psi.dtype), ops.zeros((batch,), "bool"), stay)
    (score, started, _), (_, _, pointers) = _scan(forward, initial, (psi, steps[:, :, None]))
    final = score + _end_scores(potentials, n)
    last = ops.cast(ops.argmax(final, axis=-1), "int32")
    best = ops.where(started, ops.max(final, axis=-1), ops.zeros_like(final[:, 0]))

    def backward(following, pointer):
        return ops.take_along_axis(pointer, following[:, None], axis=1)[:, 0]

    # Step t's pointers give the tag at step t − 1, so step 0's output is not a tag.
    earlier = _scan(backward, last, pointers, reverse=True)[1][1:]
    path = ops.concatenate([earlier, last[None]], axis=0)
    path = ops.transpose(ops.where(steps, path, ops.zeros_like(path)), (1, 0))
    return path[:, :-1], best


def allowed_transitions(tags, scheme):
    """What a well-formed sequence in `scheme` allows, for `CRF(allowed=…, allowed_start=…,
    allowed_end=…)`: `(allowed (n, n), allowed_start (n,), allowed_end (n,))` boolean arrays
    over `tags` in their order.

    - IOB2: `I-X` only after `B-X` or `I-X`, so never first;
    - BIOES: `I-X` and `E-X` only after `B-X` or `I-X`, which nothing else may follow; a sequence
      starts with `O`, `B-` or `S-` and ends with `O`, `E-` or `S-`;
    - IOB1: `B-X` only after `B-X` or `I-X` (it separates two adjacent chunks of one type), so
      never first.

    Raises:
        ValueError: an unknown scheme, or a tag the scheme does not use (`E-X` in IOB2, say).
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown tag scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    used = {"iob1": "BIO", "iob2": "BIO", "bioes": "BIOES"}[scheme]
    split = [split_tag(tag) for tag in tags]
    for tag, (prefix, type_) in zip(tags, split, strict=True):
        if prefix not in used or (prefix == "O") != (type_ == ""):
            raise ValueError(f"tag {tag!r} is not a {scheme.upper()} tag")

    def inside(prefix, type_, previous):
        return previous[0] in ("B", "I") and previous[1] == type_

    def may_follow(previous, following):
        prefix, type_ = following
        if scheme == "iob2" and prefix == "I":
            return inside(prefix, type_, previous)
        if scheme == "iob1" and prefix == "B":
            return inside(prefix, type_, previous)
        if scheme == "bioes":
            if previous[0] in ("B", "I"):
                return prefix in ("I", "E") and previous[1] == type_
            return prefix in ("O", "B", "S")
        return True

    allowed = np.array([[may_follow(p, f) for f in split] for p in split], dtype=bool)
    forbidden_first = {"iob1": "B", "iob2": "I", "bioes": "IE"}[scheme]
    start = np.array([prefix not in forbidden_first for prefix, _ in split], dtype=bool)
    end = np.array([scheme != "bioes" or prefix in "OES" for prefix, _ in split], dtype=bool)
    return allowed, start, end


def _time_major(potentials, mask):
    """Potentials `(Tx + 1, batch, n + 2, n)` and steps `(Tx + 1, batch)`, time first, with one
    masked step appended: it changes nothing, and no loop then runs over zero steps (TensorFlow
    cannot stack the outputs of an empty loop whose batch size is unknown)."""
    potentials = ops.convert_to_tensor(potentials)
    n = potentials.shape[-1]
    steps = ops.ones(ops.shape(potentials)[:2]) if mask is None else mask
    batch = ops.shape(potentials)[0]
    extra = ops.zeros((batch, 1, n + 2, n), potentials.dtype)
    psi = ops.concatenate([potentials, extra], axis=1)
    steps = ops.concatenate([ops.cast(steps, "bool"), ops.zeros((batch, 1), "bool")], axis=1)
    return ops.transpose(psi, (1, 0, 2, 3)), ops.transpose(steps, (1, 0)), n


def _end_scores(potentials, n):
    # The end row is the same at every step; summing over the first (at most one) step gives it,
    # and zeros for a batch of empty sequences.
    return ops.sum(potentials[:, :1, n + 1, :], axis=1)


def _scan(step, initial, xs, reverse=False):
    """`ops.scan` of `step(carry, x) → carry` over the leading axis of `xs` (a tensor or a tuple
    of tensors), returning the last carry and every step's carry.

    Works around two limits of `ops.scan` on TensorFlow in keras 3.15: the per-step outputs must
    have the carry's structure, and a tuple of `xs` whose number of steps is unknown when traced
    fails (it checks their lengths with a method of None). A tuple therefore travels as one float
    tensor, split again inside the loop.
    """
    if isinstance(xs, tuple):
        parts = xs
        widths = [int(np.prod(x.shape[2:])) for x in parts]
        steps_and_batch = ops.shape(parts[0])[:2]
        xs = ops.concatenate(
            [
                ops.reshape(ops.cast(x, parts[0].dtype), (*steps_and_batch, width))
                for x, width in zip(parts, widths, strict=True)
            ],
            axis=-1,
        )
        bounds = np.cumsum([0, *widths]).tolist()

        def unpack(x):
            return tuple(
                ops.cast(ops.reshape(x[:, a:b], (-1, *part.shape[2:])), part.dtype)
                for part, a, b in zip(parts, bounds[:-1], bounds[1:], strict=True)
            )
    else:

        def unpack(x):
            return x

    def body(carry, x):
        carry = step(carry, unpack(x))
        return carry, carry

    return ops.scan(body, initial, xs, reverse=reverse)


def _constrain(scores, allowed):
    if allowed is None:
        return scores
    scores = ops.convert_to_tensor(scores)  # a variable: JAX's full_like takes only arrays
    return ops.where(allowed, scores, ops.full_like(scores, IMPOSSIBLE))


def _reduce(values, weight, reduction):
    if reduction is None or reduction == "none":
        return values
    total = ops.sum(values)
    if reduction == "mean_with_sample_weight" and weight is not None:
        total = ops.divide_no_nan(total, ops.sum(weight))
    elif reduction != "sum":
        total = total / ops.cast(ops.shape(values)[0], total.dtype)
    # Under tf.distribute, Keras sums the replicas' losses; each reports its share.
    if backend.backend() == "tensorflow":
        import tensorflow as tf

        total = total / tf.distribute.get_strategy().num_replicas_in_sync
    return total


def _boolean(value, shape, name):
    if value is None:
        return None
    array = np.asarray(value)
    if array.shape != shape or not (array.dtype == bool or np.isin(array, (0, 1)).all()):
        raise ValueError(f"{name} must be a boolean array of shape {shape}, got {array.shape}")
    return array.astype(bool)


def _as_list(array):
    return None if array is None else array.tolist()
