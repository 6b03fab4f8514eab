"""Quality and speed of the jazz app on its defaults, as a listener and the field measure them.

1. Train on the embedded corpus and generate a 12-bar blues with its band through the real
   command line, timed end to end (imports included): the target is under 2 minutes for both.
2. Improvise solos with the band over the typed blues with 10 seeds, write each as MIDI and
   read it back: the solo parses, is the first track, is monophonic, has no zero-length notes
   and lasts the 12 bars; the bass plays on at least 90% of the beats; drums are on channel 10
   and nothing else is; a marker names every chord where it starts; off-beat eighths of the
   solo fall at 0.62-0.70 of the beat with the default swing and at 0.5 with `--swing 1`
   (double-time 16th runs are played even, `datasets.music.rhythm`).
3. The generated set against the training set (`apps.jazz.set_comparison`, mgeval's measure):
   per feature the overlap and KL divergence of the inter-set and the training set's intra-set
   distance densities, beside two baselines: the same solos' rhythms with random pitches, and
   random lines (random lengths and pitches, a baseline for the rhythm features too); the shares of
   stepwise motion and direction changes, and the chord-tone rate over the typed chords,
   generated against the training lines'.
4. A 3/4 model (trained briefly on the corpus' jazz waltz) writes 3/4 with the chords of a
   chart typed with `|` bars and `:N` counts on its bar lines.

    python -m benchmarks.jazz                # writes benchmarks/jazz.json
    python -m benchmarks.jazz --quick        # 3 epochs, 3 seeds: a smoke run
    python -m benchmarks.jazz conditioning   # values only / chord input / + transposition
                                             # (held-out NLL and the set comparison)
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks import common

ROOT = Path(__file__).resolve().parents[1]
BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 D7 Gm7 C7 F7 C7"
WALTZ = "Fmaj7 | Gm7 C7 | Am7 D7:1 | Gm7 | Gm7 | C7 | Fmaj7 | Gm7 C7:1"
WALTZ_FILE = ROOT / "datasets" / "data" / "jazz" / "jazz_waltz_in_f.abc"
TARGET_SECONDS = 120.0
SEGMENT_BARS = 4
SWING_WINDOW = (0.62, 0.70)


def _timed(command: list[str]) -> float:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "apps.jazz", *command],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


# -- Reading a MIDI file back -------------------------------------------------------------------


def _fraction(time_: float) -> float:
    return time_ - math.floor(time_ + 1e-6)


def offbeat_eighths(written, played) -> list[float]:
    """Where the solo's written off-beat eighths fall in their beat as played: onsets half-way
    through a beat that does not start with 16ths (a double-time run, played even)."""
    onsets = sorted(n.offset for n in written)
    doubled = {math.floor(o + 1e-6) for o in onsets if abs(_fraction(o) - 0.25) < 1e-6}
    heard = sorted(note[0] for note in played)
    return [_fraction(h) for w, h in zip(onsets, heard, strict=True)
            if abs(_fraction(w) - 0.5) < 1e-6 and math.floor(w + 1e-6) not in doubled]


def listen(arrangement, path: Path, chart_changes) -> dict:
    """The checks of step 2 for one arrangement written to `path`."""
    from music21 import converter

    from apps.jazz.band import read_back

    events = read_back(path)
    tracks = events["tracks"]
    solo = tracks[0]["notes"]
    overlaps = sum(a[1] > b[0] + 1e-6 for a, b in zip(solo, solo[1:], strict=False))
    beats = np.arange(0, arrangement.length, arrangement.meter.beat_length)
    bass = next((t["notes"] for t in tracks if t["name"] == "Bass"), [])
    bass_onsets = {round(n[0], 3) for n in bass}
    drums = [t for t in tracks if t["name"] == "Drums"]
    score = converter.parse(str(path), quantizePost=False)
    return {
        "parses": len(score.parts) == len(tracks) and bool(solo),
        "solo_first": tracks[0]["name"] == "Solo",
        "monophonic": overlaps == 0,
        "zero_length_notes": sum(1 for n in solo if n[1] <= n[0]),
        "bars": arrangement.length / arrangement.meter.bar_length,
        "solo_within_bars": max(n[1] for n in solo) <= arrangement.length + 1e-6,
        "bass_beat_share": round(float(np.mean([round(b, 3) in bass_onsets for b in beats])), 4),
        "drums_on_channel_10": bool(drums) and all(n[3] == 10 for n in drums[0]["notes"]),
        "only_drums_on_channel_10": all(n[3] != 10 for t in tracks if t["name"] != "Drums"
                                        for n in t["notes"]),
        "marker_at_every_change": events["markers"] == [(o, c.figure) for o, c in chart_changes],
        "offbeat_eighths": offbeat_eighths(arrangement.tracks[0].notes, solo),
    }


# -- The line itself ----------------------------------------------------------------------------


def chord_tone_rate(pieces) -> float:
    """Chord tones among all notes of the pieces, over each piece's own chords."""
    from datasets.music import note_type

    hits = [note_type(n.pitch, p.chords.at(n.offset)) == "C"
            for p in pieces for n in p.melody if not n.is_rest]
    return round(float(np.mean(hits)), 4) if hits else 0.0


