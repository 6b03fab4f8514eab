"""`make bench`: every benchmark in its own process, timed, with its peak memory.

Writes benchmarks/results.json with the date, the machine and the command, and prints a summary.

    python -m benchmarks            # everything
    python -m benchmarks --quick    # fewer repetitions and shorter training, for a smoke run
    python -m benchmarks cells jazz # some of them
    python -m benchmarks dinos --names  # the dinos benchmark with names.txt (always in a full run)
    python -m benchmarks tagger --conll03 DIR   # CoNLL-2003 from DIR (default: ../shared/...)
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = ("cells", "dinos", "jazz", "jazz_practice", "tagger", "demo")
RESULTS = Path(__file__).with_name("results.json")

RUNNER = """
import json, sys
from benchmarks.{name} import run
json.dump(run(quick={quick}{options}), open(sys.argv[1], "w"), indent=2)
"""


def machine():
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}"


def run_one(name, quick, options=""):
    """Run one benchmark in a child process; return its result, wall time and peak memory.

    `options`: further keyword arguments of its `run`, as Python source (", names=True")."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        if name == "demo":
            command = [sys.executable, "-m", "apps"]
        else:
            code = RUNNER.format(name=name, quick=quick, options=options)
            command = [sys.executable, "-c", code, out.name]
        start = time.perf_counter()
        child = subprocess.Popen(command)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        result = json.loads(Path(out.name).read_text() or "null") if name != "demo" else None
    return {
        "exit_code": code,
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "result": result,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the benchmarks and write results.json.")
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--names", action="store_true", dest="names_txt",
        help="dinos: names.txt as well (32,033 baby names; always in a full run)",
    )
    parser.add_argument(
        "--conll03", type=Path, metavar="DIR",
        help="tagger: the folder with CoNLL-2003's train.txt, valid.txt and test.txt (default: "
        "../shared/data/ner/conll2003 beside the repository; skipped with a reason when absent)",
    )
    args = parser.parse_args(argv)
    if args.conll03 is not None and not args.conll03.is_dir():
        parser.error(f"--conll03: no folder {args.conll03}")
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    command = f"python -m benchmarks {' '.join(names)}" if args.names else "make bench"
    command += " --names" if args.names and args.names_txt else ""
    command += f" --conll03 {args.conll03}" if args.conll03 is not None else ""
    options = {"dinos": f", names={args.names_txt or not args.names}"}
    if args.conll03 is not None:
        options["tagger"] = f", conll03={str(args.conll03.resolve())!r}"
    report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"benchmarks": {}}
    report.update(
        {
            "date": datetime.date.today().isoformat(),
            "machine": machine(),
            "command": command + (" --quick" if args.quick else ""),
        }
    )
    failed = []
    for name in names:
        print(f"== {name} ==", flush=True)
        entry = run_one(name, args.quick, options.get(name, ""))
        entry["quick"] = args.quick
        entry["date"], entry["command"] = report["date"], report["command"]
        report["benchmarks"][name] = entry
        RESULTS.write_text(json.dumps(report, indent=2) + "\n")
        print(
            f"{name}: exit {entry['exit_code']}, {entry['seconds']} s, "
            f"peak {entry['peak_rss_mib']} MiB",
            flush=True,
        )
        if entry["exit_code"] != 0:
            failed.append(name)
    print(f"wrote {RESULTS}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
