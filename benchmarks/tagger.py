"""What a user of the entity tagger compares: quality per type over seeds, and speed from Python
and from the shell.

1. The default model, trained through the real command line on the embedded corpus (wikigold,
   Broad Twitter Corpus, the team's sentences; PER, LOC, ORG) once per seed (`--seeds`, 3 by
   default), each timed; for each seed, per-type F1 on: its held-out test split (per source too);
   CoNLL-2003 test with `--types PER,LOC,ORG` (news, a domain it never saw), when a copy is here;
   `benchmarks/data/our_sentences.conll` (32 sentences we wrote, never trained on or used to
   choose a setting) as written and recased; every `--data FILE` given (with `--types`/`--map`).
   Each figure is reported as mean, standard deviation and range over the seeds. Also the course's
   sentence, and the sentences of issue #19's reported mistakes, as tagged.
2. Speed, with the first seed's model: the time from starting `python -m apps.tagger tag "…"` to
   its output (cold start, `--repeats` runs), `Tagger.load` against the Keras model's load,
   sentences/s through the API (`Tagger.tag_tokens` and `Tagger.pipe`) and through the command
   line (`tag --tokenized` fed a file), and through the SavedModel's `tag` signature at batch 256;
   the model folder's size.
3. CoNLL-2003 trained and tested, when a copy is here: trained with the defaults on train, early
   stopping on valid, once per `--conll03-seeds`; test F1 per type, mean and spread.

CoNLL-2003 is under the Reuters research licence: it is read from where it lies (by default
`../shared/data/ner/conll2003/` beside the repository) and never copied; the parts that need it
are skipped, saying why, when it is absent.

    python -m benchmarks.tagger                  # 1, 2 and 3 (seeds 0,1,2 and 0); tagger.json
    python -m benchmarks.tagger --parts conll03 --conll03-seeds 0,1,2
    python -m benchmarks.tagger --parts speed --model saved_models/tagger
    python -m benchmarks.tagger --data my.conll --map corporation=ORG --types PER,LOC,ORG
    python -m benchmarks.tagger --quick                    # 1 epoch, one seed: a smoke run
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONLL03 = ROOT.parent / "shared" / "data" / "ner" / "conll2003"
CONLL03_FILES = ("train.txt", "valid.txt", "test.txt")
COURSE_SENTENCE = "Harry Potter and Hermione Granger invented a new spell"
# The mistakes issue #19 reported; none of these names is in the training data.
PROBES = (
    "Elon Musk said Tesla would build a new factory.",
    "The Red Cross sent nurses to the flooded towns.",
    "Xi Jinping met the French president in Beijing.",
)
OUR_SENTENCES = Path(__file__).with_name("data") / "our_sentences.conll"
PLO = ("PER", "LOC", "ORG")
TARGETS = {
    "default_conll03_plo_f1 (spaCy en_core_web_md 3.8)": 0.615,
    "default_conll03_org_f1": 0.55,
    "default_our_sentences_f1": 0.88,
    "conll03_f1": 0.89,
}
ANCHORS = {
    "Lample et al. 2016 (BiLSTM-CRF, pretrained vectors)": 0.9094,
    "Ma and Hovy 2016 (BiLSTM-CNN-CRF, GloVe 100-d)": 0.9121,
}
THROUGHPUT_BATCH = 256
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def _cli(arguments, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "apps.tagger", *map(str, arguments)], cwd=ROOT, env=ENV,
        check=True, input=stdin, capture_output=True, text=True,
    )


def spread(values) -> dict:
    """Mean, sample standard deviation and range of a list of figures."""
    values = [float(v) for v in values]
    return {
        "mean": round(statistics.fmean(values), 4),
        "std": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        "min": round(min(values), 4), "max": round(max(values), 4), "n": len(values),
    }


def _f1s(scores: dict) -> dict:
    """`{"overall": f1, type: f1, ...}` of `apps.tagger.evaluation.score`'s result."""
    return {"overall": scores["f1"], **{t: row["f1"] for t, row in scores["per_type"].items()}}


