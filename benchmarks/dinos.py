"""Quality and speed of the character model on its defaults, on the dinosaurs and on names.txt.

1. Quality, on a seeded 90/10 split of the embedded names (seed 0): the default model trains on
   the 90 % (picking its best epoch on a tenth of it) and is scored on the held-out 10 %, as
   per-character perplexity (the end token counts as a character). The baseline is a character
   trigram with interpolated Kneser-Ney smoothing, fitted on the same 90 %. Target: ≥ 15 % lower
   perplexity than the trigram.
2. Samples: 1,000 names at temperature 1: the share that ends before 50 characters (target
   ≥ 95 %) and the share absent from the embedded list (target ≥ 80 %).
3. Default training through the real command line, timed end to end (imports and export
   included). Target: ≤ 2 minutes.
4. Sampling speed: 1,000 names through the compiled loop against the course's way — a Python
   loop, one name at a time, that calls the model once per character (target ratio ≥ 50×); and
   names per second from the SavedModel at a batch of 1,000 (target ≥ 10,000).
5. With --names, makemore's benchmark: names.txt (32,033 US baby names, 29,494 distinct). As
   makemore does, 1,000 of the 32,033 lines are held out at random (a seeded split, seed 0) and
   the model trains on the other lines (the app keeps each distinct name once; the size rule
   picks the large preset); the held-out names are scored in nats per character (end token
   included; natural log), beside makemore's default transformer (about 1.92 on its own random
   1,000) and a Kneser-Ney character trigram fitted on the same names. A name listed twice in
   names.txt (for girls and for boys) can fall on both sides of such a split, so the figure is
   also given for the held-out names absent from the training lines alone, which no model can
   have memorised. Targets: ≤ 1.92 nats (moonshot ≤ 1.88), training ≤ 15 minutes, SavedModel
   ≥ 10,000 names/s at a batch of 1,000.

Training throughput is reported for both lists as characters per second: the characters the
model learns to predict in its training part (end tokens included) times the epochs run, over
the seconds those epochs took (validation included).

    python -m benchmarks.dinos            # writes benchmarks/dinos.json
    python -m benchmarks.dinos --names    # and names.txt
    python -m benchmarks.dinos --quick    # 3 epochs (names: 1), fewer course-loop names
"""

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks import common

ROOT = Path(__file__).resolve().parents[1]
SPLIT_SEED = 0
NUM_SAMPLES = 1000
MAX_LENGTH = 50
TARGETS = {
    "improvement_over_trigram": 0.15,
    "ended_before_50_chars": 0.95,
    "novel": 0.80,
    "train_seconds": 120.0,
    "speedup_over_course_loop": 50.0,
    "savedmodel_names_per_second": 10_000.0,
}
NAMES_HELD_OUT = 1000
MAKEMORE_NATS = 1.92  # makemore's default transformer, on 1,000 held-out names of names.txt
NAMES_TARGETS = {
    "held_out_nats_per_char": 1.92,
    "train_seconds": 900.0,
    "savedmodel_names_per_second": 10_000.0,
}
NAMES_MOONSHOT = 1.88


class KneserNeyTrigram:
    """A character trigram language model with interpolated Kneser-Ney smoothing.

    Each name is padded as "^^name\\n"; the model gives P(c | a b) for every character c after
    the two before it. The trigram estimate is discounted by D3 and interpolated with a bigram
    estimate built from continuation counts (how many distinct left contexts a pair follows),
    which is in turn discounted by D2 and interpolated with a continuation unigram; add-one on
    that unigram leaves every character of the vocabulary some probability. D for each order is
    Ney's estimate n1 / (n1 + 2 n2) from the counts of counts.

    Reference: Chen and Goodman, "An Empirical Study of Smoothing Techniques for Language
    Modeling", 1999, section 2.7.
    """

    def __init__(self, names, vocabulary):
        self.vocabulary = set(vocabulary)
        self.trigrams = Counter()
        for name in names:
            padded = f"^^{name}\n"
            self.trigrams.update(padded[i - 2 : i + 1] for i in range(2, len(padded)))
        self.context2, self.followers2 = Counter(), Counter()
        for abc, count in self.trigrams.items():
            self.context2[abc[:2]] += count
            self.followers2[abc[:2]] += 1
        self.bigrams = Counter(abc[1:] for abc in self.trigrams)  # N1+(· b c)
        self.context1, self.followers1 = Counter(), Counter()
        for bc, count in self.bigrams.items():
            self.context1[bc[0]] += count
            self.followers1[bc[0]] += 1
        self.unigrams = Counter(bc[1] for bc in self.bigrams)  # N1+(· c)
        self.unigram_total = sum(self.unigrams.values())
        self.d3 = self._discount(self.trigrams)
        self.d2 = self._discount(self.bigrams)

    @staticmethod
    def _discount(counts):
        n1 = sum(1 for count in counts.values() if count == 1)
        n2 = sum(1 for count in counts.values() if count == 2)
        return n1 / (n1 + 2 * n2)

    def _p1(self, c):
        return (self.unigrams[c] + 1) / (self.unigram_total + len(self.vocabulary))

    def _p2(self, b, c):
        total = self.context1[b]
        if not total:
            return self._p1(c)
        seen = max(self.bigrams[b + c] - self.d2, 0) / total
        return seen + self.d2 * self.followers1[b] / total * self._p1(c)

    def probability(self, a, b, c):
        total = self.context2[a + b]
        if not total:
            return self._p2(b, c)
        seen = max(self.trigrams[a + b + c] - self.d3, 0) / total
        return seen + self.d3 * self.followers2[a + b] / total * self._p2(b, c)

    def log_prob(self, name):
        padded = f"^^{name}\n"
        return sum(
            math.log(self.probability(*padded[i - 2 : i + 1])) for i in range(2, len(padded))
        )


