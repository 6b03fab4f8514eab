"""How sure the model is of each entity: the probability, under the model, that the sentence has
exactly that chunk (its type, first and last token), between 0 and 1.

For a CRF this is a marginal of the whole chain, by the forward-backward algorithm over its
potentials ψ (`layers.crf.CRF`): with α⟨t⟩[j] the log-sum of the scores of every path prefix that
ends in tag j at step t and β⟨t⟩[i] that of every suffix after tag i at step t,

    p(chunk) = Σ over paths whose tags spell the chunk of exp s(x, y) / Z(x)

computed as α at the chunk's first token kept to the tag the chunk needs there, carried through
ψ along the chunk with every other tag forbidden, and closed with β at its last token. For a
per-token softmax (or a binary model's sigmoid) the tokens are independent, so it is the product
over the chunk's tokens of the probability of the tags the chunk allows there.

Which tags spell a chunk depends on the model's classes: in BIOES, `B-X I-X … E-X` or `S-X`
(BIOES's transitions make those tags alone decide the chunk); in IOB2, `B-X I-X …` and then any
tag but `I-X`; a binary model's run of `1`s needs a `0` (or the sentence's edge) on each side.
"""

import numpy as np

from datasets.schemes import split_tag


def _logsumexp(x, axis):
    top = np.max(x, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.squeeze(top, axis) + np.log(np.sum(np.exp(x - top), axis=axis))


def chunk_constraints(tags, scheme, type_, start, end, length):
    """`{position: allowed (n_tags,) bool}` of the tags that spell the chunk `(type_, start,
    end)` in a sentence of `length` tokens; `tags` are the model's classes in `scheme` ("bioes",
    "iob2", or "binary" for `["O", "I-person"]`)."""
    split = [split_tag(tag) for tag in tags]

    def allowed(prefixes, negate=False):
        ok = np.array([p in prefixes and t == type_ for p, t in split])
        return ~ok if negate else ok

    constraints = {}
    if scheme == "binary":
        inside = np.array([p != "O" for p, _ in split])
        for t in range(start, end):
            constraints[t] = inside
        for t in (start - 1, end):
            if 0 <= t < length:
                constraints[t] = ~inside
        return constraints
    if scheme == "bioes" and end - start == 1:
        return {start: allowed({"S"})}
    constraints[start] = allowed({"B"})
    for t in range(start + 1, end):
        constraints[t] = allowed({"I"})
    if scheme == "bioes":
        constraints[end - 1] = allowed({"E"})
    elif end < length:
        constraints[end] = allowed({"I"}, negate=True)
    return constraints


class CRFMarginals:
    """Forward-backward over one sentence's CRF potentials ψ `(Tx, n + 2, n)` (real steps only).

    `alpha` and `beta` are passed when `crf_marginals` has already computed them for a batch.
    """

    def __init__(self, potentials, alpha=None, beta=None):
        self.psi = np.asarray(potentials, dtype=np.float64)
        self.n = self.psi.shape[-1]
        if alpha is None:
            alpha, beta = _forward_backward(self.psi[None], [self.psi.shape[0]])
            alpha, beta = alpha[0], beta[0]
        self.alpha, self.beta = alpha, beta
        self.log_z = _logsumexp(alpha[-1] + beta[-1], axis=0)

    def probability(self, constraints):
        """p(y⟨t⟩ ∈ allowed⟨t⟩ for every constrained t): the constrained positions form one run."""
        first, last = min(constraints), max(constraints)
        forbidden = -np.inf
        g = np.where(constraints[first], self.alpha[first], forbidden)
        for t in range(first + 1, last + 1):
            g = _logsumexp(g[:, None] + self.psi[t, : self.n], axis=0)
            g = np.where(constraints.get(t, True), g, forbidden)
        log_p = _logsumexp(g + self.beta[last], axis=0) - self.log_z
        return float(np.clip(np.exp(log_p), 0.0, 1.0))


def crf_marginals(potentials, lengths) -> list[CRFMarginals]:
    """`CRFMarginals` of each sentence of a padded batch: ψ `(batch, Tx, n + 2, n)` and each
    sentence's length in tokens. One pass over the steps serves the whole batch."""
    psi = np.asarray(potentials, dtype=np.float64)
    alpha, beta = _forward_backward(psi, lengths)
    return [CRFMarginals(psi[b, :length], alpha[b, :length], beta[b, :length])
            for b, length in enumerate(lengths)]


def _forward_backward(psi, lengths):
    """α and β `(batch, Tx, n)` in log space; β of each sentence starts at its own last token
    (what lies past it is padding, computed but never read)."""
    batch, steps, _, n = psi.shape
    last = np.asarray(lengths) - 1
    alpha = np.empty((batch, steps, n))
    beta = np.empty((batch, steps, n))
    alpha[:, 0] = psi[:, 0, n]
    end = psi[:, 0, n + 1]
    beta[:, -1] = end
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # padding: anything
        for t in range(1, steps):
            alpha[:, t] = _logsumexp(alpha[:, t - 1, :, None] + psi[:, t, :n], axis=1)
        for t in range(steps - 2, -1, -1):
            carried = _logsumexp(psi[:, t + 1, :n] + beta[:, t + 1, None, :], axis=2)
            beta[:, t] = np.where((last == t)[:, None], end, carried)
    return alpha, beta


class TokenMarginals:
    """A per-token model's probabilities `(Tx, n)`; the tokens are independent."""

    def __init__(self, probabilities):
        self.p = np.asarray(probabilities, dtype=np.float64)

    def probability(self, constraints):
        p = 1.0
        for t, allowed in constraints.items():
            p *= float(np.sum(self.p[t][allowed]))
        return float(np.clip(p, 0.0, 1.0))
