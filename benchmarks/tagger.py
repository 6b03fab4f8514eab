"""Quality and speed of the entity tagger on its defaults, on its own corpus and on CoNLL-2003.

1. The default model: trained through the real command line on the embedded corpus (wikigold,
   Broad Twitter Corpus, WNUT-16; PER, LOC, ORG; train 80 %, early stopping on dev 10 %), timed
   end to end (target ≤ 10 minutes); its held-out test 10 % scored per type and per source with
   `evaluate --json`; the course's sentence tagged; and, when CoNLL-2003 is here, its F1 on the
   CoNLL-2003 test set counting PER, LOC and ORG only (news, a domain it never saw; MISC read as
   O; target ≥ 0.70); its F1 on `benchmarks/data/our_sentences.conll` (32 sentences we wrote
   ourselves, fiction, news, sport and everyday, 82 names; never used to choose a setting) as
   written, lower-cased, UPPER-CASED and Title-Cased. The SavedModel's `tag` signature is timed
   at batch 256 (sentences/s).
2. CoNLL-2003 English, when a copy is here: trained with the defaults on its train, stopped early
   on its valid, timed (target ≤ 20 minutes), scored on its test per type (target F1 ≥ 0.88),
   beside published figures: Lample et al. (2016) 90.94 (BiLSTM-CRF, pretrained vectors); Ma and
   Hovy (2016) 91.21 with vectors and 80.76 without.

CoNLL-2003 is under the Reuters research licence: it is read from where it lies (by default
`../shared/data/ner/conll2003/{train,valid,test}.txt` beside the repository) and never copied
into it; the benchmark skips that part, printing why, when the folder is absent.

    python -m benchmarks.tagger                     # writes benchmarks/tagger.json
    python -m benchmarks.tagger --conll03 DIR       # CoNLL-2003 from DIR
    python -m benchmarks.tagger --quick             # 1 epoch each: a smoke run
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
CONLL03 = ROOT.parent / "shared" / "data" / "ner" / "conll2003"
CONLL03_FILES = ("train.txt", "valid.txt", "test.txt")
COURSE_SENTENCE = "Harry Potter and Hermione Granger invented a new spell"
OUR_SENTENCES = Path(__file__).with_name("data") / "our_sentences.conll"
TARGETS = {
    "default_train_seconds": 600.0,
    "default_on_conll03_plo_f1": 0.70,
    "conll03_f1": 0.88,
    "conll03_train_seconds": 1200.0,
    "sentences_per_second": 1000.0,
}
ANCHORS = {
    "Lample et al. 2016 (BiLSTM-CRF, pretrained vectors)": 0.9094,
    "Ma and Hovy 2016 (BiLSTM-CNN-CRF, GloVe 100-d)": 0.9121,
    "Ma and Hovy 2016, without pretrained vectors": 0.8076,
}
THROUGHPUT_BATCH = 256


def _cli(arguments: list[str], capture: bool = False) -> str:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "apps.tagger", *map(str, arguments)],
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


def _train(model_dir: Path, arguments: list[str]) -> dict:
    """Train through the command line; the seconds it took, the best epoch and its dev F1."""
    start = time.perf_counter()
    _cli(["train", "--out", model_dir, *arguments])
    seconds = time.perf_counter() - start
    config = json.loads((model_dir / "config.json").read_text())
    best = json.loads((model_dir / "checkpoints" / "best.json").read_text())
    return {
        "cell": config["cell"],
        "units": config["units"],
        "layers": config["layers"],
        "vectors": config["vectors"],
        "decoder": config["decoder"],
        "max_epochs": config["epochs"],
        "best_epoch": best["epoch"],
        "dev_f1": round(best["value"], 4),
        "train_seconds": round(seconds, 1),
    }


def _evaluate(model_dir: Path, data: Path | None = None) -> dict:
    arguments = ["evaluate", "--model", model_dir, "--json"]
    return json.loads(_cli([*arguments, *(["--data", data] if data else [])], capture=True))


def _plo_only(sentences):
    """The sentences with every entity outside PER, LOC and ORG read as O (IOB2)."""
    from datasets.schemes import chunks, from_chunks

    kept = ("PER", "LOC", "ORG")
    return [
        s._replace(tags=tuple(from_chunks(
            [c for c in chunks(s.tags) if c[0] in kept], len(s.tags), "iob2"
        )))
        for s in sentences
    ]


def throughput(export_dir: Path, token_lists, batch_size: int = THROUGHPUT_BATCH) -> float:
    """Sentences per second through the SavedModel's `tag` signature, at `batch_size` sentences
    per call, padded to each batch's longest (the best of three passes after a warm-up)."""
    import tensorflow as tf

    from apps.tagger.data import pad_tokens

    tag = tf.saved_model.load(str(export_dir)).signatures["tag"]
    batches = [
        tf.constant(pad_tokens(token_lists[first : first + batch_size]))
        for first in range(0, len(token_lists) - batch_size + 1, batch_size)
    ]
    tag(tokens=batches[0])
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for batch in batches:
            tag(tokens=batch)["tags"].numpy()
        best = min(best, time.perf_counter() - start)
    return round(len(batches) * batch_size / best, 1)


