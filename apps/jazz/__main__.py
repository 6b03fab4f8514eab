"""python -m apps.jazz train | generate | evaluate

    python -m apps.jazz train                       # the embedded corpus → saved_models/jazz/
    python -m apps.jazz train --midi tune.mid --melody-part 2 --epochs 40
    python -m apps.jazz generate --chords "Dm7 G7 | Cmaj7 | Fmaj7 Bb7:1 E7alt:1 | Am7" \\
        --swing 2 --out output/solo.mid --plot output/solo.png
    python -m apps.jazz evaluate output/solo.mid --against tunes/
"""

import json
from pathlib import Path

from apps.common import cli
from apps.jazz.config import MODEL_DIR, JazzConfig
from datasets.errors import InputError

DEFAULT_SOLO = "output/solo.mid"
CHORDS_HELP = (
    'chords as players type them: bars separated by "|" (a bar\'s chords share it evenly; '
    '"G7:1" takes one count), or without "|" one chord a bar; repeated to fill --bars'
)


def build_parser() -> cli.ArgumentParser:
    defaults = JazzConfig()
    parser = cli.ArgumentParser(
        prog="python -m apps.jazz",
        description="Improvise jazz solos with the course's LSTM over the grammar of values, "
        "with a walking bass, piano comping and drums under them.",
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
                       help="let the model hear the chord under each value (root, quality, "
                            "bass), the next chord and the place in the bar")
    train.add_argument("--transpose", action="store_true",
                       help="with --chord-input, train on the material in all 12 keys (a key "
                            "drawn per window and epoch)")
    cli.add_train_args(train, epochs=defaults.epochs, out=MODEL_DIR, seed=defaults.seed)

    generate = cli.add_verb(
        verbs, "generate",
        help="improvise a solo over chords and write it with its band as MIDI",
        example='python -m apps.jazz generate --chords "Dm7 G7 | Cmaj7 | Cmaj7" --seed 3 '
        "--out output/solo.mid --plot output/solo.png",
        func=run_generate,
    )
    generate.add_argument("--model", type=Path, default=Path(MODEL_DIR), metavar="DIR",
                          help="trained model folder")
    generate.add_argument("--chords", metavar='"Dm7 G7 | Cmaj7"',
                          help=CHORDS_HELP + " (default: the model's training progression)")
    generate.add_argument("--bars", type=cli.positive_int,
                          help="length in bars (default: one pass of --chords, else 12)")
    generate.add_argument("--time-signature", metavar="N/D",
                          help="meter to write, e.g. 3/4 (default: the model's, from its "
                               "training music)")
    generate.add_argument("--tempo", type=cli.positive_float, metavar="BPM",
                          help="quarter notes per minute (default: the model's, from its training "
                               "music)")
    generate.add_argument("--swing", type=cli.positive_float, default=2.0, metavar="R",
                          help="long-to-short ratio of paired eighths: 2 triplet swing, "
                               "1 straight")
    generate.add_argument("--unaccompanied", action="store_true",
                          help="the solo alone, without bass, piano and drums (the chords "
                               "are still written as markers)")
    cli.add_sampling_args(generate, seed_help="same seed, same solo and band, same bytes")
    generate.set_defaults(seed=0)
    generate.add_argument("--out", type=Path, default=Path(DEFAULT_SOLO), metavar="FILE.mid",
                          help="the MIDI file to write: the solo first, then piano, bass and "
                               "drums (channel 10), a marker at each chord")
    generate.add_argument("--plot", type=Path, metavar="FILE.png",
                          help="also draw a piano roll of the solo and the band")

    evaluate = cli.add_verb(
        verbs, "evaluate", help="print JSON metrics of a solo",
        example='python -m apps.jazz evaluate output/solo.mid --against my_standards/',
        func=run_evaluate,
    )
    evaluate.add_argument("file", type=Path, metavar="FILE.mid", nargs="?",
                          help="the solo to measure (or --data FILE.mid)")
    evaluate.add_argument("--data", type=Path, metavar="FILE.mid", dest="data",
                          help="the solo to measure, spelled as in the tagger")
    evaluate.add_argument("--melody-part", type=cli.non_negative_int, metavar="N",
                          help="index of the solo among the file's parts (default: picked)")
    evaluate.add_argument("--chords", metavar='"Dm7 G7 | Cmaj7"',
                          help=CHORDS_HELP + " (default: the file's chord markers or symbols, "
                               "else inferred from its other parts)")
    evaluate.add_argument("--against", nargs="+", metavar="FILE_OR_DIR",
                          help="training material to compare the solo's distributions with")
    return parser


# -- train --------------------------------------------------------------------------------------


def run_train(args) -> int:
    config = JazzConfig(
        midi=None if args.midi is None else [str(path) for path in args.midi],
        melody_part=args.melody_part, transpose=args.transpose, Tx=args.tx, n_a=args.units,
        chord_input=args.chord_input, epochs=args.epochs, seed=args.seed,
    )
    from apps.jazz.train import train_and_evaluate

    train_and_evaluate(config, args.out, distribute=args.distribute, resume=args.resume)
    print(f"jazz: model, vocabulary and SavedModel written to {args.out}")
    return 0


# -- generate -----------------------------------------------------------------------------------


def run_generate(args) -> int:
    from datasets.music import parse_chart, parse_time_signature

    chart = parse_chart(args.chords) if args.chords is not None else None
    meter = parse_time_signature(args.time_signature) if args.time_signature else None
    if chart is not None and meter is not None:
        chart.n_bars(meter)  # a bar that does not fit the meter is reported before loading

    from apps.jazz.band import write_midi
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler, perform

    trained = load_trained(args.model)
    sampler = Sampler(trained.model, list(trained.vocab.values), trained.config.chord_input)
    arrangement = perform(
        trained, sampler, chart=chart, meter=meter, bars=args.bars, tempo=args.tempo,
        swing=args.swing, band=not args.unaccompanied, temperature=args.temperature,
        seed=args.seed,
    )
    write_midi(arrangement, args.out)
    n_bars = round(arrangement.length / arrangement.meter.bar_length)
    solo = arrangement.tracks[0].notes
    who = "solo" if args.unaccompanied else "solo, piano, bass and drums"
    print(f"jazz: wrote {args.out} ({n_bars} bars of {arrangement.meter}, {len(solo)} notes; "
          f"{who}; swing {args.swing:g}:1)")
    if args.plot is not None:
        from apps.jazz.band_plot import piano_roll

        piano_roll(arrangement, args.plot)
        print(f"jazz: wrote {args.plot}")
    return 0


# -- evaluate -----------------------------------------------------------------------------------


def run_evaluate(args) -> int:
    from apps.jazz import metrics
    from datasets.music import parse_chart

    if (args.file is None) == (args.data is None):
        raise InputError("evaluate: give the solo once, as FILE.mid or --data FILE.mid")
    chart = parse_chart(args.chords) if args.chords is not None else None
    result = metrics.evaluate_file(args.file or args.data, chart=chart,
                                   melody_part=args.melody_part, against=args.against)
    print(json.dumps(result, indent=2, sort_keys=True))
    return 0


def main(argv=None):
    cli.main(build_parser(), argv)


if __name__ == "__main__":
    main()
