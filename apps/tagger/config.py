"""The tagger's settings in one plain object, saved beside the model as `config.json`.

What training finds in the data (the model's tags, the data's scheme) is not a setting: the tags
go to `vocab.json` with the words and characters, the scheme and the rest to `facts.json`.
"""

from dataclasses import dataclass

from apps.common.config import JsonConfig

CELLS = ("lstm", "gru", "rnn")
VECTORS = ("glove50", "none")
DECODERS = ("crf", "softmax")


@dataclass
class TaggerConfig(JsonConfig):
    """Data, model, input and training settings; the defaults are the ones measured best on the
    default corpus's dev split (see apps/tagger/README.md).

    Args:
        train, dev: CoNLL files (None: the embedded corpus; no dev: a seeded tenth of train).
        scheme: the files' tag scheme, "auto" to detect it, or iob1, iob2, bioes.
        vectors: "glove50" initialises the word embedding from GloVe 6B 50-d (`datasets.glove`);
            "none" learns it from scratch with `word_dim` units.
        glove_words: with glove50, the most frequent GloVe words added to the training words.
        decoder: "crf", a linear-chain CRF (`layers.crf`) trained by likelihood and decoded by
            Viterbi with its learned transitions; "softmax", a per-token softmax decoded by
            Viterbi under the scheme's constraints alone.
        casing_share: the share of training sentences lower-, UPPER- or Title-cased once, by the
            seed (`datasets.ner.vary_casing`), so that headlines and lower-case chat still work.
        binary: the course's example: 1 for a token inside a person's name, else 0.
        internal_scheme: the scheme of the model's classes (BIOES: every chunk has an end).
    """

    train: str | None = None
    dev: str | None = None
    scheme: str = "auto"
    vectors: str = "glove50"
    glove_words: int = 50_000
    decoder: str = "crf"
    cell: str = "lstm"
    units: int = 100
    layers: int = 2
    word_dim: int = 100
    min_count: int = 1
    word_dropout: float = 0.1
    shape_dim: int = 8
    char_dim: int = 32
    char_filters: int = 50
    char_widths: tuple[int, ...] = (2, 3, 4)
    max_chars: int = 20
    dropout: float = 0.5
    casing_share: float = 0.1
    learning_rate: float = 4e-3
    batch_size: int = 32
    epochs: int = 15
    patience: int = 4
    seed: int = 0
    binary: bool = False
    internal_scheme: str = "bioes"

    @property
    def embedding_dim(self) -> int:
        """The word embedding's width: GloVe's 50, or `word_dim` without vectors."""
        return 50 if self.vectors == "glove50" else self.word_dim

    @property
    def sigmoid_output(self) -> bool:
        """A binary model with the softmax decoder ends in one sigmoid, as in the course."""
        return self.binary and self.decoder == "softmax"