def our_sentences(model_dir: Path) -> dict:
    """F1 on our own sentences as written and recased (`datasets.ner.CASINGS`)."""
    from apps.tagger.export import load_tagger
    from apps.tagger.predict import score
    from datasets.conll import read_conll
    from datasets.ner import CASINGS, recase

    server, _ = load_tagger(model_dir)
    sentences = read_conll(OUR_SENTENCES)
    report = {"as written": score(server, sentences, False)}
    for name, case in CASINGS.items():
        recased = [recase(sentence, case) for sentence in sentences]
        report[name] = {"f1": score(server, recased, False)["f1"]}
    return report


def default_model(work: Path, quick: bool, conll03: Path | None) -> dict:
    from datasets.conll import read_conll
    from datasets.ner import split_ner

    model_dir = work / "default"
    model = _train(model_dir, ["--epochs", "1"] if quick else [])
    report = {
        "data": "the embedded corpus: wikigold + Broad Twitter Corpus + WNUT-16, PER/LOC/ORG, "
        "split 80/10/10 by seed 0 within each source",
        "model": model,
        "train_seconds": model["train_seconds"],
        "test": _evaluate(model_dir),
    }
    course = json.loads(_cli(
        ["tag", "--model", model_dir, "--format", "json", COURSE_SENTENCE], capture=True
    ))
    report["course_sentence"] = {"tags": course["tags"], "entities": course["entities"]}
    report["our_sentences"] = our_sentences(model_dir)
    token_lists = [list(s.tokens) for s in split_ner(0).test]
    if conll03 is not None:
        test = _plo_only(read_conll(conll03 / "test.txt"))
        _write_conll(test, work / "conll03_test_plo.conll")
        report["conll03_test_plo"] = _evaluate(model_dir, work / "conll03_test_plo.conll")
        token_lists = [list(s.tokens) for s in test]
    size = sum(f.stat().st_size for f in (model_dir / "export").rglob("*") if f.is_file())
    report["savedmodel_mib"] = round(size / 2**20, 1)
    export = model_dir / "export"
    report["sentences_per_second"] = throughput(export, token_lists)
    # `tag` and `evaluate` batch sentences of similar length together (apps.tagger.predict).
    report["sentences_per_second_by_length"] = throughput(export, sorted(token_lists, key=len))
    report["throughput_sentences"] = (
        "CoNLL-2003 test" if conll03 is not None else "the embedded corpus's test split"
    )
    return report


def conll03_model(work: Path, quick: bool, conll03: Path) -> dict:
    model_dir = work / "conll03"
    train, valid, test = (conll03 / name for name in CONLL03_FILES)
    model = _train(
        model_dir, ["--train", train, "--dev", valid, *(["--epochs", "1"] if quick else [])]
    )
    return {
        "data": f"CoNLL-2003 English from {conll03}: train, early stopping on valid, test",
        "model": model,
        "test": _evaluate(model_dir, test),
        "anchors": ANCHORS,
    }


