"""The command line every benchmark script shares."""

import argparse
import json
from pathlib import Path


def main(module_doc, run, print_table, name, argv=None):
    """`python -m benchmarks.<name> [--quick] [--out FILE]`: run, print, write JSON.

    A quick run is a smoke test and writes its JSON only when --out is given.
    """
    parser = argparse.ArgumentParser(description=module_doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter: a smoke run")
    parser.add_argument("--out", type=Path, help=f"JSON output (default benchmarks/{name}.json)")
    args = parser.parse_args(argv)
    report = run(quick=args.quick)
    print_table(report)
    out = args.out or (None if args.quick else Path(__file__).with_name(f"{name}.json"))
    if out is not None:
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {out}")
