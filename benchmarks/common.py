"""The command line every benchmark script shares."""

import argparse
import json
from pathlib import Path


def main(module_doc, run, print_table, name, argv=None, switches=None, quick_help=None):
    """`python -m benchmarks.<name> [--quick] [--SWITCH ...] [--out FILE]`: run, print, write JSON.

    `switches` maps a benchmark's own on/off flags to their help; each reaches `run` as a
    keyword of the same name. A quick run is a smoke test and writes its JSON only when --out
    is given.
    """
    switches = switches or {}
    parser = argparse.ArgumentParser(description=module_doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help or "shorter: a smoke run")
    for switch, help_text in switches.items():
        parser.add_argument(f"--{switch}", action="store_true", help=help_text)
    parser.add_argument("--out", type=Path, help=f"JSON output (default benchmarks/{name}.json)")
    args = parser.parse_args(argv)
    report = run(quick=args.quick, **{switch: getattr(args, switch) for switch in switches})
    print_table(report)
    out = args.out or (None if args.quick else Path(__file__).with_name(f"{name}.json"))
    if out is not None:
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {out}")
