"""Quality and speed of the entity tagger on its defaults.

Trains through the real command line on the embedded WNUT-16 split (train 80 %, early stopping on
dev 10 %), times it end to end (imports and export included; target ≤ 5 minutes), then scores the
held-out test 10 % with `evaluate --json`: entity precision, recall and F1 overall and per type,
with conlleval's rules. Target: test F1 ≥ 0.43 (a linear CRF with hand-made features), against
0.33–0.36 for a plain BiLSTM with softmax.

    python -m benchmarks.tagger            # writes benchmarks/tagger.json
    python -m benchmarks.tagger --quick    # 3 epochs: a smoke run
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_F1 = 0.43
TARGET_SECONDS = 300.0


def _cli(arguments: list[str], capture: bool = False) -> str:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "apps.tagger", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
        text=True,
    )
    return result.stdout


def _write_conll(sentences, path: Path) -> None:
    from datasets.conll import format_conll

    path.write_text("".join(format_conll(s.tokens, s.tags) for s in sentences), encoding="utf-8")


def run(quick: bool = False) -> dict:
    from apps.tagger.config import TaggerConfig
    from datasets.wnut import SOURCE, split_wnut16

    work = Path(tempfile.mkdtemp(prefix="bench-tagger-"))
    model_dir = work / "model"
    train, dev, test = split_wnut16()
    _write_conll(test, work / "test.conll")

    start = time.perf_counter()
    _cli(["train", "--out", str(model_dir), *(["--epochs", "3"] if quick else [])])
    train_seconds = time.perf_counter() - start
    scores = json.loads(
        _cli(["evaluate", "--data", str(work / "test.conll"), "--model", str(model_dir), "--json"],
             capture=True)
    )
    config = json.loads((model_dir / "config.json").read_text())
    best = json.loads((model_dir / "checkpoints" / "best.json").read_text())
    defaults = TaggerConfig()
    return {
        "benchmark": "tagger",
        "quick": quick,
        "data": (
            f"WNUT-16 from {SOURCE}: {len(train)} train, {len(dev)} dev, {len(test)} test tweets"
        ),
        "model": {
            "cell": config["cell"],
            "units": config["units"],
            "layers": config["layers"],
            "max_epochs": config["epochs"],
            "best_epoch": best["epoch"],
            "dev_f1": round(best["value"], 4),
        },
        "train_seconds": round(train_seconds, 1),
        "within_5_minutes": train_seconds <= TARGET_SECONDS,
        "test": scores,
        "f1_at_least_0.43": scores["f1"] >= TARGET_F1,
        "defaults": defaults.to_dict(),
    }


def print_table(report: dict) -> None:
    model, test = report["model"], report["test"]
    print(f"tagger: {report['data']}")
    print(f"  {model['cell']} x{model['layers']}, n_a={model['units']}; best dev F1 "
          f"{model['dev_f1']} at epoch {model['best_epoch']} of at most {model['max_epochs']}")
    print(f"  train time {report['train_seconds']} s (target ≤ {TARGET_SECONDS:.0f})")
    print(f"  {'test':<14} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}")
    total = sum(row["support"] for row in test["per_type"].values())
    rows = [("overall", {**test, "support": total}), *test["per_type"].items()]
    for name, row in rows:
        print(f"  {name:<14} {row['precision']:9.4f} {row['recall']:9.4f} {row['f1']:9.4f} "
              f"{row['support']:8d}")
    print(f"  target: test F1 ≥ {TARGET_F1}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 epochs")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("tagger.json"))
    args = parser.parse_args()
    report = run(quick=args.quick)
    print_table(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
