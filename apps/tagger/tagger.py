"""`Tagger`: a trained model folder as a Python object that finds entities in text.

    from apps.tagger import Tagger

    tagger = Tagger.load("saved_models/tagger")          # once: reads the SavedModel
    tagger("He moved to Cupertino. Google is based there.")
    # [Entity(text='Cupertino', type='LOC', start=12, end=21, score=0.97),
    #  Entity(text='Google', type='ORG', start=23, end=29, score=0.99)]
    for entities in tagger.pipe(lines, batch_size=256): ...
    tagger.tag_tokens([["Ada", "Lovelace", "met", "Babbage"]])[0].tags

Text is tokenized (`apps.tagger.tokenize`) and split into sentences (`apps.tagger.sentences`), so
no entity crosses a sentence end; a sentence longer than `MAX_SENTENCE_TOKENS` is tagged in
pieces. Sentences of similar length share a call of the model. Each entity's `score` is the
model's probability of exactly that span and type (`apps.tagger.confidence`).

The model is the SavedModel of the folder (faster to load than the Keras model, and it needs no
tracing); a folder exported before the `scores` signature existed is read through its Keras model.
"""

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from apps.tagger.confidence import TokenMarginals, chunk_constraints, crf_marginals
from apps.tagger.config import TaggerConfig
from apps.tagger.sentences import pieces, split_sentences
from apps.tagger.tokenize import Token, tokenize
from datasets.errors import InputError
from datasets.schemes import chunks

DEFAULT_MODEL = Path("saved_models/tagger")
# One text at most this long (about 200,000 tokens): past it, split it or use `pipe` on its parts.
MAX_TEXT_CHARS = 1_000_000
DEFAULT_BATCH_SIZE = 64
MAX_BATCH_SIZE = 4096
# Settings a config.json written before they existed implies (see apps.tagger.export).
EARLIER_DEFAULTS = {"vectors": "none", "decoder": "softmax", "casing_share": 0.0}


class Entity(NamedTuple):
    """An entity: its text, type, `[start, end)` offsets (characters into the text given, or
    tokens for `tag_tokens`) and the model's probability of exactly this span and type."""

    text: str
    type: str
    start: int
    end: int
    score: float


class TaggedSentence(NamedTuple):
    """A pre-tokenized sentence with one tag per token (in the training data's scheme) and its
    entities, whose `start` and `end` count tokens."""

    tokens: tuple[str, ...]
    tags: list[str]
    entities: list[Entity]


class Document(NamedTuple):
    """A text with everything the tagger found: its tokens (with character offsets), one tag per
    token, the `[start, end)` character span of each sentence, the entities, and the `[start,
    end)` token range of each sentence."""

    text: str
    tokens: list[Token]
    tags: list[str]
    sentences: list[tuple[int, int]]
    entities: list[Entity]
    sentence_tokens: list[tuple[int, int]]


