"""benchmarks/results.json printed as each benchmark prints its own run.

    python -m benchmarks.report

The tables come from the benchmarks' own `print_table`, so they show the figures and targets of
the code that measured them.
"""

import importlib
import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")
PRINTED = ("cells", "dinos", "jazz", "jazz_practice", "tagger")


def main(results=RESULTS):
    if not results.exists():
        raise SystemExit(f"no {results}: run `make bench` (or `python -m benchmarks NAME`) first")
    report = json.loads(results.read_text())
    print(f"Machine: {report['machine']}.")
    runs = report["benchmarks"]
    for name, entry in runs.items():
        seconds = "?" if entry["seconds"] is None else entry["seconds"]
        peak = "?" if entry["peak_rss_mib"] is None else entry["peak_rss_mib"]
        print(
            f"{name}: {seconds} s, peak {peak} MiB, exit "
            f"{entry['exit_code']}, {entry.get('date', report['date'])}, "
            f"`{entry.get('command', report['command'])}`"
        )
    for name in PRINTED:
        if name in runs and runs[name]["result"]:
            print(f"\n== {name} ==")
            try:
                importlib.import_module(f"benchmarks.{name}").print_table(runs[name]["result"])
            except KeyError as missing:
                print(f"(recorded by an older version of the benchmark, without {missing}: "
                      f"rerun `python -m benchmarks {name}`)")


if __name__ == "__main__":
    main()
