"""Command line: `python -m apps.dinos train | sample | score`; flags become a `Config`."""

import json
import math
import random
from pathlib import Path

from apps.common import cli
from apps.dinos.config import LARGE_FROM_CHARS, PRESETS, SIZES, Config
from datasets.errors import InputError

DEFAULT_MODEL = Path("saved_models/dinos")
CELLS = ("gru", "lstm", "rnn", "simple_gru")  # layers.CELLS, without importing Keras for --help
TEXT_WINDOW = 40
TEXT_LENGTH = 200
MAX_SEED = 2**31 - 1  # seeds are int32 in the compiled sampler and the SavedModel
# The ranges of the numeric flags (README, --help). Sampling streams, so --num is bounded only
# by what a run can be asked for; --length and --prompt keep one sequence in memory.
MAX_NUM = 2**31 - 1
MAX_NAME_LENGTH = 1000
MAX_TEXT_LENGTH = 100_000
MAX_PROMPT = 100_000
SCORE_BATCH = 1000


def run_train(args):
    from apps.dinos.train import train_and_evaluate

    if args.window is not None and args.text is None:
        raise InputError("--window: only for running text; give --text FILE as well")
    defaults = Config()
    config = Config(
        data=args.data,
        text=None if args.text is None else str(args.text),
        size=args.size,
        cell=args.cell,
        units=args.units,
        layers=args.layers,
        epochs=args.epochs,
        patience=args.patience,
        batch_size=args.batch_size,
        clip_value=None if args.clip_norm else (args.clip_value or defaults.clip_value),
        clip_norm=args.clip_norm,
        seed=args.seed,
        window=(args.window or TEXT_WINDOW) if args.text is not None else None,
    )
    run = train_and_evaluate(config, args.out, distribute=args.distribute, resume=args.resume)
    history, sized = run.history, run.prepared.facts["config"]
    print(
        f"size {sized.size}: {sized.layers} × {sized.cell} of {sized.units} units, "
        f"batch {sized.batch_size}, {len(history.epoch)} of at most {sized.epochs} epochs"
    )
    perplexities = history.history.get("val_perplexity", [])
    if perplexities:
        best = min(range(len(perplexities)), key=perplexities.__getitem__)
        lowest, epoch = perplexities[best], history.epoch[best] + 1
        print(f"lowest validation perplexity per character: {lowest:.3f} (epoch {epoch})")
    print(f"saved the model to {args.out}/ (SavedModel in {args.out}/export/1/)")


def run_sample(args):
    from apps.dinos.export import load_trained
    from apps.dinos.sampling import continue_text, iter_names, sample_names

    seed = random.SystemRandom().randrange(MAX_SEED) if args.seed is None else args.seed
    if args.prompt is not None and len(args.prompt) > MAX_PROMPT:
        raise InputError(f"--prompt: {len(args.prompt):,} characters; at most {MAX_PROMPT:,}")
    char_model, vocab, config, names = load_trained(args.model)
    if config.is_text:
        if args.prefix or args.novel:
            raise InputError("--prefix and --novel are for names models; use --prompt")
        length = TEXT_LENGTH if args.length is None else args.length
        text = continue_text(
            char_model, vocab, args.prompt or "", length, temperature=args.temperature, seed=seed
        )
        print(text)
        return
    if args.prompt is not None or args.length is not None:
        raise InputError("--prompt and --length are for models trained with --text; use --prefix")
    options = dict(temperature=args.temperature, seed=seed, prefix=args.prefix.lower(),
                   max_length=args.max_length)
    if args.novel:
        print("\n".join(sample_names(char_model, vocab, args.num, exclude=names, **options)))
        return
    # Streamed: a huge --num prints as it goes, in bounded memory.
    batch = []
    for name in iter_names(char_model, vocab, args.num, **options):
        batch.append(name)
        if len(batch) == 1000:
            print("\n".join(batch), flush=True)
            batch = []
    if batch:
        print("\n".join(batch))