def line_shape(pieces) -> dict:
    """Stepwise and direction-change shares, pooled over the pieces' intervals."""
    from datasets.music import contour

    shapes = [contour([n for n in p.melody if not n.is_rest]) for p in pieces]
    weights = [s.intervals for s in shapes]
    return {
        "stepwise_share": round(float(np.average([s.stepwise_share for s in shapes],
                                                 weights=weights)), 4),
        "direction_change_share": round(float(np.average(
            [s.direction_change_share for s in shapes], weights=weights)), 4),
    }


def set_report(generated, training, register) -> dict:
    """The set comparison of the generated pieces, beside two baselines: their rhythms with
    random pitches (`random_pitches`: the rhythm features are then the model's own), and
    random lines (`random_lines`: random lengths and pitches, a baseline for every feature)."""
    from apps.jazz.set_comparison import FEATURES, compare_sets, random_lines, random_pitches

    sets = {
        "model": compare_sets(generated, training, segment_bars=SEGMENT_BARS),
        "random_pitches": compare_sets(random_pitches(generated, register=register), training,
                                       segment_bars=SEGMENT_BARS),
        "random_lines": compare_sets(random_lines(generated, register=register), training,
                                     segment_bars=SEGMENT_BARS),
    }
    per_feature = {
        name: {
            f"{prefix}{measure}": sets[key]["features"][name][measure]
            for key, prefix in (("model", ""), ("random_pitches", "random_pitch_"),
                                ("random_lines", "random_line_"))
            for measure in ("overlap", "kl_divergence")
        }
        for name in FEATURES
    }
    return {
        "samples": sets["model"]["samples"],
        "features": per_feature,
        **{f"{prefix}mean_{measure}": sets[key][f"mean_{measure}"]
           for key, prefix in (("model", ""), ("random_pitches", "random_pitch_"),
                               ("random_lines", "random_line_"))
           for measure in ("overlap", "kl_divergence")},
        "beats_random_lines_on": [n for n, f in per_feature.items()
                                  if f["overlap"] > f["random_line_overlap"]],
        "beats_random_pitches_on": [n for n, f in per_feature.items()
                                    if f["overlap"] > f["random_pitch_overlap"]],
    }


