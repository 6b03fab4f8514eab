"""benchmarks/results.json as the Markdown tables the README shows.

    python -m benchmarks.report
"""

import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def cells(result):
    def ratio(r):
        if r["ratio"] is None:
            return "", ""
        return f"{r['ratio']:.2f}", "{:.2f}–{:.2f}".format(*r["ratio_quartiles"])

    rows = [
        (r["Tx"], r["units"], r["layer"], r["ms_per_step"], r["baseline"] or "", *ratio(r))
        for r in result["results"]
    ]
    header = ("Tx", "n_a", "layer", "ms / training step", "vs", "ratio", "quartiles")
    return table(header, rows)


def dinos(r):
    return table(
        ("measure", "measured", "target"),
        [
            ("held-out perplexity per character", r["held_out_perplexity"], ""),
            ("character trigram (Kneser-Ney)", r["trigram_perplexity"], ""),
            ("improvement over the trigram", f"{r['improvement_over_trigram']:.1%}", "≥ 15%"),
            ("samples ending before 50 characters", f"{r['ended_before_50_chars']:.1%}", "≥ 95%"),
            ("samples not in the training names", f"{r['novel']:.1%}", "≥ 80%"),
            ("default training, command line", f"{r['train_seconds']} s", "≤ 120 s"),
            ("1,000 names, compiled loop", f"{r['compiled_seconds_per_1000']} s", ""),
            ("1,000 names, the course's loop", f"{r['course_loop_seconds_per_1000']} s", ""),
            ("speed-up", f"{r['speedup_over_course_loop']}×", "≥ 50×"),
            ("SavedModel names / s (batch 1,000)", r["savedmodel_names_per_second"], "≥ 10,000"),
        ],
    )


def jazz(r):
    s = r["summary"]
    return table(
        ("measure", "measured", "target"),
        [
            ("default train + generate", f"{s['train_plus_generate_seconds']} s", "≤ 120 s"),
            (f"solos ({r['seeds']} seeds) parse back, monophonic, 12 bars",
             s["all_parse"] and s["all_monophonic"] and s["all_last_12_bars"], "yes"),
            ("zero-length notes", s["zero_length_notes"], "0"),
            ("chord-tone ratio over the typed chords (mean / worst)",
             f"{s['chord_tone_ratio']} / {s['min_chord_tone_ratio']}", "≥ 0.5"),
            ("random pitches on the same rhythm", s["random_pitch_chord_tone_ratio"], "≈ 0.3"),
            ("8-note interval sequences seen in training", s["seen_interval_pattern_ratio"],
             "< 0.5"),
            ("4-note interval sequences seen in training", s["seen_4_note_pattern_ratio"], ""),
        ],
    )


def tagger(r):
    test = r["test"]
    rows = [("overall", test["precision"], test["recall"], test["f1"])]
    rows += [(kind, v["precision"], v["recall"], v["f1"]) for kind, v in test["per_type"].items()]
    rows = [(k, f"{p:.3f}", f"{rc:.3f}", f"{f:.3f}") for k, p, rc, f in rows]
    model = r["model"]
    head = (
        f"{model['cell']} ×{model['layers']}, n_a = {model['units']}; best dev F1 "
        f"{model['dev_f1']} at epoch {model['best_epoch']}; training {r['train_seconds']} s "
        f"(target ≤ 300 s); test F1 target ≥ 0.43.\n\n"
    )
    return head + table(("test split", "precision", "recall", "F1"), rows)


def main():
    report = json.loads(RESULTS.read_text())
    print(f"Machine: {report['machine']}.\n")
    runs = report["benchmarks"]
    print(table(
        ("benchmark", "wall time", "peak memory", "date", "command"),
        [
            (name, f"{e['seconds']} s", f"{e['peak_rss_mib']} MiB", e.get("date", report["date"]),
             f"`{e.get('command', report['command'])}`")
            for name, e in runs.items()
        ],
    ))
    for name, render in (("cells", cells), ("dinos", dinos), ("jazz", jazz), ("tagger", tagger)):
        if name in runs and runs[name]["result"]:
            print(f"\n**{name}**\n")
            print(render(runs[name]["result"]))


if __name__ == "__main__":
    main()