def run_score(args):
    import tensorflow as tf

    from apps.dinos.export import load_trained

    names = [name.lower() for name in args.names]
    for name in names:
        if not name.strip():
            raise InputError(f"score: {name!r} is not a name (empty or only spaces)")
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(
                f"score: a name of {len(name):,} characters; at most {MAX_NAME_LENGTH:,}"
            )
    char_model, vocab, _, _ = load_trained(args.model)
    for name in names:
        vocab.encode(name)  # a name the model cannot spell is the user's to fix
    log_probs = [
        value
        for start in range(0, len(names), SCORE_BATCH)
        for value in char_model.score(
            tf.constant(names[start : start + SCORE_BATCH], tf.string)
        )["log_prob"].numpy()
    ]
    rows = [
        {
            "name": name,
            "log_prob": float(log_prob),
            # per character of the name and its end token
            "perplexity": math.exp(-float(log_prob) / (len(name) + 1)),
        }
        for name, log_prob in zip(names, log_probs, strict=True)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        print(f"{row['name']}\tlog P = {row['log_prob']:.4f}\tperplexity {row['perplexity']:.3f}")


def build_parser():
    parser = cli.ArgumentParser(
        prog="python -m apps.dinos",
        description="Invent dinosaur names (or baby names, or any names) with a "
        "character-level language model.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="VERB")

    train_cmd = cli.add_verb(
        commands, "train", help="train on names (or running text) and write a model folder",
        example="python -m apps.dinos train --data my_names.txt --out saved_models/mine",
        func=run_train,
    )
    source = train_cmd.add_mutually_exclusive_group()
    source.add_argument(
        "--data", metavar="FILE|LIST",
        help="names, one per line, or a built-in list: dinosaurs (the default) or names "
        "(32,033 US baby names); write ./names for a file called names",
    )
    source.add_argument(
        "--text", type=Path, metavar="FILE", help="running text to learn instead of names"
    )
    train_cmd.add_argument(
        "--window", type=cli.int_range(2, 10_000),
        help=f"--text: characters per training window (default {TEXT_WINDOW})",
    )
    defaults = Config()
    train_cmd.add_argument(
        "--size", choices=SIZES, default=defaults.size,
        help=f"preset for the settings below that are not given: {_presets_help()}; auto "
        f"picks large from {LARGE_FROM_CHARS:,} characters of data",
    )
    train_cmd.add_argument(
        "--cell", choices=CELLS, default=defaults.cell, help="the recurrent cell"
    )
    train_cmd.add_argument("--units", type=cli.units_int, help="n_a of every layer")
    train_cmd.add_argument("--layers", type=cli.int_range(1, 8), help="stacked layers")
    train_cmd.add_argument(
        "--batch-size", type=cli.int_range(1, 4096), help="sequences per batch"
    )
    train_cmd.add_argument(
        "--patience", type=cli.int_range(1, cli.MAX_EPOCHS),
        help="stop after this many epochs without a lower validation perplexity",
    )
    clip = train_cmd.add_mutually_exclusive_group()
    clip.add_argument(
        "--clip-value",
        type=cli.float_range(1e-6, 1e6),
        help=f"clip each gradient entry to ±V (default {defaults.clip_value}, as the course)",
    )
    clip.add_argument(
        "--clip-norm", type=cli.float_range(1e-6, 1e6), help="clip each gradient's norm"
    )
    cli.add_train_args(train_cmd, epochs=None, out=DEFAULT_MODEL, seed=defaults.seed)

    sample_cmd = cli.add_verb(
        commands, "sample", help="print sampled names, one per line",
        example="python -m apps.dinos sample --num 20 --temperature 0.8 --seed 1",
        func=run_sample,
    )
    sample_cmd.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL, metavar="DIR", help="trained model folder"
    )
    sample_cmd.add_argument(
        "--num", type=cli.int_range(1, MAX_NUM), default=10,
        help="how many names (printed as they are drawn)",
    )
    cli.add_sampling_args(sample_cmd, seed_help="same seed, same names (default: a fresh one)")
    sample_cmd.add_argument("--prefix", default="", help="start every name with this")
    sample_cmd.add_argument(
        "--max-length", type=cli.int_range(1, MAX_NAME_LENGTH), default=50,
        help="longest name, in characters",
    )
    sample_cmd.add_argument(
        "--novel", action="store_true", help="only names absent from the training data"
    )
    sample_cmd.add_argument(
        "--prompt", help=f"text models: the text to continue (up to {MAX_PROMPT:,} characters)"
    )
    sample_cmd.add_argument(
        "--length", type=cli.int_range(1, MAX_TEXT_LENGTH),
        help=f"text models: characters to add (default {TEXT_LENGTH})",
    )

    score_cmd = cli.add_verb(
        commands, "score", help="log-probability and perplexity of names",
        example="python -m apps.dinos score tyrannosaurus zzzxq --json", func=run_score,
    )
    score_cmd.add_argument("names", nargs="+", metavar="NAME", help="names to score")
    score_cmd.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL, metavar="DIR", help="trained model folder"
    )
    score_cmd.add_argument("--json", action="store_true", help="print one JSON array")
    return parser


def _presets_help():
    return "; ".join(
        f"{name}: {p['units']} units, batch {p['batch_size']}, at most {p['epochs']} epochs, "
        f"patience {p['patience']}"
        for name, p in PRESETS.items()
    )


def main(argv=None):
    cli.main(build_parser(), argv)


if __name__ == "__main__":
    main()