def solos(trained, sampler, chart, seeds, work: Path, **options):
    """(arrangement, path, piece) for each seed: the solo with its band, written as MIDI."""
    from apps.jazz.band import write_midi
    from apps.jazz.sampling import perform
    from apps.jazz.set_comparison import as_piece

    played = []
    for seed in seeds:
        arrangement = perform(trained, sampler, chart=chart, seed=seed, **options)
        path = work / f"solo-{seed}-{options.get('swing', 2.0):g}.mid"
        write_midi(arrangement, path)
        notes = [_note(n) for n in arrangement.tracks[0].notes]
        chords = chart.timeline(arrangement.meter, round(arrangement.length
                                                         / arrangement.meter.bar_length))
        played.append((arrangement, path, as_piece(notes, chords, arrangement.meter)))
    return played


def _note(band_note):
    from datasets.music import Note

    return Note(band_note.offset, band_note.duration, band_note.pitch)


# -- The benchmark -----------------------------------------------------------------------------


def run(quick: bool = False) -> dict:
    from apps.jazz import metrics
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler
    from datasets.music import default_pieces, parse_chart

    seeds = range(3) if quick else range(10)
    work = Path(tempfile.mkdtemp(prefix="bench-jazz-"))
    model_dir = work / "model"
    train_args = ["train", "--out", str(model_dir)] + (["--epochs", "3"] if quick else [])
    train_seconds = _timed(train_args)
    generate_seconds = _timed(["generate", "--model", str(model_dir), "--chords", BLUES,
                               "--out", str(work / "timed.mid"), "--plot", str(work / "timed.png")])

    chart = parse_chart(BLUES)
    trained = load_trained(model_dir)
    config, facts = trained.config, trained.facts
    sampler = Sampler(trained.model, list(trained.vocab.values), config.chord_input)
    training = default_pieces()
    known = set().union(*(metrics.interval_patterns(p.melody) for p in training))
    known_short = set().union(*(metrics.interval_patterns(p.melody, 4) for p in training))
    register = tuple(facts["register"])
    rng = np.random.default_rng(0)

    swung = solos(trained, sampler, chart, seeds, work, swing=2.0)
    straight = solos(trained, sampler, chart, seeds, work, swing=1.0)
    rows = []
    for (arrangement, path, piece), (plain, plain_path, _) in zip(swung, straight, strict=True):
        changes = chart.changes(arrangement.meter, 12)
        heard = listen(arrangement, path, changes)
        heard_straight = listen(plain, plain_path, changes)
        quality = metrics.solo_metrics(piece.melody, piece, arrangement.length)
        patterns = metrics.interval_patterns(piece.melody)
        short = metrics.interval_patterns(piece.melody, 4)
        random_piece = _random_pitch_piece(piece, register, rng)
        rows.append({
            "seed": len(rows),
            "notes": quality["notes"],
            **{k: v for k, v in heard.items() if k != "offbeat_eighths"},
            "offbeat_eighth_position": _median(heard["offbeat_eighths"]),
            "offbeat_eighth_position_straight": _median(heard_straight["offbeat_eighths"]),
            "offbeat_eighths_in_window": all(
                SWING_WINDOW[0] <= p <= SWING_WINDOW[1] for p in heard["offbeat_eighths"]),
            "chord_tone_ratio": quality["chord_tone_ratio"],
            "random_pitch_chord_tone_ratio": chord_tone_rate([random_piece]),
            "stepwise_share": quality["stepwise_share"],
            "direction_change_share": quality["direction_change_share"],
            "seen_interval_pattern_ratio": round(
                len(patterns & known) / len(patterns), 4) if patterns else 0.0,
            "seen_4_note_pattern_ratio": round(
                len(short & known_short) / len(short), 4) if short else 0.0,
            "empty_beat_rate": quality["empty_beat_rate"],
        })
    generated = [piece for _, _, piece in swung]

    def mean(key):
        return round(statistics.fmean(row[key] for row in rows), 4)

    summary = {
        "train_seconds": round(train_seconds, 1),
        "generate_seconds": round(generate_seconds, 1),
        "train_plus_generate_seconds": round(train_seconds + generate_seconds, 1),
        "within_2_minutes": train_seconds + generate_seconds <= TARGET_SECONDS,
        "all_parse": all(r["parses"] for r in rows),
        "solo_first": all(r["solo_first"] for r in rows),
        "all_monophonic": all(r["monophonic"] for r in rows),
        "zero_length_notes": sum(r["zero_length_notes"] for r in rows),
        "all_last_12_bars": all(r["bars"] == 12 and r["solo_within_bars"] for r in rows),
        "min_bass_beat_share": min(r["bass_beat_share"] for r in rows),
        "drums_on_channel_10": all(r["drums_on_channel_10"] and r["only_drums_on_channel_10"]
                                   for r in rows),
        "marker_at_every_change": all(r["marker_at_every_change"] for r in rows),
        "offbeat_eighth_position": mean("offbeat_eighth_position"),
        "offbeat_eighth_position_straight": mean("offbeat_eighth_position_straight"),
        "offbeat_eighths_in_window": all(r["offbeat_eighths_in_window"] for r in rows),
        "chord_tone_ratio": mean("chord_tone_ratio"),
        "min_chord_tone_ratio": min(r["chord_tone_ratio"] for r in rows),
        "training_chord_tone_ratio": chord_tone_rate(training),
        "random_pitch_chord_tone_ratio": mean("random_pitch_chord_tone_ratio"),
        "line_shape": line_shape(generated),
        "training_line_shape": line_shape(training),
        "seen_interval_pattern_ratio": mean("seen_interval_pattern_ratio"),
        "max_seen_interval_pattern_ratio": max(r["seen_interval_pattern_ratio"] for r in rows),
        "seen_4_note_pattern_ratio": mean("seen_4_note_pattern_ratio"),
        "empty_beat_rate": mean("empty_beat_rate"),
        "notes_per_solo": mean("notes"),
    }
    return {
        "benchmark": "jazz",
        "quick": quick,
        "epochs": config.epochs,
        "chord_input": config.chord_input,
        "transpose": config.transpose,
        "n_values": len(trained.vocab),
        "n_a": config.n_a,
        "Tx": config.Tx,
        "chords": BLUES,
        "seeds": len(rows),
        "summary": summary,
        "set_comparison": set_report(generated, training, register),
        "waltz": waltz_check(work, quick),
        "solos": rows,
    }