def find_conll03(path: Path | None) -> tuple[Path | None, str | None]:
    """`(folder, None)` when the three CoNLL-2003 files are there, else `(None, why not)`."""
    folder = Path(path) if path is not None else CONLL03
    missing = [name for name in CONLL03_FILES if not (folder / name).is_file()]
    if missing:
        return None, f"CoNLL-2003 skipped: no {', '.join(missing)} in {folder}"
    return folder, None


def run(quick: bool = False, conll03: Path | None = None) -> dict:
    folder, skipped = find_conll03(conll03)
    if skipped:
        print(skipped, flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-tagger-"))
    report = {"benchmark": "tagger", "quick": quick, "targets": TARGETS}
    report.update(default_model(work, quick, folder))
    if folder is not None:
        report["conll03"] = conll03_model(work, quick, folder)
    else:
        report["conll03_skipped"] = skipped
    return report


def _table(scores: dict, indent: str = "  ") -> list[str]:
    lines = [f"{indent}{'':14} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
    total = sum(row["support"] for row in scores["per_type"].values())
    rows = [("overall", {**scores, "support": total}), *scores["per_type"].items()]
    for source, row in scores.get("per_source", {}).items():
        rows.append((f"[{source}]", {**row, "support": sum(
            r["support"] for r in row["per_type"].values()
        )}))
    for name, row in rows:
        lines.append(f"{indent}{name:<14} {row['precision']:9.4f} {row['recall']:9.4f} "
                     f"{row['f1']:9.4f} {row['support']:8d}")
    return lines


def _head(model: dict) -> str:
    return (f"  {model['cell']} x{model['layers']}, n_a={model['units']}, vectors "
            f"{model['vectors']}, decoder {model['decoder']}; best dev F1 {model['dev_f1']} at "
            f"epoch {model['best_epoch']} of at most {model['max_epochs']}; training "
            f"{model['train_seconds']} s")


def print_table(report: dict) -> None:
    print(f"tagger, default model: {report['data']}")
    print(_head(report["model"]) + f" (target ≤ {TARGETS['default_train_seconds']:.0f} s)")
    print("  its test split:")
    print("\n".join(_table(report["test"])))
    if "conll03_test_plo" in report:
        print(f"  CoNLL-2003 test, PER/LOC/ORG only: F1 {report['conll03_test_plo']['f1']:.4f} "
              f"(target ≥ {TARGETS['default_on_conll03_plo_f1']})")
        print("\n".join(_table(report["conll03_test_plo"])))
    print(f"  the course's sentence: {' '.join(report['course_sentence']['tags'])}")
    ours = report["our_sentences"]
    print(f"  our own sentences ({OUR_SENTENCES.name}): F1 as written "
          f"{ours['as written']['f1']:.4f}; " + ", ".join(
              f"{name} {ours[name]['f1']:.4f}" for name in ours if name != "as written"
          ))
    print("\n".join(_table(ours["as written"])))
    print(f"  SavedModel {report['savedmodel_mib']} MiB; tag signature at batch "
          f"{THROUGHPUT_BATCH}: {report['sentences_per_second']} sentences/s in file order, "
          f"{report['sentences_per_second_by_length']} sorted by length "
          f"({report['throughput_sentences']}; target ≥ {TARGETS['sentences_per_second']:.0f})")
    if "conll03" not in report:
        print(report["conll03_skipped"])
        return
    conll = report["conll03"]
    print(f"tagger on {conll['data']}")
    print(_head(conll["model"]) + f" (target ≤ {TARGETS['conll03_train_seconds']:.0f} s)")
    print("\n".join(_table(conll["test"])))
    print(f"  target: test F1 ≥ {TARGETS['conll03_f1']}; published: " + "; ".join(
        f"{name} {f1}" for name, f1 in conll["anchors"].items()
    ))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 epoch each: a smoke run")
    parser.add_argument(
        "--conll03", type=Path, metavar="DIR",
        help=f"folder with CoNLL-2003's {', '.join(CONLL03_FILES)} (default: {CONLL03})",
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("tagger.json"))
    args = parser.parse_args(argv)
    report = run(quick=args.quick, conll03=args.conll03)
    print_table(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
