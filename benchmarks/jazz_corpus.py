"""Which pieces the default jazz corpus should hold: the values-only model trained with and
without the music21 rag and song, judged by its solos against the 4/4 jazz lines.

    python -m benchmarks.jazz_corpus            # 3 training seeds × 10 solos per corpus
    python -m benchmarks.jazz_corpus --seeds 1  # a quicker look

Held-out likelihood is not comparable across corpora, so each corpus's model plays 10 solos over
the demo's bebop blues (`apps.__main__.BLUES`, unaccompanied, as written), and the solos are
measured against one fixed reference, the 4/4 jazz lines (the team's ABC files and the composed
choruses): share of 16ths, empty beats, direction changes, stepwise motion, chord tones, and the
mean overlap of the set comparison. Writes benchmarks/jazz_corpus.json.
"""

import argparse
import json
import statistics
import tempfile
from pathlib import Path

import numpy as np

RAG, SONG = "music21:joplin/maple_leaf_rag", "music21:leadSheet/fosterBrownHair"
VARIANTS = {
    "with the rag and the song": (),
    "without the song": (SONG,),
    "without the rag": (RAG,),
    "without both (the default)": (RAG, SONG),
}
MEASURES = ("sixteenth_share", "empty_beat_rate", "direction_change_share", "stepwise_share",
            "chord_tone_ratio", "mean_overlap")
OUT = Path(__file__).with_name("jazz_corpus.json")


def sixteenth_share(pieces):
    notes = [n for p in pieces for n in p.melody if not n.is_rest]
    return float(np.mean([abs(n.duration - 0.25) < 1e-6 for n in notes]))


def measure(pieces, reference, seed, work):
    import apps.jazz.data as jazz_data
    from apps.__main__ import BLUES
    from apps.jazz import metrics
    from apps.jazz.config import JazzConfig
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler, perform
    from apps.jazz.set_comparison import as_piece, compare_sets
    from apps.jazz.train import train_and_evaluate
    from benchmarks.jazz import _note, chord_tone_rate, line_shape
    from datasets.music import parse_chart

    jazz_data.default_pieces = lambda: list(pieces)  # the corpus under test
    train_and_evaluate(JazzConfig(seed=seed), work, verbose=0)
    trained = load_trained(work)
    sampler = Sampler(trained.model, list(trained.vocab.values), trained.config.chord_input)
    chart = parse_chart(BLUES)
    solos, empty = [], []
    for solo_seed in range(10):
        arrangement = perform(trained, sampler, chart=chart, seed=solo_seed, band=False)
        notes = [_note(n) for n in arrangement.tracks[0].notes]
        n_bars = round(arrangement.length / arrangement.meter.bar_length)
        piece = as_piece(notes, chart.timeline(arrangement.meter, n_bars), arrangement.meter)
        solos.append(piece)
        empty.append(metrics.solo_metrics(piece.melody, piece, arrangement.length)
                     ["empty_beat_rate"])
    return {
        "sixteenth_share": sixteenth_share(solos),
        "empty_beat_rate": statistics.fmean(empty),
        "chord_tone_ratio": chord_tone_rate(solos),
        **line_shape(solos),
        "mean_overlap": compare_sets(solos, reference, segment_bars=4)["mean_overlap"],
    }


def run(seeds):
    from benchmarks.jazz import chord_tone_rate, line_shape
    from datasets.music import default_pieces

    everything = default_pieces(extra=True)
    reference = [p for p in everything if not p.name.startswith("music21:")
                 and (p.meter.numerator, p.meter.denominator) == (4, 4)]
    report = {"seeds": list(seeds), "reference": {
        "pieces": len(reference), "sixteenth_share": sixteenth_share(reference),
        "chord_tone_ratio": chord_tone_rate(reference), **line_shape(reference)}}
    extra = [p for p in everything if p.name.startswith("music21:")]
    base = [p for p in everything if p not in extra]
    work = Path(tempfile.mkdtemp(prefix="bench-jazz-corpus-"))
    for name, left_out in VARIANTS.items():
        pieces = base + [p for p in extra if p.name in (RAG, SONG) and p.name not in left_out]
        rows = [measure(pieces, reference, seed, work / f"{len(left_out)}-{seed}")
                for seed in seeds]
        report[name] = {key: {"mean": statistics.fmean(r[key] for r in rows),
                              "min": min(r[key] for r in rows), "max": max(r[key] for r in rows)}
                        for key in MEASURES}
    return report


def print_table(report):
    print(f"{'corpus':28s} " + " ".join(f"{m[:14]:>16s}" for m in MEASURES))
    for name in VARIANTS:
        cells = [f"{v['mean']:.3f} [{v['min']:.3f},{v['max']:.3f}]"[:16]
                 for v in (report[name][m] for m in MEASURES)]
        print(f"{name:28s} " + " ".join(f"{c:>16s}" for c in cells))
    ref = report["reference"]
    print(f"reference, {ref['pieces']} 4/4 jazz lines: 16ths {ref['sixteenth_share']:.3f}, "
          f"direction changes {ref['direction_change_share']:.3f}, "
          f"stepwise {ref['stepwise_share']:.3f}, chord tones {ref['chord_tone_ratio']:.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="training seeds per corpus")
    args = parser.parse_args(argv)
    report = run(range(args.seeds))
    print_table(report)
    OUT.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