def _median(values) -> float | None:
    return round(float(np.median(values)), 4) if values else None


def _random_pitch_piece(piece, register, rng):
    from dataclasses import replace

    melody = [n if n.is_rest else replace(n, pitch=int(rng.integers(register[0], register[1] + 1)))
              for n in piece.melody]
    return replace(piece, melody=melody)


def waltz_check(work: Path, quick: bool) -> dict:
    """Train briefly on the 3/4 jazz waltz alone and generate over a `|` chart."""
    from apps.jazz.band import read_back
    from datasets.music import parse_chart, parse_time_signature

    model_dir, out = work / "waltz", work / "waltz.mid"
    _timed(["train", "--midi", str(WALTZ_FILE), "--epochs", "2" if quick else "6",
            "--out", str(model_dir)])
    _timed(["generate", "--model", str(model_dir), "--chords", WALTZ, "--no-ending",
            "--out", str(out)])
    facts = json.loads((model_dir / "facts.json").read_text())
    events = read_back(out)
    three = parse_time_signature("3/4")
    expected = [(o, c.figure) for o, c in parse_chart(WALTZ).changes(three)]
    bars = {round(o / three.bar_length, 6) for o, _ in events["markers"]}
    return {
        "facts_meter": facts["meter"],
        "time_signature": events["time_signature"],
        "markers_as_charted": events["markers"] == expected,
        "bars_with_a_chord_on_the_bar_line": sum(float(b).is_integer() for b in bars),
        "chords": len(expected),
        "length_quarters": max(n[1] for t in events["tracks"] for n in t["notes"]),
    }


