"""Command-line plumbing shared by the apps: one-line errors, checked flag types, training flags."""

import argparse
import sys
from pathlib import Path

from datasets.errors import InputError

STRATEGIES = ("none", "mirrored", "multiworker")


class ArgumentParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose errors are one line, without the usage block."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def main(parser, argv=None):
    """Parse `argv`, run the chosen command (`args.func(args)`) and exit with its status.

    An `InputError` is the user's to fix: it is printed as one line and the exit status is 2.
    """
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
    except InputError as error:
        message = " ".join(str(error).split())
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(status or 0)


def _number(kind, check, requirement):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {requirement}, got {text!r}") from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"expected {requirement}, got {text!r}")
        return value

    parse.__name__ = requirement
    return parse


positive_int = _number(int, lambda v: v > 0, "a positive integer")
non_negative_int = _number(int, lambda v: v >= 0, "a non-negative integer")
positive_float = _number(float, lambda v: 0 < v < float("inf"), "a positive number")
non_negative_float = _number(float, lambda v: 0 <= v < float("inf"), "a non-negative number")


def add_train_args(parser, *, epochs, out, seed=0):
    """The flags every app's `train` shares."""
    parser.add_argument("--epochs", type=positive_int, default=epochs, help="training epochs")
    parser.add_argument("--seed", type=int, default=seed, help="random seed")
    parser.add_argument(
        "--distribute",
        choices=STRATEGIES,
        default="none",
        help="tf.distribute strategy: mirrored on the local devices, or multiworker from TF_CONFIG",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue from the checkpoints in --out"
    )
    parser.add_argument("--out", type=Path, default=Path(out), help="output folder")
