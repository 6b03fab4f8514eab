"""The jazz solo as a musician hears it, and the app as a practice tool (issue #18's targets).

1. **In time and on the changes.** The default model is trained with several training seeds;
   each improvises over four charts (a blues in F and in Bb, a ii-V-I, a minor ii-V) with two
   seeds, 24 bars, with its band. Every solo is written as MIDI twice, straight (`--swing 1`)
   and with the default swing, and read back with mido (not the library that wrote it). Per
   solo: the share of onsets on a beat or an "and" (straight), the share of off-beat notes at
   the swung eighth (swung), the chord tone and the 3rd or 7th sounding at the changes, the
   steps into them, the phrases and the rests between them, and the register per chorus
   (`apps.jazz.listening`). The training lines get the same measures as written.
2. **The practice tool**, through the real command line: `--choruses 3 --count-in` (a first
   bar of drums alone, three choruses of markers, the bass ending on the root of the chart's
   first chord and the solo on a chord tone of it), `--no-solo`, `--style bossa` (no swung
   eighth anywhere), `--style ballad` (at most two bass notes a bar), a chart of the chord
   symbols players type, and `--chords-from` a MusicXML lead sheet against the same chart typed.

    python -m benchmarks.jazz_practice            # 3 training seeds: benchmarks/jazz_practice.json
    python -m benchmarks.jazz_practice --quick    # 1 training seed, 3 epochs: a smoke run
    python -m benchmarks.jazz_practice --compare  # chord input against values only
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common
from benchmarks.jazz import ROOT

CHARTS = {
    "blues in F": "F7 | Bb7 | F7 | Cm7 F7 | Bb7 | Bdim7 | F7 | Am7b5 D7b9 | Gm7 | C7 | F7 D7 "
                  "| Gm7 C7",
    "blues in Bb": "Bb7 | Eb7 | Bb7 | Fm7 Bb7 | Eb7 | Edim7 | Bb7 | Dm7b5 G7b9 | Cm7 | F7 "
                   "| Bb7 G7 | Cm7 F7",
    "ii-V-I in C": "Dm7 | G7 | Cmaj7 | Cmaj7",
    "minor ii-V in C": "Dm7b5 | G7alt | Cm6 | Cm6",
}
BARS = 24
SOLO_SEEDS = (0, 1)
TARGETS = {"on_grid_share": 0.90, "swung_share": 0.85, "chord_tone_at_changes": 0.75,
           "guide_tone_at_changes": 0.45}
PLAYERS_CHORDS = ("N.C. | Cm(add9) | Cmadd9 | C7(#9,b13) | CΔ | CΔ7 | C11 | C5 | C2 | Csus2 "
                  "| C°7 | F#ø | Bb7 | Ebmaj7 | G7:2 C:2")
LEAD_SHEET = ROOT / "tests" / "apps" / "jazz" / "fixtures" / "blues_in_f.musicxml"


# -- Reading a MIDI file back with mido ----------------------------------------------------------


def heard(path: Path) -> dict:
    """A MIDI file as mido reads it: {"tracks": {name: [(onset, end, pitch, channel)]},
    "markers", "cues": [(quarter notes, text)], "programs": {name: program}}."""
    import mido

    midi = mido.MidiFile(str(path))
    ticks = midi.ticks_per_beat
    tracks, markers, cues, programs = {}, [], [], {}
    for track in midi.tracks:
        now, name, sounding, notes = 0, track.name, {}, []
        for message in track:
            now += message.time
            if message.type == "marker":
                markers.append((now / ticks, message.text))
            elif message.type == "cue_marker":
                cues.append((now / ticks, message.text))
            elif message.type == "program_change":
                programs[name] = message.program
            elif message.type == "note_on" and message.velocity > 0:
                sounding[(message.channel, message.note)] = now
            elif message.type in ("note_off", "note_on") and (
                    message.channel, message.note) in sounding:
                start = sounding.pop((message.channel, message.note))
                notes.append((start / ticks, now / ticks, message.note, message.channel + 1))
        if notes:
            tracks[name] = sorted(notes)
    return {"tracks": tracks, "markers": markers, "cues": cues, "programs": programs}


# -- 1. In time and on the changes ----------------------------------------------------------------


def _solo_report(path_straight: Path, path_swung: Path, chart, meter, swing: float) -> dict:
    from apps.jazz import listening
    from datasets.music import ChordTimeline

    straight, swung = heard(path_straight), heard(path_swung)
    end = next(t for t, text in straight["cues"] if text == "Ending")
    chords = ChordTimeline(chart.changes(meter, BARS))
    sections = listening.sections_of(straight["cues"], end)
    notes = [n[:3] for n in straight["tracks"]["Solo"]]
    report = listening.listen(notes, chords, meter, 1.0, sections)
    swung_notes = [n[:3] for n in swung["tracks"]["Solo"]]
    report["swung_share"] = listening.listen(swung_notes, chords, meter, swing,
                                             sections)["swung_share"]
    return report


def improvise_over_charts(model_dir: Path, work: Path) -> list[dict]:
    from apps.jazz.band import write_midi
    from apps.jazz.export import load_trained
    from apps.jazz.sampling import Sampler, perform
    from datasets.music import parse_chart

    trained = load_trained(model_dir)
    sampler = Sampler(trained.model, list(trained.vocab.values), trained.config.chord_input)
    rows = []
    for name, text in CHARTS.items():
        chart = parse_chart(text)
        for seed in SOLO_SEEDS:
            paths = {}
            for swing in (1.0, 2.0):
                arrangement = perform(trained, sampler, chart=chart, bars=BARS, seed=seed,
                                      swing=swing, ending=True)
                paths[swing] = work / f"{name.replace(' ', '_')}-{seed}-{swing:g}.mid"
                write_midi(arrangement, paths[swing])
            report = _solo_report(paths[1.0], paths[2.0], chart, trained.meter, 2.0)
            rows.append({"chart": name, "seed": seed, **report})
    return rows


def training_lines() -> dict:
    """The measures of the training lines as written (straight, each piece one chorus)."""
    from apps.jazz import listening
    from datasets.music import default_pieces

    reports = []
    for piece in default_pieces():
        notes = [(n.offset, n.end, n.pitch) for n in piece.melody if not n.is_rest]
        end = max(n[1] for n in notes)
        reports.append((len(notes), listening.listen(notes, piece.chords, piece.meter, 1.0,
                                                     [(0.0, end)])))
    return {key: _weighted(reports, key) for key in
            ("on_grid_share", "chord_tone_at_changes", "guide_tone_at_changes",
             "approach_by_step")} | {"phrase_mean_bars": _weighted_phrases(reports)}


def _weighted(reports, key) -> float | None:
    pairs = [(n, r[key]) for n, r in reports if r.get(key) is not None]
    total = sum(n for n, _ in pairs)
    return round(sum(n * v for n, v in pairs) / total, 4) if total else None


def _weighted_phrases(reports) -> float:
    values = [r["phrases"]["mean_bars"] for _, r in reports if r["phrases"]["count"]]
    return round(statistics.fmean(values), 3)


def summarise(rows: list[dict]) -> dict:
    """Mean, min and max over the solos of every measure with a target, and of the phrases."""
    def spread(values):
        values = [v for v in values if v is not None]
        return {"mean": round(statistics.fmean(values), 4), "min": min(values),
                "max": max(values)} if values else None

    summary = {key: spread(r[key] for r in rows) for key in
               (*TARGETS, "approach_by_step")}
    summary["phrase_mean_bars"] = spread(r["phrases"]["mean_bars"] for r in rows)
    summary["phrase_mean_rest_beats"] = spread(r["phrases"]["mean_rest_beats"] for r in rows)
    summary["phrases_start_on_beat_or_and"] = spread(
        r["phrases"]["start_on_beat_or_and"] for r in rows)
    summary["phrases_end_on_beat_or_and"] = spread(
        r["phrases"]["end_on_beat_or_and"] for r in rows)
    summary["meets"] = {key: summary[key]["mean"] >= target for key, target in TARGETS.items()}
    return summary


def train(config_overrides: dict, seed: int, work: Path, epochs: int | None) -> tuple[Path, float]:
    from apps.jazz.config import JazzConfig
    from apps.jazz.train import train_and_evaluate

    config = JazzConfig(seed=seed, **config_overrides)
    if epochs:
        config.epochs = epochs
    out = work / f"model-{'-'.join(f'{k}{v}' for k, v in config_overrides.items())}-{seed}"
    start = time.perf_counter()
    train_and_evaluate(config, out, verbose=0)
    return out, time.perf_counter() - start


def in_time(variant: dict, training_seeds, work: Path, epochs: int | None) -> dict:
    runs = []
    for seed in training_seeds:
        model_dir, seconds = train(variant, seed, work, epochs)
        rows = improvise_over_charts(model_dir, work)
        runs.append({"training_seed": seed, "train_seconds": round(seconds, 1),
                     "summary": summarise(rows), "solos": rows})
        print(f"jazz_practice: {variant or 'defaults'} seed {seed}: "
              f"{json.dumps(runs[-1]['summary']['meets'])}", file=sys.stderr, flush=True)
    pooled = summarise([row for run in runs for row in run["solos"]])
    per_seed = {key: [run["summary"][key]["mean"] for run in runs] for key in TARGETS}
    return {"settings": variant, "pooled": pooled, "per_training_seed": per_seed,
            "runs": runs}


# -- 2. The practice tool, through the command line ------------------------------------------------


def _generate(model_dir: Path, out: Path, *argv) -> None:
    subprocess.run([sys.executable, "-m", "apps.jazz", "generate", "--model", str(model_dir),
                    "--out", str(out), *map(str, argv)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def practice(model_dir: Path, work: Path) -> dict:
    from apps.jazz import listening
    from datasets.music import Meter, parse_chord_symbol

    blues = CHARTS["blues in F"]
    f7 = parse_chord_symbol("F7")
    out = work / "practice.mid"
    _generate(model_dir, out, "--chords", blues, "--choruses", 3, "--count-in", "--seed", 0)
    played = heard(out)
    tracks = played["tracks"]
    first_bar = {name for name, notes in tracks.items() if any(n[0] < 4.0 for n in notes)}
    end = next(t for t, text in played["cues"] if text == "Ending")
    notes = [n[:3] for n in tracks["Solo"]]
    sections = listening.sections_of(played["cues"], end)
    choruses = listening.choruses(notes, sections, Meter(4, 4))
    result = {
        "choruses_count_in": {
            "first_bar_holds_only": sorted(first_bar),
            "chorus_cues": [t for t, text in played["cues"] if text.startswith("Chorus")],
            "marker_passes": sum(1 for _, m in played["markers"] if m == "F7") // 5,
            "bass_ends_on_the_root": tracks["Bass"][-1][2] % 12 == f7.root,
            "solo_ends_on_a_chord_tone": tracks["Solo"][-1][2] % 12 in f7.pitch_classes,
            "per_chorus": choruses,
        },
    }
    _generate(model_dir, work / "minus_one.mid", "--chords", blues, "--no-solo")
    result["no_solo_tracks"] = sorted(heard(work / "minus_one.mid")["tracks"])
    _generate(model_dir, work / "bossa.mid", "--chords", blues, "--style", "bossa")
    bossa = heard(work / "bossa.mid")["tracks"]
    offbeats = [n[0] % 1.0 for notes in bossa.values() for n in notes if n[0] % 1.0 > 1e-6]
    result["bossa"] = {"offbeat_onsets": len(offbeats),
                       "swung_eighths": sum(abs(f - 2 / 3) < 0.02 for f in offbeats),
                       "straight_eighths": sum(abs(f - 0.5) < 1e-6 for f in offbeats)}
    _generate(model_dir, work / "ballad.mid", "--chords", blues, "--style", "ballad")
    ballad = heard(work / "ballad.mid")
    per_bar = {}
    for onset, *_ in ballad["tracks"]["Bass"]:
        per_bar[int(onset // 4)] = per_bar.get(int(onset // 4), 0) + 1
    result["ballad"] = {"most_bass_notes_in_a_bar": max(per_bar.values()),
                        "drum_kit_program": ballad["programs"].get("Drums")}
    result["players_chords"] = players_chords(model_dir, work)
    _generate(model_dir, work / "sheet.mid", "--chords-from", LEAD_SHEET, "--no-solo")
    _generate(model_dir, work / "typed.mid", "--chords", blues, "--no-solo", "--tempo", 160)
    sheet, typed = heard(work / "sheet.mid"), heard(work / "typed.mid")
    result["lead_sheet_markers_as_typed"] = sheet["markers"] == typed["markers"]
    result["lead_sheet_markers"] = len(sheet["markers"])
    return result


def players_chords(model_dir: Path, work: Path) -> dict:
    """The chord symbols of issue #18 in one chart: each bar's bass root, the N.C. bar, the 11th
    chord's voicing, the markers' characters."""
    from datasets.music import Meter, parse_chart

    out = work / "players.mid"
    _generate(model_dir, out, "--chords", PLAYERS_CHORDS, "--seed", 1, "--no-ending")
    played = heard(out)
    chart = parse_chart(PLAYERS_CHORDS)
    changes = chart.changes(Meter(4, 4))
    bass = {round(n[0], 6): n[2] for n in played["tracks"]["Bass"]}
    piano = played["tracks"]["Piano"]
    roots = [(o, c) for o, c in changes if not c.is_no_chord]
    eleventh = next(o for o, c in changes if c.figure == "C11")
    return {
        "symbols": len(changes),
        "bass_root_on_each_chord": all(bass.get(round(o, 6), -1) % 12 == c.bass_class
                                       for o, c in roots),
        "nc_bar_bass_and_piano_rest": not any(n[0] < 4.0 for n in played["tracks"]["Bass"])
        and not any(n[0] < 4.0 for n in piano),
        "nc_bar_drums_play": sum(1 for n in played["tracks"]["Drums"] if n[0] < 4.0),
        "no_third_under_the_11th": all(n[2] % 12 != 4 for n in piano
                                       if eleventh <= n[0] < eleventh + 4.0),
        "markers_ascii": all(m.isascii() for _, m in played["markers"]),
        "markers": [m for _, m in played["markers"]],
    }


# -- The benchmark ----------------------------------------------------------------------------


def run(quick: bool = False, compare: bool = False) -> dict:
    from apps.jazz.config import JazzConfig

    work = Path(tempfile.mkdtemp(prefix="bench-jazz-practice-"))
    seeds = (0,) if quick else (0, 1, 2)
    epochs = 3 if quick else None
    variants = {"default": {}}
    if compare:
        default = JazzConfig().chord_input
        variants = {"chord input" if default else "values only": {},
                    "values only" if default else "chord input": {"chord_input": not default}}
    results = {name: in_time(settings, seeds, work, epochs) for name, settings in
               variants.items()}
    first = next(iter(results.values()))["runs"][0]
    model_dir = work / f"model--{first['training_seed']}"
    return {
        "benchmark": "jazz_practice",
        "quick": quick,
        "charts": CHARTS,
        "bars": BARS,
        "solo_seeds": list(SOLO_SEEDS),
        "training_seeds": list(seeds),
        "targets": TARGETS,
        "variants": {name: {k: v for k, v in r.items() if k != "runs"} | {
            "runs": [{k: v for k, v in run_.items() if k != "solos"} for run_ in r["runs"]]}
            for name, r in results.items()},
        "solos": {name: [row for run_ in r["runs"] for row in run_["solos"]]
                  for name, r in results.items()},
        "training_lines": training_lines(),
        "practice": practice(model_dir, work),
    }


def print_table(report: dict) -> None:
    lines = report["training_lines"]
    print(f"jazz practice: {len(report['charts'])} charts x {len(report['solo_seeds'])} seeds, "
          f"{report['bars']} bars, training seeds {report['training_seeds']}; mean (min-max) "
          "over all solos, and the mean per training seed")
    for name, variant in report["variants"].items():
        print(f"  {name} {variant['settings'] or ''}")
        pooled = variant["pooled"]
        for key, target in TARGETS.items():
            cell = pooled[key]
            per_seed = " / ".join(f"{v:.3f}" for v in variant["per_training_seed"][key])
            print(f"    {key:<24} {cell['mean']:.3f} ({cell['min']:.3f}-{cell['max']:.3f})  "
                  f"per seed {per_seed}  target >= {target}  lines {lines.get(key, '-')}")
        for key in ("approach_by_step", "phrase_mean_bars", "phrase_mean_rest_beats",
                    "phrases_start_on_beat_or_and", "phrases_end_on_beat_or_and"):
            cell = pooled[key]
            print(f"    {key:<24} {cell['mean']:.3f} ({cell['min']:.3f}-{cell['max']:.3f})")
    p = report["practice"]
    c = p["choruses_count_in"]
    print(f"  --choruses 3 --count-in: first bar {c['first_bar_holds_only']}, chorus cues "
          f"{c['chorus_cues']}, bass ends on the root {c['bass_ends_on_the_root']}, solo on a "
          f"chord tone {c['solo_ends_on_a_chord_tone']}")
    for chorus in c["per_chorus"]:
        print(f"    chorus {chorus['chorus']}: pitches {chorus['lowest_pitch']}-"
              f"{chorus['highest_pitch']}, mean {chorus['mean_pitch']}, rise {chorus['rise']}, "
              f"{chorus['notes_per_bar']} notes a bar")
    print(f"  --no-solo tracks {p['no_solo_tracks']}; bossa: {p['bossa']}; ballad: {p['ballad']}")
    pc = p["players_chords"]
    print(f"  players' chords: {pc['symbols']} symbols, bass root on each "
          f"{pc['bass_root_on_each_chord']}, N.C. bar rests {pc['nc_bar_bass_and_piano_rest']} "
          f"(drum hits {pc['nc_bar_drums_play']}), no 3rd under C11 "
          f"{pc['no_third_under_the_11th']}, ASCII markers {pc['markers_ascii']}")
    print(f"  --chords-from the lead sheet: markers as typed {p['lead_sheet_markers_as_typed']} "
          f"({p['lead_sheet_markers']} markers)")


def main(argv=None):
    common.main(__doc__, run, print_table, "jazz_practice", argv,
                switches={"compare": "also train the other chord-input setting and compare"},
                quick_help="one training seed, 3 epochs")


if __name__ == "__main__":
    main()