# -- Conditioning and transposition, compared --------------------------------------------------

VARIANTS = {
    "values only": {"chord_input": False, "transpose": False},
    "chord input": {"chord_input": True, "transpose": False},
    "chord input + 12 keys": {"chord_input": True, "transpose": True},
}


def compare_conditioning(training_seeds=(0, 1, 2), solo_seeds=range(10),
                         epochs: int | None = None) -> dict:
    """Each variant trained with the same seeds on the embedded corpus: the held-out
    negative log-likelihood per value (the validation split's values, padding left out) and
    the set comparison of its solos over the blues (10 seeds)."""
    from apps.jazz.config import JazzConfig
    from apps.jazz.data import held_out_nll
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler
    from apps.jazz.train import train_and_evaluate
    from datasets.music import default_pieces, parse_chart

    training = default_pieces()
    chart = parse_chart(BLUES)
    work = Path(tempfile.mkdtemp(prefix="bench-jazz-conditioning-"))
    results = {}
    for name, settings in VARIANTS.items():
        runs = []
        for seed in training_seeds:
            config = JazzConfig(seed=seed, **settings)
            if epochs:
                config.epochs = epochs
            out = work / f"{name.replace(' ', '_')}-{seed}"
            start = time.perf_counter()
            run_ = train_and_evaluate(config, out, verbose=0)
            seconds = time.perf_counter() - start
            nll, count = held_out_nll(run_.model, run_.prepared.val)
            trained = load_trained(out)
            sampler = Sampler(trained.model, list(trained.vocab.values), config.chord_input)
            played = solos(trained, sampler, chart, solo_seeds, out)
            pieces = [piece for _, _, piece in played]
            sets = set_report(pieces, training, tuple(trained.facts["register"]))
            runs.append({
                "seed": seed,
                "held_out_nll": round(nll, 4),
                "held_out_values": count,
                "mean_overlap": sets["mean_overlap"],
                "mean_kl_divergence": sets["mean_kl_divergence"],
                "overlap": {k: v["overlap"] for k, v in sets["features"].items()},
                "chord_tone_ratio": chord_tone_rate(pieces),
                "train_seconds": round(seconds, 1),
            })
            runs[-1]["random_line_mean_overlap"] = sets["random_line_mean_overlap"]
            print(f"{name} seed {seed}: {runs[-1]}", file=sys.stderr, flush=True)
        results[name] = {
            "runs": runs,
            "held_out_nll": _spread([r["held_out_nll"] for r in runs]),
            "mean_overlap": _spread([r["mean_overlap"] for r in runs]),
            "mean_kl_divergence": _spread([r["mean_kl_divergence"] for r in runs]),
            "chord_tone_ratio": _spread([r["chord_tone_ratio"] for r in runs]),
        }
    return {"benchmark": "jazz conditioning", "training_seeds": list(training_seeds),
            "solo_seeds": len(solo_seeds), "variants": results}


def _spread(values) -> dict:
    return {"mean": round(statistics.fmean(values), 4), "min": min(values), "max": max(values)}


def print_conditioning(report: dict) -> None:
    print(f"jazz conditioning: training seeds {report['training_seeds']}, "
          f"{report['solo_seeds']} solos each; mean (min-max) over the training seeds")
    print(f"  {'variant':<24} {'held-out NLL':>22} {'set overlap':>22} {'chord tones':>22}")
    for name, r in report["variants"].items():
        cells = [f"{r[k]['mean']} ({r[k]['min']}-{r[k]['max']})"
                 for k in ("held_out_nll", "mean_overlap", "chord_tone_ratio")]
        print(f"  {name:<24} " + " ".join(f"{c:>22}" for c in cells))


