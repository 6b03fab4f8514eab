"""python -m apps.jazz train | generate | evaluate

    python -m apps.jazz train                       # the embedded corpus → saved_models/jazz/
    python -m apps.jazz train --midi tune.mid --melody-part 2 --epochs 40
    python -m apps.jazz generate --chords "F7 Bb7 F7 F7 Bb7 Bb7 F7 D7 Gm7 C7 F7 C7" \\
        --out output/solo.mid --plot output/solo.png
    python -m apps.jazz evaluate output/solo.mid --chords "F7 Bb7 ..." --against tunes/
"""

import json
import math
from pathlib import Path

from apps.common import cli
from apps.jazz.config import MODEL_DIR, JazzConfig
from datasets.errors import InputError

DEFAULT_SOLO = "output/solo.mid"
DEFAULT_BARS_WITHOUT_CHORDS = 12


def build_parser() -> cli.ArgumentParser:
    defaults = JazzConfig()
    parser = cli.ArgumentParser(
        prog="python -m apps.jazz",
        description="Improvise jazz solos with the course's LSTM over the grammar of values.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    train = cli.add_verb(
        verbs, "train", help="learn the values of solos and write a model folder",
        example="python -m apps.jazz train --midi my_standards/ --epochs 40", func=run_train,
    )
    train.add_argument("--midi", nargs="+", metavar="FILE_OR_DIR",
                       help="MIDI, MusicXML or ABC files or folders (default: embedded corpus)")
    train.add_argument("--melody-part", type=cli.non_negative_int, metavar="N",
                       help="index of the melody part in each file (default: picked per file)")
    train.add_argument("--tx", type=cli.positive_int, default=defaults.Tx,
                       help="values per training window, Tx")
    train.add_argument("--units", type=cli.positive_int, default=defaults.n_a,
                       help="LSTM units, n_a")
    train.add_argument("--chord-input", action="store_true",
                       help="give the model the chord under each step as a second input")
    train.add_argument("--transpose", action="store_true",
                       help="also train on the material in all 12 keys")
    cli.add_train_args(train, epochs=defaults.epochs, out=MODEL_DIR, seed=defaults.seed)

    generate = cli.add_verb(
        verbs, "generate", help="improvise a solo over chords and write it as MIDI",
        example='python -m apps.jazz generate --chords "F7 Bb7 F7 F7" --seed 3 '
        "--out output/solo.mid --plot output/solo.png",
        func=run_generate,
    )
    generate.add_argument("--model", type=Path, default=Path(MODEL_DIR), metavar="DIR",
                          help="trained model folder")
    generate.add_argument("--bars", type=cli.positive_int,
                          help="length (default: one bar per --chords symbol, else 12)")
    generate.add_argument("--chords", metavar='"F7 Bb7 ..."',
                          help="one chord per bar, repeated to fill --bars "
                               "(default: the first training piece's progression)")
    generate.add_argument("--tempo", type=cli.positive_float, metavar="BPM",
                          help="quarter notes per minute (default: the first training piece's)")
    cli.add_sampling_args(generate, seed_help="same seed, same solo")
    generate.set_defaults(seed=0)
    generate.add_argument("--out", type=Path, default=Path(DEFAULT_SOLO), metavar="FILE.mid",
                          help="the MIDI file to write")
    generate.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw a piano roll")

    evaluate = cli.add_verb(
        verbs, "evaluate", help="print JSON metrics of a solo",
        example='python -m apps.jazz evaluate output/solo.mid --chords "F7 Bb7 F7 F7" '
        "--against my_standards/",
        func=run_evaluate,
    )
    evaluate.add_argument("file", type=Path, metavar="FILE.mid", nargs="?",
                          help="the solo to measure (or --data FILE.mid)")
    evaluate.add_argument("--data", type=Path, metavar="FILE.mid", dest="data",
                          help="the solo to measure, spelled as in the tagger")
    evaluate.add_argument("--chords", metavar='"F7 Bb7 ..."',
                          help="one chord per bar (default: read or inferred from the file)")
    evaluate.add_argument("--against", nargs="+", metavar="FILE_OR_DIR",
                          help="training material to compare distributions with")
    return parser


# -- train --------------------------------------------------------------------------------------


def run_train(args) -> int:
    from apps.jazz.train import train_and_evaluate

    config = JazzConfig(
        midi=None if args.midi is None else [str(path) for path in args.midi],
        melody_part=args.melody_part, transpose=args.transpose, Tx=args.tx, n_a=args.units,
        chord_input=args.chord_input, epochs=args.epochs, seed=args.seed,
    )
    train_and_evaluate(config, args.out, distribute=args.distribute, resume=args.resume)
    print(f"jazz: model, vocabulary and SavedModel written to {args.out}")
    return 0


# -- generate -----------------------------------------------------------------------------------


def run_generate(args) -> int:
    from apps.jazz.data import progression_from_json
    from apps.jazz.export import load_trained
    from apps.jazz.midi import solo_score, write_midi
    from apps.jazz.sampling import Sampler, improvise
    from datasets.music import parse_progression

    typed = parse_progression(args.chords) if args.chords is not None else None
    trained = load_trained(args.model)
    facts = trained.facts
    progression = typed or progression_from_json(facts["progression"])
    bars = args.bars or (len(typed) if typed else DEFAULT_BARS_WITHOUT_CHORDS)
    bar_chords = [progression[i % len(progression)] for i in range(bars)]
    sampler = Sampler(trained.model, list(trained.vocab.values), trained.config.chord_input)
    notes = improvise(trained.config, facts, sampler, bar_chords, args.temperature, args.seed)
    score = solo_score(notes, bar_chords, facts["bar_length"], args.tempo or facts["tempo"])
    write_midi(score, args.out)
    print(f"jazz: wrote {args.out} ({bars} bars, {len(notes)} notes)")
    if args.plot is not None:
        from apps.jazz.plot import piano_roll

        piano_roll(notes, bar_chords, facts["bar_length"], args.plot)
        print(f"jazz: wrote {args.plot}")
    return 0


# -- evaluate -----------------------------------------------------------------------------------


def run_evaluate(args) -> int:
    from apps.jazz import metrics
    from datasets.music import (
        ChordTimeline,
        collect_sources,
        parse_progression,
        piece_from_score,
        read_piece,
        read_score,
    )

    if (args.file is None) == (args.data is None):
        raise InputError("evaluate: give the solo once, as FILE.mid or --data FILE.mid")
    args.file = args.file or args.data
    typed = parse_progression(args.chords) if args.chords is not None else None
    score = read_score(args.file)
    piece = piece_from_score(score)
    length = max(note.end for part in score.parts for note in part.notes)
    if typed:
        n_bars = math.ceil(length / piece.bar_length - 1e-9)
        changes = [(i * piece.bar_length - piece.start, typed[i % len(typed)])
                   for i in range(max(n_bars, 1))]
        piece = metrics.with_chords(piece, ChordTimeline(changes))
    result = {"file": str(args.file)}
    result.update(metrics.solo_metrics(score.parts[piece.melody_part].notes, piece, length))
    if args.against:
        reference = [read_piece(source) for source in collect_sources(args.against)]
        result["against"] = metrics.overlap_with(piece, reference)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


def main(argv=None):
    cli.main(build_parser(), argv)


if __name__ == "__main__":
    main()