def _train(model_dir: Path, arguments) -> dict:
    start = time.perf_counter()
    _cli(["train", "--out", model_dir, *arguments])
    seconds = time.perf_counter() - start
    facts = json.loads((model_dir / "facts.json").read_text())
    size = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file())
    return {"train_seconds": round(seconds, 1), "best_epoch": facts.get("best_epoch"),
            "dev_f1": facts.get("best_dev_f1"), "folder_mib": round(size / 2**20, 1),
            "folder": sorted(p.name for p in model_dir.iterdir())}


def score_seed(model_dir: Path, conll03, extra) -> dict:
    """Per-type F1 of one trained default model on every evaluation set."""
    from apps.tagger import Tagger
    from apps.tagger.evaluation import score
    from datasets.conll import read_conll
    from datasets.ner import CASINGS, recase, split_ner

    tagger = Tagger.load(model_dir)
    result = {"test": score(tagger, split_ner(tagger.config.seed).test)}
    ours = read_conll(OUR_SENTENCES)
    result["our_sentences"] = score(tagger, ours)
    for name, case in CASINGS.items():
        result[f"our_sentences_{name}"] = score(tagger, [recase(s, case) for s in ours])
    if conll03 is not None:
        result["conll03_test_plo"] = score(tagger, read_conll(conll03 / "test.txt"), types=PLO)
    for path, types, mapping in extra:
        result[f"data:{path}"] = score(tagger, read_conll(path), types=types, mapping=mapping)
    result["course_sentence"] = [t for t in tagger.tag_tokens([COURSE_SENTENCE.split()])[0].tags]
    result["probes"] = [
        [{"text": e.text, "type": e.type, "score": round(e.score, 3)} for e in entities]
        for entities in tagger.pipe(PROBES)
    ]
    return result


def default_models(work: Path, seeds, quick, conll03, extra) -> dict:
    runs = {}
    for seed in seeds:
        model_dir = work / f"default-{seed}"
        print(f"training the default model, seed {seed}", file=sys.stderr, flush=True)
        trained = _train(model_dir, ["--seed", seed, *(["--epochs", "1"] if quick else [])])
        runs[str(seed)] = {"model": trained, **score_seed(model_dir, conll03, extra)}
    sets = [k for k, v in runs[str(seeds[0])].items() if isinstance(v, dict) and "f1" in v]
    summary = {
        name: {
            key: spread([_f1s(runs[str(s)][name]).get(key, 0.0) for s in seeds])
            for key in _f1s(runs[str(seeds[0])][name])
        }
        for name in sets
    }
    summary["train_seconds"] = spread([runs[str(s)]["model"]["train_seconds"] for s in seeds])
    return {"seeds": list(seeds), "runs": runs, "summary": summary}


def _timed(command, stdin=None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, input=stdin, capture_output=True,
                   text=True)
    return time.perf_counter() - start


def _python(code: str) -> list:
    return [sys.executable, "-c", code]


def speed(model_dir: Path, conll03, repeats: int) -> dict:
    from apps.tagger import Tagger
    from datasets.conll import read_conll
    from datasets.ner import split_ner

    sentences = read_conll(conll03 / "test.txt") if conll03 else split_ner(0).test
    token_lists = [list(s.tokens) for s in sentences]
    texts = [" ".join(tokens) for tokens in token_lists]
    one = ["-m", "apps.tagger", "tag", "--model", model_dir, "Ada Lovelace met Charles Babbage."]
    report = {"sentences": "CoNLL-2003 test" if conll03 else "the embedded test split",
              "n_sentences": len(token_lists)}
    report["cold_start_seconds"] = spread(
        [_timed([sys.executable, *map(str, one)]) for _ in range(repeats)]
    )
    report["import_tensorflow_seconds"] = spread(
        [_timed(_python("import tensorflow")) for _ in range(repeats)]
    )
    load = (f"import time; t = time.perf_counter(); from apps.tagger import Tagger; "
            f"Tagger.load({str(model_dir)!r})(\"Ada Lovelace met Charles Babbage.\"); "
            "print(time.perf_counter() - t)")
    keras_load = (f"import time; t = time.perf_counter(); from apps.tagger.export import "
                  f"load_tagger; from apps.tagger.predict import predict_tags; s, _ = "
                  f"load_tagger({str(model_dir)!r}); predict_tags(s, [['Ada', 'Lovelace']]); "
                  "print(time.perf_counter() - t)")
    for name, code in (("savedmodel_load_and_tag_seconds", load),
                       ("keras_load_and_tag_seconds", keras_load)):
        report[name] = spread([
            float(subprocess.run(_python(code), cwd=ROOT, env=ENV, check=True,
                                 capture_output=True, text=True).stdout.split()[-1])
            for _ in range(repeats)
        ])
    tagger = Tagger.load(model_dir)
    tagger.tag_tokens(token_lists[:64])
    for name, call in (("api_tag_tokens", lambda: tagger.tag_tokens(token_lists, 256)),
                       ("api_pipe", lambda: sum(1 for _ in tagger.pipe(texts, 256)))):
        rates = []
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            rates.append(len(token_lists) / (time.perf_counter() - start))
        report[f"{name}_sentences_per_second"] = spread(rates)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(texts) + "\n")
    command = [sys.executable, "-m", "apps.tagger", "tag", "--model", str(model_dir),
               "--tokenized", "--batch-size", "256", "--file", handle.name]
    report["cli_sentences_per_second"] = spread(
        [len(texts) / _timed(command) for _ in range(repeats)]
    )
    Path(handle.name).unlink()
    report["savedmodel_signature_sentences_per_second"] = throughput(
        tagger, sorted(token_lists, key=len), repeats
    )
    return report