def print_table(report: dict) -> None:
    s = report["summary"]
    print(f"jazz: {report['seeds']} solos with the band over a 12-bar blues, "
          f"n_values={report['n_values']}, n_a={report['n_a']}, {report['epochs']} epochs, "
          f"chord input {report['chord_input']}, transpose {report['transpose']}")
    checks = [
        ("train + generate (s)", s["train_plus_generate_seconds"], "≤ 120"),
        ("  train (s)", s["train_seconds"], ""),
        ("  generate (s)", s["generate_seconds"], ""),
        ("parse back, solo first", s["all_parse"] and s["solo_first"], "yes"),
        ("monophonic", s["all_monophonic"], "yes"),
        ("zero-length notes", s["zero_length_notes"], "0"),
        ("last the 12 bars", s["all_last_12_bars"], "yes"),
        ("bass on beats (worst)", s["min_bass_beat_share"], "≥ 0.9"),
        ("drums on channel 10", s["drums_on_channel_10"], "yes"),
        ("a marker at every chord", s["marker_at_every_change"], "yes"),
        ("off-beat eighths, swing 2", s["offbeat_eighth_position"], "0.62-0.70"),
        ("off-beat eighths, swing 1", s["offbeat_eighth_position_straight"], "0.5"),
        ("chord-tone ratio (mean)", s["chord_tone_ratio"], "≈ training"),
        ("chord-tone ratio (worst)", s["min_chord_tone_ratio"], ""),
        ("  training lines", s["training_chord_tone_ratio"], ""),
        ("  random pitches", s["random_pitch_chord_tone_ratio"], ""),
        ("stepwise share", s["line_shape"]["stepwise_share"], "≈ training"),
        ("  training lines", s["training_line_shape"]["stepwise_share"], ""),
        ("direction changes", s["line_shape"]["direction_change_share"], "≈ training"),
        ("  training lines", s["training_line_shape"]["direction_change_share"], ""),
        ("8-note patterns seen (mean)", s["seen_interval_pattern_ratio"], "< 0.5"),
        ("  4-note patterns seen (mean)", s["seen_4_note_pattern_ratio"], ""),
        ("empty-beat rate", s["empty_beat_rate"], ""),
        ("notes per solo", s["notes_per_solo"], ""),
    ]
    print(f"  {'measure':<30} {'value':>8}  target")
    for name, value, target in checks:
        print(f"  {name:<30} {str(value):>8}  {target}")
    sets = report["set_comparison"]
    print(f"set comparison ({sets['samples']['generated']} generated and "
          f"{sets['samples']['training']} training samples of {SEGMENT_BARS} bars): "
          "overlap / KL divergence of the model, random pitches, random lines")
    for name, f in sets["features"].items():
        print(f"  {name:<24} {f['overlap']:>7} / {f['kl_divergence']:<7}  "
              f"{f['random_pitch_overlap']:>7} / {f['random_pitch_kl_divergence']:<7}  "
              f"{f['random_line_overlap']:>7} / {f['random_line_kl_divergence']}")
    print(f"  beats random lines on: {', '.join(sets['beats_random_lines_on']) or 'nothing'}")
    print(f"  beats random pitches on: {', '.join(sets['beats_random_pitches_on']) or 'nothing'}"
          " (the rhythm features are equal by construction)")
    w = report["waltz"]
    print(f"3/4: facts {w['facts_meter']}, MIDI {w['time_signature']}, markers as charted "
          f"{w['markers_as_charted']}, {w['bars_with_a_chord_on_the_bar_line']} bar lines "
          f"with a chord, {w['length_quarters']} quarters")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] != ["conditioning"]:
        common.main(__doc__, run, print_table, "jazz", argv)
        return
    parser = argparse.ArgumentParser(description="Compare chord conditioning and transposition.")
    parser.add_argument("conditioning")
    parser.add_argument("--seeds", type=int, default=3, help="training seeds per variant")
    parser.add_argument("--epochs", type=int, help="epochs (default: the config's)")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    report = compare_conditioning(tuple(range(args.seeds)), epochs=args.epochs)
    print_conditioning(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
