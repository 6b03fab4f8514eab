"""python -m apps.jazz train | generate | evaluate

    python -m apps.jazz train                       # the embedded corpus → saved_models/jazz/
    python -m apps.jazz train --midi tune.mid --melody-part 2 --epochs 40
    python -m apps.jazz generate --chords "Dm7 G7 | Cmaj7 | Fmaj7 Bb7:1 E7alt:1 | Am7" \\
        --swing 2 --out output/solo.mid --plot output/solo.png
    python -m apps.jazz generate --chords-from tune.musicxml --choruses 3 --count-in
    python -m apps.jazz generate --chords "Dm7 | G7 | Cmaj7 | %" --style bossa --no-solo
    python -m apps.jazz evaluate output/solo.mid --against tunes/
"""

import argparse
import json
from pathlib import Path

from apps.common import cli
from apps.jazz.config import MODEL_DIR, JazzConfig
from apps.jazz.styles import load_style, style_names
from datasets.errors import InputError

DEFAULT_SOLO = "output/solo.mid"
CHORDS_HELP = (
    'chords as players type them: bars separated by "|" (a bar\'s chords share it evenly; '
    '"G7:1" takes one count), or without "|" one chord a bar; repeated to fill --bars'
)


# Ranges of the numeric flags: what MIDI can hold and what a run can finish.
TEMPO_RANGE = (20.0, 400.0)  # quarter notes per minute
SWING_RANGE = (1.0, 4.0)  # 1 straight, 2 triplet swing, 3 "hard" swing
MAX_BARS = 512  # bars of the form (--bars, or --choruses times the chart)
MAX_CHORUSES = 64
TX_RANGE = (2, 200)  # values per training window: the model unrolls Tx cells