def throughput(tagger, token_lists, repeats) -> dict:
    """Sentences/s through the SavedModel's `scores` call alone, batch 256, sorted by length."""
    from apps.tagger.tagger import _pad

    batches = [_pad(token_lists[i : i + THROUGHPUT_BATCH])
               for i in range(0, len(token_lists), THROUGHPUT_BATCH)]
    tagger._model(batches[0])
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for batch in batches:
            tagger._model(batch)
        rates.append(len(token_lists) / (time.perf_counter() - start))
    return spread(rates)


def conll03_models(work: Path, seeds, quick, conll03: Path) -> dict:
    from apps.tagger import Tagger
    from apps.tagger.evaluation import score
    from datasets.conll import read_conll

    train, valid, test = (conll03 / name for name in CONLL03_FILES)
    runs = {}
    for seed in seeds:
        model_dir = work / f"conll03-{seed}"
        print(f"training on CoNLL-2003, seed {seed}", file=sys.stderr, flush=True)
        trained = _train(model_dir, ["--train", train, "--dev", valid, "--seed", seed,
                                     *(["--epochs", "1"] if quick else [])])
        runs[str(seed)] = {"model": trained,
                           "test": score(Tagger.load(model_dir), read_conll(test))}
    first = _f1s(runs[str(seeds[0])]["test"])
    return {
        "seeds": list(seeds), "runs": runs, "anchors": ANCHORS,
        "summary": {key: spread([_f1s(runs[str(s)]["test"]).get(key, 0.0) for s in seeds])
                    for key in first},
        "train_seconds": spread([runs[str(s)]["model"]["train_seconds"] for s in seeds]),
    }


def find_conll03(path: Path | None) -> tuple[Path | None, str | None]:
    """`(folder, None)` when the three CoNLL-2003 files are there, else `(None, why not)`."""
    folder = Path(path) if path is not None else CONLL03
    missing = [name for name in CONLL03_FILES if not (folder / name).is_file()]
    if missing:
        return None, f"CoNLL-2003 skipped: no {', '.join(missing)} in {folder}"
    return folder, None


def run(quick=False, conll03=None, seeds=(0, 1, 2), conll03_seeds=(0,),
        parts=("default", "speed", "conll03"), extra=(), repeats=5, model=None) -> dict:
    """The parts asked for; `model`: time this model folder instead of training one."""
    folder, skipped = find_conll03(conll03)
    if skipped:
        print(skipped, flush=True)
    if quick:
        seeds, conll03_seeds, repeats = seeds[:1], conll03_seeds[:1], 2
    work = Path(tempfile.mkdtemp(prefix="bench-tagger-"))
    print(f"model folders in {work}", file=sys.stderr, flush=True)
    report = {"benchmark": "tagger", "quick": quick, "targets": TARGETS, "parts": list(parts)}
    if "default" in parts or ("speed" in parts and model is None):
        report["default"] = default_models(work, seeds, quick, folder, extra)
    if "speed" in parts:
        timed = Path(model) if model is not None else work / f"default-{seeds[0]}"
        report["speed"] = {"model": str(timed), **speed(timed, folder, repeats)}
    if "conll03" in parts:
        if folder is None:
            report["conll03_skipped"] = skipped
        else:
            report["conll03"] = conll03_models(work, conll03_seeds, quick, folder)
    return report


