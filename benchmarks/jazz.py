"""Quality and speed of the jazz app on its defaults.

1. Train on the embedded corpus and generate a 12-bar blues through the real command line,
   timed end to end (imports included): the target is under 2 minutes for both.
2. Improvise solos over the typed 12-bar blues with several seeds, write each as MIDI, read it
   back with music21 (`quantizePost=False`, `stripTies()`) and check: the solo parses, is
   monophonic, has no zero-length notes and lasts the 12 bars; its chord-tone ratio over the
   typed chords (target ≥ 0.5, against random pitches on the same rhythm, about 0.3); and the
   share of its 8-note interval sequences found in the training material (target < 0.5).

    python -m benchmarks.jazz            # writes benchmarks/jazz.json
    python -m benchmarks.jazz --quick    # 3 epochs, 3 seeds: a smoke run
"""

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
TARGET_SECONDS = 120.0


def _timed(command: list[str]) -> float:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "apps.jazz", *command],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def _read_back(path: Path, typed):
    """The solo as music21 reads it back, and as this project's reader and metrics see it."""
    from music21 import converter

    from apps.jazz import metrics
    from datasets.music import ChordTimeline, Note, piece_from_score, read_score

    score = converter.parse(str(path), quantizePost=False).stripTies()
    solo = [
        Note(float(n.offset), float(n.quarterLength), n.pitch.midi)
        for n in score.parts[0].flatten().notes
    ]
    ours = read_score(path)
    piece = piece_from_score(ours)
    changes = [(i * 4.0 - piece.start, chord) for i, chord in enumerate(typed)]
    piece = metrics.with_chords(piece, ChordTimeline(changes))
    return score, solo, piece


def _random_pitch_ratio(solo, typed, register, rng) -> float:
    """Chord-tone ratio of uniformly random pitches on the solo's own rhythm."""
    from datasets.music import ChordTimeline, note_type

    chords = ChordTimeline.one_per_bar(typed)
    pitches = rng.integers(register[0], register[1] + 1, size=len(solo))
    hits = [
        note_type(int(p), chords.at(n.offset)) == "C"
        for p, n in zip(pitches, solo, strict=True)
    ]
    return float(np.mean(hits)) if hits else 0.0