def build_parser() -> cli.ArgumentParser:
    defaults = JazzConfig()
    parser = cli.ArgumentParser(
        prog="python -m apps.jazz",
        description="Improvise jazz solos with the course's LSTM over the grammar of values, "
        "in time with a band (bass, piano, drums) in a style you choose.",
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
    train.add_argument("--tx", type=cli.int_range(*TX_RANGE), default=defaults.Tx,
                       help="values per training window, Tx")
    train.add_argument("--units", type=cli.units_int, default=defaults.n_a,
                       help="LSTM units, n_a")
    train.add_argument("--chord-input", action=argparse.BooleanOptionalAction,
                       default=defaults.chord_input,
                       help="let the model hear the chord under each value (root, quality, "
                            "bass), the next chord and the place in the bar; --no-chord-input "
                            "for the course's values-only model")
    train.add_argument("--transpose", action="store_true",
                       help="with --chord-input, train on the material in all 12 keys (a key "
                            "drawn per window and epoch)")
    cli.add_train_args(train, epochs=defaults.epochs, out=MODEL_DIR, seed=defaults.seed)

    generate = cli.add_verb(
        verbs, "generate",
        help="improvise a solo over chords and write it with its band as MIDI",
        example='python -m apps.jazz generate --chords "Dm7 G7 | Cmaj7 | Cmaj7" --choruses 2 '
        "--count-in --seed 3 --out output/solo.mid --plot output/solo.png",
        func=run_generate,
    )
    generate.add_argument("--model", type=Path, metavar="DIR",
                          help=f"trained model folder (default: {MODEL_DIR})")
    chords = generate.add_mutually_exclusive_group()
    chords.add_argument("--chords", metavar='"Dm7 G7 | Cmaj7"',
                        help=CHORDS_HELP + " (default: the model's training progression)")
    chords.add_argument("--chords-from", type=Path, metavar="FILE.musicxml",
                        help="the chords, bars, meter and tempo of a MusicXML lead sheet "
                             "(MuseScore, Finale, iReal Pro exports)")
    length = generate.add_mutually_exclusive_group()
    length.add_argument("--bars", type=cli.int_range(1, MAX_BARS),
                        help="length in bars, the chart repeated or cut (default: one pass "
                             "of the chart, else 12)")
    length.add_argument("--choruses", type=cli.int_range(1, MAX_CHORUSES), metavar="N",
                        help=f"passes of the chart, at most {MAX_BARS} bars in all")
    generate.add_argument("--time-signature", metavar="N/D",
                          help="meter to write, e.g. 3/4 (default: the lead sheet's, else the "
                               "model's, from its training music)")
    generate.add_argument("--tempo", type=cli.float_range(*TEMPO_RANGE), metavar="BPM",
                          help="quarter notes per minute (default: the lead sheet's, else the "
                               "style's, else the model's)")
    generate.add_argument("--swing", type=cli.float_range(*SWING_RANGE), default=2.0,
                          metavar="R",
                          help="long-to-short ratio of paired eighths, for solo and band alike: "
                               "2 triplet swing, 1 straight (bossa plays straight whatever it "
                               "says)")
    generate.add_argument("--style", default="swing", metavar="NAME",
                          help="what the band plays: " + ", ".join(
                              f"{name} ({load_style(name).summary})" for name in style_names()))
    generate.add_argument("--register", metavar="LOW-HIGH",
                          help="the solo's range in note names, e.g. Bb3-F5 (at least an "
                               "octave; default: the training music's)")
    generate.add_argument("--count-in", action="store_true",
                          help="one bar of sticks or hi-hat on each beat before the band enters "
                               "(the form then starts on bar 2)")
    generate.add_argument("--ending", action=argparse.BooleanOptionalAction, default=True,
                          help="after the last bar the band plays the chart's first chord once "
                               "more and holds it, the solo landing on it")
    solo = generate.add_mutually_exclusive_group()
    solo.add_argument("--unaccompanied", action="store_true",
                      help="the solo alone, without bass, piano and drums (the chords "
                           "are still written as markers)")
    solo.add_argument("--no-solo", action="store_true",
                      help="the band alone, a minus-one track to play over (needs no model "
                           "when the chords are given)")
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
    from datasets.music import Meter, parse_chart, parse_time_signature
    from datasets.music.register import parse_register

    style = load_style(args.style)
    register = parse_register(args.register, "--register") if args.register else None
    for flag, path in (("--out", args.out), ("--plot", args.plot)):
        _check_output(flag, path)
    chart, meter, tempo = None, None, args.tempo
    if args.chords is not None:
        chart = parse_chart(args.chords)
    elif args.chords_from is not None:
        from datasets.music.lead_sheet import read_lead_sheet

        chart, meter, sheet_tempo = read_lead_sheet(args.chords_from)
        tempo = tempo or sheet_tempo
    if args.time_signature:
        meter = parse_time_signature(args.time_signature)
    if chart is not None and not args.no_solo and all(c.is_no_chord for c in chart.chords):
        raise InputError(f"{chart.source}: every chord is N.C.; the solo needs at least one "
                         "chord (or use --no-solo)")
    if chart is not None and meter is not None:
        _check_length(chart.n_bars(meter), args)  # a bar that does not fit is reported first

    from apps.jazz.band import write_midi
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler, perform

    # The band alone over typed chords needs no model; a model given or found sets the meter,
    # tempo and register it was trained on.
    model = args.model or Path(MODEL_DIR)
    trained = sampler = None
    if not args.no_solo or chart is None or args.model or (model / "config.json").is_file():
        trained = load_trained(model)
    if not args.no_solo:
        sampler = Sampler(trained.model, list(trained.vocab.values), trained.config.chord_input)
    if chart is not None and meter is None:  # the meter is the model's: check the length now
        _check_length(chart.n_bars(trained.meter if trained else Meter(4, 4)), args)
    arrangement = perform(
        trained, sampler, chart=chart, meter=meter, bars=args.bars, choruses=args.choruses,
        tempo=tempo, swing=args.swing, band=not args.unaccompanied,
        temperature=args.temperature, seed=args.seed, style=style, count_in=args.count_in,
        ending=args.ending, solo=not args.no_solo, register=register,
    )
    write_midi(arrangement, args.out)
    form_bars = round(arrangement.form_length / arrangement.meter.bar_length)
    solo = arrangement.track("Solo")
    who = ("solo" if args.unaccompanied else
           "piano, bass and drums" if args.no_solo else "solo, piano, bass and drums")
    extras = [text for text, on in (("count-in", args.count_in), ("ending", args.ending)) if on]
    print(f"jazz: wrote {args.out} ({form_bars} bars of {arrangement.meter}"
          + (f" + {' and '.join(extras)}" if extras else "")
          + (f", {len(solo.notes)} solo notes" if solo is not None else "")
          + f"; {who}; {style.name}, {arrangement.tempo:g} BPM, swing {arrangement.swing:g}:1)")
    if args.plot is not None:
        from apps.jazz.band_plot import piano_roll

        piano_roll(arrangement, args.plot)
        print(f"jazz: wrote {args.plot}")
    return 0


def _check_output(flag: str, path: Path | None) -> None:
    """An output that can never be written is reported before any music is made."""
    if path is None:
        return
    if path.is_dir():
        raise InputError(f"{flag} {path}: is a folder; give a file name")
    parent = next((p for p in path.parents if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise InputError(f"{flag} {path}: {parent} is a file, not a folder")


def _check_length(chart_bars: int, args) -> None:
    """--choruses times the chart must stay within MAX_BARS."""
    if args.choruses is not None and args.choruses * chart_bars > MAX_BARS:
        raise InputError(f"--choruses {args.choruses}: {args.choruses} passes of a "
                         f"{chart_bars}-bar chart are {args.choruses * chart_bars} bars; at "
                         f"most {MAX_BARS}")


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