def _row(name, summary) -> str:
    cells = [f"{key} {s['mean']:.3f} ± {s['std']:.3f} ({s['min']:.3f}–{s['max']:.3f})"
             for key, s in summary.items()]
    return f"  {name}: " + "; ".join(cells)


def print_table(report: dict) -> None:
    if "default" in report:
        default = report["default"]
        seeds = default["seeds"]
        print(f"tagger, default model, seeds {', '.join(map(str, seeds))} (F1: mean ± std "
              "(min–max))")
        for name, summary in default["summary"].items():
            if name == "train_seconds":
                print(f"  training: {summary['mean']:.0f} s (min {summary['min']:.0f}, max "
                      f"{summary['max']:.0f})")
            else:
                print(_row(name, summary))
        first = default["runs"][str(seeds[0])]
        print(f"  the course's sentence (seed {seeds[0]}): {' '.join(first['course_sentence'])}")
        for text, entities in zip(PROBES, first["probes"], strict=False):
            print(f"  {text!r}: " + ", ".join(f"{e['text']}/{e['type']} {e['score']}"
                                              for e in entities))
        print(f"  model folder after training: {first['model']['folder_mib']} MiB "
              f"({', '.join(first['model']['folder'])})")
    if "speed" in report:
        speed_ = report["speed"]
        print(f"speed ({speed_['model']}; {speed_['sentences']}, "
              f"{speed_['n_sentences']} sentences):")
        for key, s in speed_.items():
            if isinstance(s, dict):
                print(f"  {key}: {s['mean']:.2f} ± {s['std']:.2f} ({s['min']:.2f}–{s['max']:.2f})")
    if "conll03" in report:
        conll = report["conll03"]
        print(f"tagger trained on CoNLL-2003 train, seeds {conll['seeds']}; test F1:")
        print(_row("test", conll["summary"]))
        print(f"  training: {conll['train_seconds']['mean']:.0f} s; published: " + "; ".join(
            f"{name} {f1}" for name, f1 in conll["anchors"].items()))
    elif "conll03_skipped" in report:
        print(report["conll03_skipped"])


def _numbers(text):
    return tuple(int(part) for part in text.split(","))


def main(argv=None):
    from apps.tagger.evaluation import parse_mapping, parse_types

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 epoch, one seed: a smoke run")
    parser.add_argument("--conll03", type=Path, metavar="DIR",
                        help=f"folder with CoNLL-2003's {', '.join(CONLL03_FILES)} "
                        f"(default: {CONLL03})")
    parser.add_argument("--seeds", type=_numbers, default=(0, 1, 2), metavar="S,S",
                        help="seeds of the default model")
    parser.add_argument("--conll03-seeds", type=_numbers, default=(0,), metavar="S,S")
    parser.add_argument("--parts", default="default,speed,conll03",
                        help="some of default, speed, conll03")
    parser.add_argument("--data", type=Path, action="append", default=[], metavar="FILE",
                        help="further CoNLL files to score the default models on")
    parser.add_argument("--types", help="with --data: score only these types")
    parser.add_argument("--map", help="with --data: rename the file's types, e.g. company=ORG")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each speed figure")
    parser.add_argument("--model", type=Path, metavar="DIR",
                        help="speed: time this model folder instead of the first seed's")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("tagger.json"))
    args = parser.parse_args(argv)
    extra = [(str(path), parse_types(args.types), parse_mapping(args.map)) for path in args.data]
    report = run(quick=args.quick, conll03=args.conll03, seeds=args.seeds,
                 conll03_seeds=args.conll03_seeds, parts=tuple(args.parts.split(",")),
                 extra=extra, repeats=args.repeats, model=args.model)
    print_table(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
