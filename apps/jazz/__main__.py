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

DEFAULT_SOLO = "output/solo.mid"
DEFAULT_BARS_WITHOUT_CHORDS = 12


def build_parser() -> cli.ArgumentParser:
    defaults = JazzConfig()
    parser = cli.ArgumentParser(
        prog="python -m apps.jazz",
        description="Improvise jazz solos with the course's LSTM over the grammar of values.",
    )
    verbs = parser.add_subparsers(dest="verb", required=True)

    train = verbs.add_parser("train", help="learn the values of solos")
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
                       help="also train on the material in all 12 keys (changes the chord input)")
    cli.add_train_args(train, epochs=defaults.epochs, out=MODEL_DIR)
    train.set_defaults(func=run_train)

    generate = verbs.add_parser("generate", help="improvise a solo and write it as MIDI")
    generate.add_argument("--model", type=Path, default=Path(MODEL_DIR), metavar="DIR")
    generate.add_argument("--bars", type=cli.positive_int,
                          help="length (default: one bar per --chords symbol, else 12)")
    generate.add_argument("--chords", metavar='"F7 Bb7 ..."',
                          help="one chord per bar, repeated to fill --bars "
                               "(default: the first training piece's progression)")
    generate.add_argument("--tempo", type=cli.positive_float, metavar="BPM")
    generate.add_argument("--temperature", type=cli.positive_float, default=1.0)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--out", type=Path, default=Path(DEFAULT_SOLO), metavar="FILE.mid")
    generate.add_argument("--plot", type=Path, metavar="FILE.png", help="also draw a piano roll")
    generate.set_defaults(func=run_generate)

    evaluate = verbs.add_parser("evaluate", help="print JSON metrics of a solo")
    evaluate.add_argument("file", type=Path, metavar="FILE.mid")
    evaluate.add_argument("--chords", metavar='"F7 Bb7 ..."',
                          help="one chord per bar (default: read or inferred from the file)")
    evaluate.add_argument("--against", nargs="+", metavar="FILE_OR_DIR",
                          help="training material to compare distributions with")
    evaluate.set_defaults(func=run_evaluate)
    return parser


# -- train --------------------------------------------------------------------------------------


def run_train(args) -> int:
    from apps.common.distribute import get_strategy, is_chief
    from apps.common.export import write_json
    from apps.common.seeding import set_seed
    from apps.common.training import fit, save_keras
    from apps.jazz import data
    from apps.jazz.export import export_sampler
    from apps.jazz.model import compile_model, djmodel
    from apps.jazz.sampling import Sampler

    config = JazzConfig(Tx=args.tx, n_a=args.units, chord_input=args.chord_input,
                        epochs=args.epochs)
    set_seed(args.seed)
    pieces = data.load_pieces(args.midi, args.melody_part)
    vocab = data.build_vocabulary(pieces)
    train_windows, val_windows = data.training_windows(
        pieces, vocab, config.Tx, config.stride, args.transpose
    )
    if args.midi:
        for piece in pieces:
            print(f"jazz: {piece.name}: melody from part {piece.melody_part} "
                  f"({piece.melody_name!r}); --melody-part overrides it")
    config.register = data.melody_register(pieces)
    config.progression = data.first_progression(pieces, config.bar_length)
    config.tempo = round(pieces[0].tempo, 2)
    print(f"jazz: {len(pieces)} pieces, {len(vocab)} values (n_values), "
          f"{len(train_windows)} training windows of Tx={config.Tx}", flush=True)

    strategy = get_strategy(args.distribute)
    chief = is_chief(strategy)
    train_ds = data.training_stream(
        train_windows, config.n_a, config.batch_size, config.chord_input, seed=args.seed
    )
    val_ds = None
    if val_windows is not None:
        val_ds = data.validation_batches(
            val_windows, config.n_a, config.batch_size, config.chord_input
        )
    with strategy.scope():
        model = djmodel(config.Tx, len(vocab), config.n_a, config.chord_input)
        compile_model(model, config.learning_rate, config.decay)
    fit(model, train_ds, val_ds, epochs=config.epochs, out_dir=args.out, resume=args.resume,
        chief=chief)
    if not chief:
        return 0
    save_keras(model, args.out / "model.keras")
    write_json(args.out / "vocabulary.json", vocab.to_json())
    write_json(args.out / "config.json", config.to_json())
    export_sampler(Sampler(model, list(vocab.values), config.chord_input), args.out / "export")
    print(f"jazz: model, vocabulary and SavedModel written to {args.out}")
    return 0


# -- generate -----------------------------------------------------------------------------------


def run_generate(args) -> int:
    from apps.jazz.data import progression_from_json
    from apps.jazz.export import load_trained, solo_score, write_midi
    from apps.jazz.sampling import Sampler, improvise
    from datasets.music import parse_progression

    typed = parse_progression(args.chords) if args.chords is not None else None
    config, vocab, model = load_trained(args.model)
    progression = typed or progression_from_json(config.progression)
    bars = args.bars or (len(typed) if typed else DEFAULT_BARS_WITHOUT_CHORDS)
    bar_chords = [progression[i % len(progression)] for i in range(bars)]
    sampler = Sampler(model, list(vocab.values), config.chord_input)
    notes = improvise(config, sampler, bar_chords, args.temperature, args.seed)
    score = solo_score(notes, bar_chords, config.bar_length, args.tempo or config.tempo)
    write_midi(score, args.out)
    print(f"jazz: wrote {args.out} ({bars} bars, {len(notes)} notes)")
    if args.plot is not None:
        from apps.jazz.plot import piano_roll

        piano_roll(notes, bar_chords, config.bar_length, args.plot)
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