def run(quick: bool = False) -> dict:
    from apps.jazz import metrics
    from apps.jazz.export import load_trained
    from apps.jazz.midi import solo_score, write_midi
    from apps.jazz.sampling import Sampler, improvise
    from datasets.music import default_pieces, parse_progression

    seeds = range(3) if quick else range(10)
    work = Path(tempfile.mkdtemp(prefix="bench-jazz-"))
    model_dir = work / "model"
    train_args = ["train", "--out", str(model_dir)] + (["--epochs", "3"] if quick else [])
    train_seconds = _timed(train_args)
    generate_seconds = _timed(["generate", "--model", str(model_dir), "--chords", BLUES,
                               "--out", str(work / "timed.mid"), "--plot", str(work / "timed.png")])

    typed = parse_progression(BLUES)
    trained = load_trained(model_dir)
    config, vocab, model, facts = trained.config, trained.vocab, trained.model, trained.facts
    training = default_pieces()
    known = set().union(*(metrics.interval_patterns(p.melody) for p in training))
    known_short = set().union(*(metrics.interval_patterns(p.melody, 4) for p in training))
    sampler = Sampler(model, list(vocab.values), config.chord_input)
    rng = np.random.default_rng(0)
    rows = []
    for seed in seeds:
        notes = improvise(config, facts, sampler, typed, temperature=1.0, seed=seed)
        path = work / f"solo-{seed}.mid"
        write_midi(solo_score(notes, typed, facts["bar_length"], facts["tempo"]), path)
        score, solo, piece = _read_back(path, typed)
        ordered = sorted(solo, key=lambda n: n.offset)
        overlaps = sum(a.end > b.offset + 1e-6 for a, b in zip(ordered, ordered[1:], strict=False))
        patterns = metrics.interval_patterns(piece.melody)
        short = metrics.interval_patterns(piece.melody, 4)
        quality = metrics.solo_metrics(solo, piece, 12 * facts["bar_length"])
        rows.append({
            "seed": seed,
            "notes": len(solo),
            "parses": len(score.parts) == 2 and len(solo) > 0,
            "monophonic": overlaps == 0,
            "zero_length_notes": sum(1 for n in solo if n.duration <= 0),
            "bars": score.highestTime / facts["bar_length"],
            "solo_within_bars": max(n.end for n in solo) <= 12 * facts["bar_length"] + 1e-6,
            "chord_tone_ratio": quality["chord_tone_ratio"],
            "random_pitch_chord_tone_ratio": round(
                _random_pitch_ratio(solo, typed, facts["register"], rng), 4
            ),
            "seen_interval_pattern_ratio": round(
                len(patterns & known) / len(patterns), 4) if patterns else 0.0,
            "seen_4_note_pattern_ratio": round(
                len(short & known_short) / len(short), 4) if short else 0.0,
            "empty_beat_rate": quality["empty_beat_rate"],
        })

    def mean(key):
        return round(statistics.fmean(row[key] for row in rows), 4)

    summary = {
        "train_seconds": round(train_seconds, 1),
        "generate_seconds": round(generate_seconds, 1),
        "train_plus_generate_seconds": round(train_seconds + generate_seconds, 1),
        "within_2_minutes": train_seconds + generate_seconds <= TARGET_SECONDS,
        "all_parse": all(r["parses"] for r in rows),
        "all_monophonic": all(r["monophonic"] for r in rows),
        "zero_length_notes": sum(r["zero_length_notes"] for r in rows),
        "all_last_12_bars": all(r["bars"] == 12 and r["solo_within_bars"] for r in rows),
        "chord_tone_ratio": mean("chord_tone_ratio"),
        "min_chord_tone_ratio": min(r["chord_tone_ratio"] for r in rows),
        "random_pitch_chord_tone_ratio": mean("random_pitch_chord_tone_ratio"),
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
        "n_values": len(vocab),
        "n_a": config.n_a,
        "Tx": config.Tx,
        "chords": BLUES,
        "seeds": len(rows),
        "summary": summary,
        "solos": rows,
    }


def print_table(report: dict) -> None:
    s = report["summary"]
    print(f"jazz: {report['seeds']} solos over a 12-bar blues, n_values={report['n_values']}, "
          f"n_a={report['n_a']}, {report['epochs']} epochs")
    checks = [
        ("train + generate (s)", s["train_plus_generate_seconds"], "≤ 120"),
        ("  train (s)", s["train_seconds"], ""),
        ("  generate (s)", s["generate_seconds"], ""),
        ("parse back with music21", s["all_parse"], "yes"),
        ("monophonic", s["all_monophonic"], "yes"),
        ("zero-length notes", s["zero_length_notes"], "0"),
        ("last the 12 bars", s["all_last_12_bars"], "yes"),
        ("chord-tone ratio (mean)", s["chord_tone_ratio"], "≥ 0.5"),
        ("chord-tone ratio (worst)", s["min_chord_tone_ratio"], ""),
        ("  random pitches", s["random_pitch_chord_tone_ratio"], "≈ 0.3"),
        ("8-note patterns seen (mean)", s["seen_interval_pattern_ratio"], "< 0.5"),
        ("8-note patterns seen (worst)", s["max_seen_interval_pattern_ratio"], ""),
        ("  4-note patterns seen (mean)", s["seen_4_note_pattern_ratio"], ""),
        ("empty-beat rate", s["empty_beat_rate"], ""),
        ("notes per solo", s["notes_per_solo"], ""),
    ]
    print(f"  {'measure':<30} {'value':>8}  target")
    for name, value, target in checks:
        print(f"  {name:<30} {str(value):>8}  {target}")


def main(argv=None):
    common.main(__doc__, run, print_table, "jazz", argv)


if __name__ == "__main__":
    main()
