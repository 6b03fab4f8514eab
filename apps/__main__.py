"""The main job (`make demo`): every app, briefly, on its embedded data.

1. each course cell on a toy memory task (a table);
2. dinos: train, then 20 invented dinosaur names;
3. jazz: train, then a solo over a 12-bar blues typed as chords → output/solo.mid, solo.png;
4. tagger: train, then tag the course's sentence and two others;
with the three SavedModels exported to saved_models/{dinos,jazz,tagger}/.

    python -m apps
"""

import sys
import time
from pathlib import Path

from apps import toy

BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 F7 C7 Bb7 F7 C7"
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


def main():
    start = time.perf_counter()
    section("The course cells on a toy task")
    toy.print_table(toy.run())

    section("Dinosaur names")
    command("dinos", "train", "--out", str(MODELS / "dinos"))
    command("dinos", "sample", "--model", str(MODELS / "dinos"), "--num", "20", "--seed", "0")

    section("Jazz")
    command("jazz", "train", "--out", str(MODELS / "jazz"))
    command(
        "jazz", "generate", "--model", str(MODELS / "jazz"), "--chords", BLUES, "--seed", "0",
        "--out", str(OUTPUT / "solo.mid"), "--plot", str(OUTPUT / "solo.png"),
    )

    section("Entity tagging")
    command("tagger", "train", "--epochs", "12", "--out", str(MODELS / "tagger"))
    command("tagger", "tag", "--model", str(MODELS / "tagger"), *SENTENCES)

    section(f"Done in {time.perf_counter() - start:.0f} s. Outputs")
    for app in ("dinos", "jazz", "tagger"):
        print(f"  {app:<7} model and SavedModel: {MODELS / app}/ (export/ is the SavedModel)")
    print(f"  jazz    solo: {OUTPUT / 'solo.mid'}, piano roll: {OUTPUT / 'solo.png'}")


if __name__ == "__main__":
    main()