def nats_per_char(log_probs, names):
    """Mean negative natural-log probability per character of names, each with its end token."""
    return -sum(log_probs) / sum(len(name) + 1 for name in names)


def perplexity(log_probs, names):
    """Per-character perplexity of names, each followed by its end token."""
    return math.exp(nats_per_char(log_probs, names))


def epoch_clock():
    """A Keras callback whose `seconds` holds each epoch's wall time."""
    import keras

    class EpochClock(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    return EpochClock()


def training_chars_per_second(config, names, clock):
    """Characters learned per second of epochs: the training part's characters (end tokens
    included) times the epochs run, over the epochs' seconds."""
    from apps.common.split import seeded_split

    train, _ = seeded_split(names, config.validation_fraction, config.seed)
    chars = sum(len(name) + 1 for name in train)
    return chars * len(clock.seconds) / sum(clock.seconds)


def course_loop_sample(model, vocab, num, rng):
    """The course's way: one name at a time, one call of the model per character.

    The model is compiled once (any sequence length) and called on the name so far, as the
    course's Shakespeare generator calls `model.predict`; the next character is drawn in numpy.
    Compiling it makes this baseline faster than calling the Keras model eagerly (about 30 ms a
    call here), so the speed-up reported against it is conservative.
    """
    import tensorflow as tf

    from apps.dinos.data import OFFSET, START

    predict = tf.function(
        lambda x: model(x, training=False)[0, -1],
        input_signature=[tf.TensorSpec([1, None], tf.int32)],
    )
    names = []
    for _ in range(num):
        x, name = [START], []
        while len(name) < MAX_LENGTH:
            p = predict(tf.constant([x], tf.int32)).numpy().astype("float64")
            ix = int(rng.choice(len(p), p=p / p.sum()))
            if ix == vocab.end_id:
                break
            name.append(vocab.ix_to_char[ix])
            x.append(ix + OFFSET)
        names.append("".join(name))
    return names


def _best_seconds(function, repeats):
    function()  # warm up: tracing and first-call allocations
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _time_default_training(out):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "apps.dinos", "train", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def run(quick: bool = False, names: bool = False) -> dict:
    """The dinosaurs' figures; with `names`, names.txt's under the key "names" as well."""
    import tensorflow as tf

    from apps.common.split import seeded_split as split
    from apps.dinos.config import Config
    from apps.dinos.data import Vocabulary
    from apps.dinos.export import save_savedmodel
    from apps.dinos.sampling import CharModel
    from apps.dinos.train import train_and_evaluate
    from datasets.dinos import load_names

    dinosaurs = load_names()
    kept, held_out = split(dinosaurs, 0.1, SPLIT_SEED)
    trigram = KneserNeyTrigram(kept, Vocabulary.from_texts(dinosaurs).chars)
    trigram_ppl = perplexity([trigram.log_prob(name) for name in held_out], held_out)

    work = Path(tempfile.mkdtemp(prefix="bench-dinos-"))
    (work / "kept.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    config = Config(data=str(work / "kept.txt"), **({"epochs": 3} if quick else {}))
    clock = epoch_clock()
    start = time.perf_counter()
    run = train_and_evaluate(config, work / "model", verbose=0, callbacks=[clock])
    model, vocab, history = run.model, run.prepared.facts["vocab"], run.history
    fit_seconds = time.perf_counter() - start
    config = run.prepared.facts["config"]
    char_model = CharModel(model, vocab, config)
    log_probs = char_model.score(tf.constant(held_out))["log_prob"].numpy()
    model_ppl = perplexity(log_probs.tolist(), held_out)

    def compiled(num=NUM_SAMPLES, seed=0):
        return char_model.generate(
            tf.constant(num), tf.constant(1.0), tf.constant(seed),
            tf.zeros([0], tf.int32), tf.constant(MAX_LENGTH), tf.constant(True),
        )

    ids, lengths, ended = compiled()
    samples = [s.decode("utf-8") for s in char_model.to_strings(ids, lengths).numpy()]
    known = set(dinosaurs)

    compiled_seconds = _best_seconds(compiled, repeats=5)
    course_num = 50 if quick else NUM_SAMPLES
    start = time.perf_counter()
    course_loop_sample(model, vocab, course_num, np.random.default_rng(0))
    course_seconds = (time.perf_counter() - start) * NUM_SAMPLES / course_num

    save_savedmodel(char_model, work / "export")
    served = tf.saved_model.load(str(work / "export")).signatures["sample"]
    served_seconds = _best_seconds(
        lambda: served(num=tf.constant(NUM_SAMPLES), temperature=tf.constant(1.0),
                       seed=tf.constant(1)),
        repeats=5,
    )
    cli_seconds = None if quick else _time_default_training(work / "cli-model")

    result = {
        "benchmark": "dinos",
        "quick": quick,
        "config": config.to_dict(),
        "split": {"seed": SPLIT_SEED, "train_names": len(kept), "held_out_names": len(held_out)},
        "best_epoch": int(np.argmin(history.history["val_perplexity"])) + 1,
        "epochs_run": len(history.epoch),
        "held_out_perplexity": round(model_ppl, 4),
        "trigram_perplexity": round(trigram_ppl, 4),
        "improvement_over_trigram": round(1 - model_ppl / trigram_ppl, 4),
        "ended_before_50_chars": round(float(np.mean(ended.numpy())), 4),
        "novel": round(sum(s not in known for s in samples) / len(samples), 4),
        "mean_sample_length": round(float(np.mean([len(s) for s in samples])), 2),
        "example_samples": samples[:10],
        "fit_seconds_on_90_percent": round(fit_seconds, 1),
        "training_chars_per_second": round(training_chars_per_second(config, kept, clock)),
        "train_seconds": None if cli_seconds is None else round(cli_seconds, 1),
        "compiled_seconds_per_1000": round(compiled_seconds, 4),
        "course_loop_seconds_per_1000": round(course_seconds, 2),
        "course_loop_names_measured": course_num,
        "speedup_over_course_loop": round(course_seconds / compiled_seconds, 1),
        "savedmodel_names_per_second": round(NUM_SAMPLES / served_seconds),
        "targets": TARGETS,
    }
    result["meets_targets"] = {
        key: None if result[key] is None
        else (result[key] <= target if key == "train_seconds" else result[key] >= target)
        for key, target in TARGETS.items()
    }
    _print_table(result)
    if names:
        result["names"] = run_names(quick)
    return result


def print_table(result):
    """Both tables of a finished run (names.txt's when it was measured)."""
    _print_table(result)
    if "names" in result:
        _print_names_table(result["names"])


def run_names(quick=False):
    """makemore's benchmark on names.txt (see the module docstring, part 5)."""
    import tensorflow as tf

    from apps.common.model_folder import export_path
    from apps.common.split import seeded_split
    from apps.dinos.config import Config
    from apps.dinos.data import Vocabulary
    from apps.dinos.train import train_and_evaluate
    from datasets.dinos import load_names

    lines = load_names("names", distinct=False)
    kept, held_out = seeded_split(lines, NAMES_HELD_OUT / len(lines), SPLIT_SEED)
    trained_on = list(dict.fromkeys(kept))
    seen = set(kept)
    unseen = [name for name in held_out if name not in seen]
    trigram = KneserNeyTrigram(trained_on, Vocabulary.from_texts(lines).chars)
    trigram_log_probs = {name: trigram.log_prob(name) for name in set(held_out)}

    work = Path(tempfile.mkdtemp(prefix="bench-names-"))
    (work / "kept.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    config = Config(data=str(work / "kept.txt"), **({"epochs": 1} if quick else {}))
    clock = epoch_clock()
    start = time.perf_counter()
    run = train_and_evaluate(config, work / "model", verbose=0, callbacks=[clock])
    train_seconds = time.perf_counter() - start
    config, history = run.prepared.facts["config"], run.history

    served = tf.saved_model.load(str(export_path(work / "model"))).signatures
    log_probs = served["score"](names=tf.constant(held_out))["log_prob"].numpy().tolist()
    log_probs = dict(zip(held_out, log_probs, strict=True))

    def nats(scores, names):
        return nats_per_char([scores[name] for name in names], names)

    model_nats = nats(log_probs, held_out)

    def sample(seed=1):
        return served["sample"](
            num=tf.constant(NUM_SAMPLES), temperature=tf.constant(1.0), seed=tf.constant(seed)
        )["names"]

    samples = [name.decode("utf-8") for name in sample(seed=0).numpy()]
    served_seconds = _best_seconds(sample, repeats=5)
    known = set(lines)
    result = {
        "config": config.to_dict(),
        "split": {
            "seed": SPLIT_SEED, "train_lines": len(kept), "train_names": len(trained_on),
            "held_out_names": len(held_out), "held_out_unseen": len(unseen),
        },
        "epochs_run": len(history.epoch),
        "best_epoch": int(np.argmin(history.history["val_perplexity"])) + 1,
        "held_out_nats_per_char": round(model_nats, 4),
        "held_out_perplexity": round(math.exp(model_nats), 4),
        "makemore_transformer_nats_per_char": MAKEMORE_NATS,
        "trigram_nats_per_char": round(nats(trigram_log_probs, held_out), 4),
        "unseen_nats_per_char": round(nats(log_probs, unseen), 4),
        "trigram_unseen_nats_per_char": round(nats(trigram_log_probs, unseen), 4),
        "train_seconds": round(train_seconds, 1),
        "training_chars_per_second": round(training_chars_per_second(config, trained_on, clock)),
        "savedmodel_names_per_second": round(NUM_SAMPLES / served_seconds),
        "novel": round(sum(s not in known for s in samples) / len(samples), 4),
        "example_samples": samples[:10],
        "targets": {**NAMES_TARGETS, "moonshot_nats_per_char": NAMES_MOONSHOT},
    }
    result["meets_targets"] = {
        "held_out_nats_per_char": model_nats <= NAMES_TARGETS["held_out_nats_per_char"],
        "train_seconds": train_seconds <= NAMES_TARGETS["train_seconds"],
        "savedmodel_names_per_second": (
            result["savedmodel_names_per_second"] >= NAMES_TARGETS["savedmodel_names_per_second"]
        ),
        "moonshot_nats_per_char": model_nats <= NAMES_MOONSHOT,
    }
    _print_names_table(result)
    return result


def _print_table(result):
    rows = [
        ("held-out perplexity per character", result["held_out_perplexity"], ""),
        ("character trigram (Kneser-Ney)", result["trigram_perplexity"], ""),
        ("improvement over the trigram", result["improvement_over_trigram"], "≥ 0.15"),
        ("samples ending before 50 characters", result["ended_before_50_chars"], "≥ 0.95"),
        ("samples not in the embedded list", result["novel"], "≥ 0.80"),
        ("default training, command line (s)", result["train_seconds"], "≤ 120"),
        ("compiled loop, 1,000 names (s)", result["compiled_seconds_per_1000"], ""),
        ("course's loop, 1,000 names (s)", result["course_loop_seconds_per_1000"], ""),
        ("speed-up over the course's loop", result["speedup_over_course_loop"], "≥ 50"),
        ("SavedModel names per second", result["savedmodel_names_per_second"], "≥ 10,000"),
    ]
    print(f"{'dinos':40s} {'measured':>12s}  target")
    for label, value, target in rows:
        print(f"{label:40s} {'—' if value is None else value:>12}  {target}")


def _print_names_table(result):
    rows = [
        ("held-out nats per character", result["held_out_nats_per_char"], "≤ 1.92 (1.88)"),
        ("makemore's default transformer", result["makemore_transformer_nats_per_char"], ""),
        ("character trigram (Kneser-Ney)", result["trigram_nats_per_char"], ""),
        ("held-out names not in training: model", result["unseen_nats_per_char"], ""),
        ("held-out names not in training: trigram", result["trigram_unseen_nats_per_char"], ""),
        ("training, defaults (s)", result["train_seconds"], "≤ 900"),
        ("epochs run (best)", f"{result['epochs_run']} ({result['best_epoch']})", ""),
        ("training characters per second", result["training_chars_per_second"], ""),
        ("SavedModel names per second", result["savedmodel_names_per_second"], "≥ 10,000"),
        ("samples not in names.txt", result["novel"], ""),
    ]
    print(f"{'names.txt':40s} {'measured':>12s}  target")
    for label, value, target in rows:
        print(f"{label:40s} {value:>12}  {target}")


def main(argv=None):
    # `run` prints the dinosaurs' table as soon as it has it, before the long names.txt run.
    common.main(__doc__, run, _print_names_table_if_run, "dinos", argv,
                switches={"names": "names.txt as well (part 5)"})


def _print_names_table_if_run(result):
    if "names" in result:
        _print_names_table(result["names"])


if __name__ == "__main__":
    main()
