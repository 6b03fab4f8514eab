"""`python -m apps.tagger train|evaluate|tag`: the entity tagger's command line."""

import json
import sys
from pathlib import Path

from apps.common import cli
from apps.tagger.config import CELLS, TaggerConfig
from apps.tagger.metrics import format_scores
from apps.tagger.predict import entities, predict_tags, score
from apps.tagger.tokenize import tokenize
from datasets.conll import format_conll, read_conll
from datasets.errors import InputError
from datasets.schemes import SCHEMES, detect_scheme, foreign_tag

DEFAULT_DIR = Path("saved_models/tagger")
DEFAULTS = TaggerConfig()


def read_tagged(path, scheme):
    """A CoNLL file whose tags must fit `scheme` unless it is "auto"."""
    sentences = read_conll(path)
    if scheme != "auto":
        for sentence in sentences:
            tag = foreign_tag(sentence.tags, scheme)
            if tag is not None:
                raise InputError(
                    f"{path}, sentence starting line {sentence.line}: tag {tag!r} is not "
                    f"{scheme.upper()}; use --scheme auto or the file's scheme"
                )
    return sentences


def load_training_data(args):
    """`(train, dev, source)`: the user's files, or the embedded WNUT-16 split."""
    from apps.tagger.train import dev_slice
    from datasets.wnut import SOURCE, split_wnut16

    if args.train is None:
        if args.dev is not None:
            raise InputError("--dev needs --train: the embedded corpus brings its own dev split")
        train, dev, _ = split_wnut16()
        return train, dev, SOURCE
    train = read_tagged(args.train, args.scheme)
    if args.dev is not None:
        return train, read_tagged(args.dev, args.scheme), str(args.train)
    if len(train) < 2:
        raise InputError(f"{args.train}: needs at least 2 sentences to hold one out, or give --dev")
    train, dev = dev_slice(train, args.seed)
    return train, dev, str(args.train)


def train_command(args):
    from apps.common.distribute import get_strategy, is_chief
    from apps.common.seeding import set_seed
    from apps.tagger.model_dir import save_model_dir
    from apps.tagger.train import train_tagger

    train, dev, source = load_training_data(args)
    config = TaggerConfig(
        cell=args.cell,
        units=args.units,
        layers=args.layers,
        epochs=args.epochs,
        seed=args.seed,
        binary=args.binary,
    )
    config.scheme = (
        detect_scheme(s.tags for s in train + dev) if args.scheme == "auto" else args.scheme
    )
    set_seed(args.seed)
    strategy = get_strategy(args.distribute)
    chief = is_chief(strategy)
    print(
        f"training on {len(train)} sentences of {source} ({config.scheme}), "
        f"early stopping on {len(dev)}",
        file=sys.stderr,
    )
    tagger, words, chars, _ = train_tagger(
        config, train, dev, args.out, resume=args.resume, strategy=strategy, chief=chief
    )
    if chief:
        server = save_model_dir(args.out, tagger, config, words, chars)
        print(format_scores(score(server, dev, config.binary)))
        print(f"saved to {args.out}/ (SavedModel in {args.out}/export/)", file=sys.stderr)


def evaluate_command(args):
    from apps.tagger.model_dir import load_model_dir

    sentences = read_conll(args.data)
    server, config = load_model_dir(args.model)
    scores = score(server, sentences, config.binary)
    print(json.dumps(scores) if args.json else format_scores(scores))


def read_text(args):
    lines = args.text if args.text else sys.stdin.read().splitlines()
    sentences = [line for text in lines for line in text.splitlines() if line.strip()]
    if not sentences:
        raise InputError("no text to tag: give sentences as arguments or on stdin, one per line")
    return sentences


def tag_command(args):
    from apps.tagger.model_dir import load_model_dir

    texts = read_text(args)
    server, config = load_model_dir(args.model)
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
    verbs = parser.add_subparsers(dest="verb", required=True)

    train = verbs.add_parser("train", help="train on CoNLL files or the embedded WNUT-16 tweets")
    train.add_argument("--train", type=Path, help="CoNLL training file (default: WNUT-16)")
    train.add_argument(
        "--dev",
        type=Path,
        help="CoNLL dev file for early stopping (default: a seeded tenth of --train)",
    )
    train.add_argument(
        "--scheme",
        choices=("auto", *SCHEMES),
        default="auto",
        help="tag scheme of the files (default: detected)",
    )
    train.add_argument("--cell", choices=CELLS, default=DEFAULTS.cell, help="recurrent cell")
    train.add_argument(
        "--units", type=cli.positive_int, default=DEFAULTS.units, help="n_a of each direction"
    )
    train.add_argument(
        "--layers",
        type=cli.positive_int,
        default=DEFAULTS.layers,
        help="stacked bidirectional layers",
    )
    train.add_argument(
        "--binary",
        action="store_true",
        help="the course's example: 1 for a token inside a person's name, else 0",
    )
    cli.add_train_args(train, epochs=DEFAULTS.epochs, out=DEFAULT_DIR, seed=DEFAULTS.seed)
    train.set_defaults(func=train_command)

    evaluate = verbs.add_parser("evaluate", help="entity precision, recall and F1 on a CoNLL file")
    evaluate.add_argument("--data", type=Path, required=True, help="tagged CoNLL file")
    evaluate.add_argument("--model", type=Path, default=DEFAULT_DIR, help="trained tagger folder")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=evaluate_command)

    tag = verbs.add_parser("tag", help="tag raw text: one sentence per argument or stdin line")
    tag.add_argument("text", nargs="*", help="sentences (default: read stdin)")
    tag.add_argument("--model", type=Path, default=DEFAULT_DIR, help="trained tagger folder")
    tag.add_argument("--format", choices=("conll", "json"), default="conll", help="output format")
    tag.set_defaults(func=tag_command)
    return parser


def main(argv=None):
    cli.main(build_parser(), argv)


if __name__ == "__main__":
    main()