class Tagger:
    """A trained entity tagger, loaded once and called on text.

    Args (use `Tagger.load`):
        model: a callable from a `(batch, Tx)` string matrix padded with "" to `(tags, scores)`
            numpy arrays (the SavedModel's `scores` signature).
        config: the model's `TaggerConfig`.
        classes: the model's classes, in `config.internal_scheme` (`vocab.json`'s tags).
        path: the model folder, for messages.

    Raises (from every method): `TypeError` for a text that is not a string (or tokens that are
    not strings); `datasets.errors.InputError` for a text longer than `MAX_TEXT_CHARS`, an empty
    token, or a `batch_size` outside 1…`MAX_BATCH_SIZE`.
    """

    def __init__(self, model, config: TaggerConfig, classes: Sequence[str], path=None):
        self._model = model
        self.config = config
        self.path = path
        self.classes = ["O", "I-person"] if config.binary else list(classes)
        self._scheme = "binary" if config.binary else config.internal_scheme
        self.types = tuple(sorted({c.partition("-")[2] for c in self.classes if c != "O"}))

    @classmethod
    def load(cls, path=DEFAULT_MODEL) -> "Tagger":
        """The tagger in the model folder `path` that `python -m apps.tagger train` wrote.

        Raises:
            InputError: `path` is missing, not a tagger's model folder, or a file in it is
                missing or unreadable.
        """
        path = Path(path)
        config, classes = read_settings(path)
        return cls(_load_model(path), config, classes, path)

    # --- raw text ---------------------------------------------------------------------------
    def __call__(self, text: str) -> list[Entity]:
        """The entities of `text`, in order, with character offsets into it; `[]` for ""."""
        return self.analyse([text])[0].entities

    def pipe(
        self, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> Iterator[list[Entity]]:
        """The entities of each text, one list per text, in order; texts are read lazily and
        their sentences tagged `batch_size` at a time."""
        for document in self.documents(texts, batch_size):
            yield document.entities

    def analyse(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> list[Document]:
        """A `Document` (tokens, tags, sentences, entities) for each text."""
        return list(self.documents(texts, batch_size))

    def documents(
        self, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE
    ) -> Iterator[Document]:
        """`analyse`, lazily: holds at most about `batch_size` sentences (and one text) at once."""
        _check_batch_size(batch_size)
        pending, count = [], 0
        for text in texts:
            prepared = self._prepare(text)
            pending.append(prepared)
            count += len(prepared[3])
            if count >= batch_size:
                yield from self._finish(pending, batch_size)
                pending, count = [], 0
        yield from self._finish(pending, batch_size)

    # --- pre-tokenized ----------------------------------------------------------------------
    def tag_tokens(
        self, sentences: Iterable[Sequence[str]], batch_size: int = DEFAULT_BATCH_SIZE,
        *, scores: bool = True,
    ) -> list[TaggedSentence]:
        """Tags and entities of pre-tokenized sentences (each a sequence of token strings),
        taken as they are: no tokenizing, no sentence splitting. `scores=False` leaves out the
        entities' probabilities (each `score` is then nan), for when only the tags count."""
        _check_batch_size(batch_size)
        sentences = [_check_tokens(tokens) for tokens in sentences]
        ranges = [pieces(0, len(tokens)) for tokens in sentences]
        flat = [tokens[a:b] for tokens, spans in zip(sentences, ranges, strict=True)
                for a, b in spans]
        results = iter(self._tag(flat, batch_size, scores))
        tagged = []
        for tokens, spans in zip(sentences, ranges, strict=True):
            tags, entities = [], []
            for a, _ in spans:
                piece_tags, piece_entities = next(results)
                tags.extend(piece_tags)
                entities.extend(
                    Entity(" ".join(tokens[a + s : a + e]), type_, a + s, a + e, score)
                    for type_, s, e, score in piece_entities
                )
            tagged.append(TaggedSentence(tokens, tags, entities))
        return tagged

    # --- the steps --------------------------------------------------------------------------
    def _prepare(self, text):
        if not isinstance(text, str):
            raise TypeError(f"the tagger reads text as str, got {type(text).__name__}")
        if len(text) > MAX_TEXT_CHARS:
            raise InputError(
                f"a text of {len(text):,} characters; the tagger takes at most "
                f"{MAX_TEXT_CHARS:,} at once: split it (pipe() takes the parts)"
            )
        tokens = tokenize(text)
        ranges = split_sentences(text, tokens)
        spans = [piece for start, end in ranges for piece in pieces(start, end)]
        return text, tokens, ranges, spans

    def _finish(self, pending, batch_size):
        flat = [[t.text for t in tokens[a:b]] for _, tokens, _, spans in pending for a, b in spans]
        results = iter(self._tag(flat, batch_size))
        for text, tokens, ranges, spans in pending:
            tags, entities = [], []
            for a, _ in spans:
                piece_tags, piece_entities = next(results)
                tags.extend(piece_tags)
                for type_, s, e, score in piece_entities:
                    start, end = tokens[a + s].start, tokens[a + e - 1].end
                    entities.append(Entity(text[start:end], type_, start, end, score))
            sentences = [(tokens[a].start, tokens[b - 1].end) for a, b in ranges]
            yield Document(text, tokens, tags, sentences, entities, ranges)

    def _tag(self, token_lists, batch_size, scores=True):
        """`(tags, [(type, start, end, score)])` for each token list (each at most
        `MAX_SENTENCE_TOKENS` long); lists of similar length share a call. Without `scores`,
        each score is nan."""
        order = sorted(range(len(token_lists)), key=lambda i: len(token_lists[i]))
        results = [([], []) for _ in token_lists]
        for first in range(0, len(order), batch_size):
            batch = [i for i in order[first : first + batch_size] if token_lists[i]]
            if not batch:
                continue
            tags, potentials = self._model(_pad([token_lists[i] for i in batch]))
            lengths = [len(token_lists[i]) for i in batch]
            decoded = [[tag.decode("utf-8") for tag in tags[row, :length]]
                       for row, length in enumerate(lengths)]
            found = [chunks(self.readable(sentence_tags)) for sentence_tags in decoded]
            rows = [row for row, sentence_chunks in enumerate(found)
                    if sentence_chunks and scores]
            marginals = dict(zip(rows, self._marginals(potentials, rows, lengths), strict=True))
            for row, i in enumerate(batch):
                results[i] = (decoded[row], [
                    (type_, start, end, self._score(marginals.get(row), type_, start, end,
                                                    lengths[row]))
                    for type_, start, end in found[row]
                ])
        return results

    def readable(self, tags: Sequence[str]) -> list[str]:
        """Tags as chunks read them: a binary model's 1 / 0 as I-person / O."""
        return ["I-person" if tag == "1" else "O" for tag in tags] if self.config.binary \
            else list(tags)

    def _score(self, marginals, type_, start, end, length):
        if marginals is None:
            return float("nan")
        return marginals.probability(
            chunk_constraints(self.classes, self._scheme, type_, start, end, length))

    def _marginals(self, scores, rows, lengths):
        """The marginals of the sentences `rows` of a batch's `scores`."""
        if not rows:
            return []
        lengths = [lengths[row] for row in rows]
        scores = scores[rows, : max(lengths)]
        if self.config.decoder == "crf":
            return crf_marginals(scores, lengths)
        if self.config.sigmoid_output:
            scores = np.concatenate([1.0 - scores, scores], axis=-1)
        return [TokenMarginals(p[:length]) for p, length in zip(scores, lengths, strict=True)]


def _check_batch_size(batch_size):
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError(f"batch_size must be an int, got {type(batch_size).__name__}")
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise InputError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}, got {batch_size}")


def _check_tokens(tokens):
    if isinstance(tokens, str) or not isinstance(tokens, Sequence):
        raise TypeError(
            "tag_tokens takes each sentence as a list of token strings, got "
            f"{type(tokens).__name__}"
        )
    for token in tokens:
        if not isinstance(token, str):
            raise TypeError(f"a token must be a str, got {type(token).__name__}")
        if not token.strip():
            raise InputError("an empty or blank token: every token needs a visible character")
    if len(tokens) > MAX_TEXT_CHARS // 5:
        raise InputError(f"a sentence of {len(tokens):,} tokens; at most {MAX_TEXT_CHARS // 5:,}")
    return tuple(tokens)


def _pad(token_lists):
    longest = max(len(tokens) for tokens in token_lists)
    rows = [list(tokens) + [""] * (longest - len(tokens)) for tokens in token_lists]
    return np.array(rows, dtype=object)


# --- the model folder -------------------------------------------------------------------------
def read_settings(path: Path) -> tuple[TaggerConfig, list[str]]:
    """The folder's `TaggerConfig` and the model's classes, checked without loading the model."""
    from apps.common import model_folder

    # A folder, this app's, with its config, and nothing edited or mixed (the manifest).
    model_folder.check_model_folder(path, "tagger")
    config_path = path / model_folder.CONFIG_FILE
    vocabularies = model_folder.read_object(path / model_folder.VOCAB_FILE)
    facts = model_folder.read_object(path / model_folder.FACTS_FILE)
    classes = vocabularies.get("tags")
    if not isinstance(classes, list) or "scheme" not in facts:
        raise InputError(f"{path}: not a tagger model folder (no tags in vocab.json or no scheme "
                         "in facts.json)")
    try:
        config = TaggerConfig.from_dict(
            {**EARLIER_DEFAULTS, **model_folder.read_object(config_path)}, source=config_path
        )
    except TypeError as error:
        raise InputError(f"{config_path}: not a tagger's settings ({error})") from None
    return config, classes


def _load_model(path: Path):
    import tensorflow as tf

    from apps.common.model_folder import export_path
    from apps.common.quiet import filtered_stderr
    export = export_path(path)
    if not (export / "saved_model.pb").is_file():
        raise InputError(f"{path}: no SavedModel in {export}; train the model again")
    try:
        with filtered_stderr():
            loaded = tf.saved_model.load(str(export))
    except Exception as error:  # noqa: BLE001  (any unreadable SavedModel is reported the same)
        raise InputError(f"{export}: not a readable SavedModel ({type(error).__name__})") from None
    if "scores" in loaded.signatures:
        signature = loaded.signatures["scores"]

        def model(matrix):
            out = signature(tokens=tf.constant(matrix, dtype=tf.string))
            return out["tags"].numpy(), out["scores"].numpy()

        return model
    from apps.tagger.export import load_tagger

    server, _ = load_tagger(path)

    def model(matrix):
        out = server.scores(tf.constant(matrix, dtype=tf.string))
        return out["tags"].numpy(), out["scores"].numpy()

    return model

