"""The main job (`make demo`): every app, briefly, on its embedded data.

1. each course cell on a toy memory task (a table);
2. dinos: train, then 20 invented dinosaur names;
3. jazz: train, then two choruses of a solo with piano, bass and drums over a 12-bar blues typed
   as chords, with a count-in bar and an ending → output/solo.mid, solo.png;
4. tagger: train, then tag the course's sentence and two others; then the course's binary
   example (1 inside a person's name, else 0) trained and tagging the course's sentence;
with the SavedModels exported to saved_models/{dinos,jazz,tagger,tagger-binary}/.

    python -m apps                      # everything
    python -m apps --only dinos,jazz    # some of it
    python -m apps --quick              # a few epochs each: checks that everything runs
"""

import argparse
import sys
import time
from pathlib import Path

from apps.common import cli

BLUES = "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 | Gm7 C7"
SENTENCES = [
    "Harry Potter and Hermione Granger invented a new spell",
    "Ada Lovelace wrote the first program for Charles Babbage in London",
    "Andrew Ng teaches sequence models at Stanford with Coursera",
]
MODELS = Path("saved_models")
OUTPUT = Path("output")


def command(app, *argv):
    """Run `python -m apps.<app> argv…` in this process; stop the demo if it fails."""
    print(f"\n$ python -m apps.{app} {' '.join(argv)}", flush=True)
    module = __import__(f"apps.{app}.__main__", fromlist=["main"])
    try:
        module.main(list(argv))
    except SystemExit as done:
        if done.code not in (0, None):
            sys.exit(done.code)


def section(title):
    print(f"\n== {title} ==", flush=True)


PARTS = ("cells", "dinos", "jazz", "tagger")
QUICK_EPOCHS = "2"


def build_parser():
    parser = cli.ArgumentParser(
        prog="python -m apps",
        description="The main job (make demo): the course cells on a toy task, then each app "
        "trained briefly on its embedded data, with its outputs written.",
        epilog="example:\n  python -m apps --only dinos,jazz --quick",
    )
    parser.add_argument(
        "--only", type=parts, metavar="PART,…",
        help=f"run only these parts, of {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--quick", action="store_true",
        help=f"{QUICK_EPOCHS} epochs per app: checks that everything runs, the outputs are poor",
    )
    return parser


def parts(text):
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"expected some of {', '.join(PARTS)}, got {text!r}"
        )
    return tuple(part for part in PARTS if part in chosen)


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.only = args.only or PARTS
    epochs = ["--epochs", QUICK_EPOCHS] if args.quick else []
    start = time.perf_counter()
    if "cells" in args.only:
        from apps import toy

        section("The course cells on a toy task")
        toy.print_table(toy.run(epochs=2 if args.quick else 8))
    if "dinos" in args.only:
        section("Dinosaur names")
        command("dinos", "train", "--out", str(MODELS / "dinos"), *epochs)
        command("dinos", "sample", "--model", str(MODELS / "dinos"), "--num", "20", "--seed", "0")
    if "jazz" in args.only:
        jazz(epochs)
    if "tagger" in args.only:
        tagger(epochs)
    section(f"Done in {time.perf_counter() - start:.0f} s. Outputs")
    for app in ("dinos", "jazz", "tagger"):
        if app in args.only:
            print(f"  {app:<7} model and SavedModel: {MODELS / app}/ (export/1/ is the SavedModel)")
    if "tagger" in args.only:
        print(f"  tagger  the binary example: {MODELS / 'tagger-binary'}/")
    if "jazz" in args.only:
        print(f"  jazz    solo: {OUTPUT / 'solo.mid'}, piano roll: {OUTPUT / 'solo.png'}")


def jazz(epochs):
    section("Jazz")
    command("jazz", "train", "--out", str(MODELS / "jazz"), *epochs)
    command(
        "jazz", "generate", "--model", str(MODELS / "jazz"), "--chords", BLUES, "--seed", "0",
        "--choruses", "2", "--count-in", "--out", str(OUTPUT / "solo.mid"),
        "--plot", str(OUTPUT / "solo.png"),
    )


# The tagger's demo epochs: enough for the course's sentence, within the demo's time.
TAGGER_EPOCHS = "3"
BINARY_EPOCHS = "2"


def tagger(epochs):
    section("Entity tagging")
    command("tagger", "train", *(epochs or ["--epochs", TAGGER_EPOCHS]),
            "--out", str(MODELS / "tagger"))
    command("tagger", "tag", "--model", str(MODELS / "tagger"), *SENTENCES)
    section("The course's example: 1 inside a person's name, else 0")
    command("tagger", "train", "--binary", *(epochs or ["--epochs", BINARY_EPOCHS]),
            "--out", str(MODELS / "tagger-binary"))
    command("tagger", "tag", "--model", str(MODELS / "tagger-binary"), SENTENCES[0])


if __name__ == "__main__":
    main()
