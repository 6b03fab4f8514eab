"""Command-line plumbing shared by the apps: one-line errors, exit codes, checked flag types,
the flags every `train` shares, and help that shows defaults and an example per verb.

Nothing here imports TensorFlow, so `--help` answers at once; the apps import it inside the
verbs that need it.
"""

import argparse
import errno
import os
import sys
from pathlib import Path

from apps.common.errors import TrainingError
from datasets.errors import InputError

STRATEGIES = ("none", "mirrored", "multiworker")
USAGE_ERROR = 2  # a bad file, flag or model folder: the user's to fix
RUN_FAILED = 1  # the run itself failed (a NaN loss, a full disk)
# Operating-system errors that say the run failed rather than that a path or flag was wrong.
FAILED_RUN_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.ENOMEM}
MAX_UNITS = 1024  # n_a: past this a model no longer fits a few GB with its optimizer state
MAX_EPOCHS = 1000
MAX_TEMPERATURE = 100.0


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help that keeps the examples' line breaks and appends "(default: …)" to every flag
    that has one."""

    def _get_help_string(self, action):
        text = action.help or ""
        bounds = getattr(action.type, "range", None)
        if bounds is not None and action.help is not None:
            text += f" (from {_bound(bounds[0])} to {_bound(bounds[1])})"
        default = action.default
        missing = default is None or default is False or default is argparse.SUPPRESS
        shown = not missing and "%(default)" not in text
        if shown and action.option_strings and action.nargs != 0:
            text += " (default: %(default)s)"
        return text


class ArgumentParser(argparse.ArgumentParser):
    """An `argparse.ArgumentParser` whose errors are one line, without the usage block, and
    whose help shows defaults."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def add_verb(verbs, name, *, help, example, func):
    """A sub-command with its one-line help, an example in its `--help`, and its function."""
    parser = verbs.add_parser(
        name, help=help, description=help[:1].upper() + help[1:] + ".",
        epilog=f"example:\n  {example}",
    )
    parser.set_defaults(func=func)
    return parser


def main(parser, argv=None):
    """Parse `argv`, run the chosen command (`args.func(args)`) and exit with its status.

    An `InputError` is the user's to fix: one line, exit status 2 (as for a bad flag). A
    `TrainingError` (the loss became NaN) is one line and exit status 1. An operating-system
    error (a read-only or full disk, a folder where a file was expected, no permission) is one
    line naming the path: exit status 1 when the disk failed or filled, else 2. A reader that
    closes the output early (`| head`) ends the command quietly, with status 0. Training runs
    see `--force` (`apps.common.run.forcing`).
    """
    from apps.common.run import forcing

    args = parser.parse_args(argv)
    try:
        with forcing(getattr(args, "force", False)):
            status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
    except InputError as error:
        _one_line(parser, error)
        sys.exit(USAGE_ERROR)
    except TrainingError as error:
        _one_line(parser, error)
        sys.exit(RUN_FAILED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except OSError as error:
        _one_line(parser, os_error_message(error))
        sys.exit(RUN_FAILED if error.errno in FAILED_RUN_ERRNOS else USAGE_ERROR)
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(status or 0)


def os_error_message(error):
    """One line for an operating-system error: the path, then what went wrong."""
    reason = error.strerror or str(error) or type(error).__name__
    paths = [p for p in (error.filename, error.filename2) if p is not None]
    if not paths:
        return reason
    return f"{os.fsdecode(paths[0])}: {reason}" + (
        f" (to {os.fsdecode(paths[1])})" if len(paths) > 1 else ""
    )


def _quiet_stdout():
    # The reader is gone: send what is still buffered nowhere, so that the interpreter's own
    # flush at exit does not report the broken pipe.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _one_line(parser, error):
    message = " ".join(str(error).split())
    print(f"{parser.prog}: error: {message}", file=sys.stderr)


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
seed_int = _number(int, lambda v: 0 <= v < 2**31, "a seed from 0 to 2147483647")
seed_int.range = (0, 2**31 - 1)


def _bound(value):
    return str(value) if isinstance(value, int) else f"{value:g}"


def int_range(low, high):
    """An argparse type for an integer in [low, high]; the message and `--help` state the
    range."""
    parse = _number(int, lambda v: low <= v <= high, f"an integer from {low} to {high}")
    parse.range = (low, high)
    return parse


def float_range(low, high):
    """An argparse type for a finite number in [low, high]; the message and `--help` state the
    range."""
    parse = _number(float, lambda v: low <= v <= high, f"a number from {low:g} to {high:g}")
    parse.range = (low, high)
    return parse


# n_a of a recurrent layer, the same bound in every app (--units).
units_int = int_range(1, MAX_UNITS)


def add_train_args(parser, *, epochs, out, seed=0):
    """The flags every app's `train` shares."""
    parser.add_argument(
        "--epochs", type=int_range(1, MAX_EPOCHS), default=epochs, help="training epochs"
    )
    parser.add_argument(
        "--seed", type=seed_int, default=seed,
        help="seeds the split, the initial weights, the shuffling and dropout",
    )
    parser.add_argument(
        "--distribute",
        choices=STRATEGIES,
        default="none",
        help="tf.distribute strategy: mirrored on the local devices, or multiworker from "
        "TF_CONFIG",
    )
    parser.add_argument(
        "--resume", action="store_true",
        help="continue a killed run from the checkpoints in --out",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(out), metavar="DIR",
        help="model folder to write (replaced whole, once training has ended)",
    )
    parser.add_argument(
        "--force", action="store_true",
        help="replace --out even when it holds another app's model or files training did not "
        "write (they are deleted)",
    )


def add_sampling_args(parser, *, seed_help):
    """`--temperature` and `--seed`, spelled and checked the same way in every app."""
    parser.add_argument(
        "--temperature", type=float_range(0.0, MAX_TEMPERATURE), default=1.0,
        help="softmax temperature: below 1 safer, above 1 wilder; 0 takes the most likely choice",
    )
    parser.add_argument("--seed", type=seed_int, help=seed_help)
