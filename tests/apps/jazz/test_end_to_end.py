"""Train a tiny model once, then generate, read back, evaluate and export it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from music21 import chord, converter

from apps.jazz.__main__ import main
from datasets.music import default_sources

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
METHENY = ROOT / ".." / "shared" / "data" / "original_metheny.mid"
BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 D7 Gm7 C7 F7 C7"
TINY = ["--epochs", "1", "--units", "8", "--tx", "12"]


def run(argv, capsys=None):
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in argv])
    assert exit_.value.code == 0
    return capsys.readouterr().out if capsys else None


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("jazz") / "model"
    abc = [s for s in default_sources() if s.endswith(".abc")]
    run(["train", "--midi", *abc, *TINY, "--out", out])
    return out


@pytest.fixture(scope="module")
def solo(model_dir):
    out = model_dir.parent / "solo.mid"
    run(["generate", "--model", model_dir, "--chords", BLUES, "--seed", 3, "--out", out,
         "--plot", out.with_suffix(".png")])
    return out


def test_training_writes_the_model_folder(model_dir):
    for name in ("model.keras", "vocab.json", "config.json", "facts.json", "export/saved_model.pb"):
        assert (model_dir / name).is_file(), name
    values = json.loads((model_dir / "vocab.json").read_text())["values"]
    assert values == sorted(values)
    facts = json.loads((model_dir / "facts.json").read_text())
    assert facts["bar_length"] == 4.0 and len(facts["progression"]) >= 1
    config = json.loads((model_dir / "config.json").read_text())
    assert "progression" not in config and config["Tx"] == 12


def test_solo_parses_back_monophonic_with_the_chords_after_it(solo):
    score = converter.parse(solo, quantizePost=False).stripTies()
    solo_part, chord_part = score.parts[0], score.parts[1]
    notes = list(solo_part.flatten().notes)
    assert notes and all(n.isNote for n in notes)
    assert all(n.quarterLength > 0 for n in notes)
    for a, b in zip(notes, notes[1:], strict=False):
        assert a.offset + a.quarterLength <= b.offset + 1e-6
    chords = list(chord_part.flatten().getElementsByClass(chord.Chord))
    assert len(chords) == 12 and all(c.quarterLength == 4.0 for c in chords)
    assert max(n.offset + n.quarterLength for n in notes) <= 48.0
    assert score.highestTime == 48.0


def test_same_seed_gives_the_same_bytes_in_another_process(model_dir, solo, tmp_path):
    again = tmp_path / "again.mid"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "99"}
    subprocess.run(
        [sys.executable, "-m", "apps.jazz", "generate", "--model", str(model_dir), "--chords",
         BLUES, "--seed", "3", "--out", str(again)],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )
    assert again.read_bytes() == solo.read_bytes()


def test_another_seed_gives_another_solo(model_dir, solo, tmp_path):
    other = tmp_path / "other.mid"
    run(["generate", "--model", model_dir, "--chords", BLUES, "--seed", 4, "--out", other])
    assert other.read_bytes() != solo.read_bytes()


def test_without_chords_the_training_progression_is_used(model_dir, tmp_path, capsys):
    out = tmp_path / "default.mid"
    printed = run(["generate", "--model", model_dir, "--bars", 4, "--out", out], capsys)
    assert "4 bars" in printed
    assert converter.parse(out, quantizePost=False).highestTime == 16.0


def test_temperature_0_takes_the_most_likely_values_whatever_the_seed(model_dir, tmp_path):
    solos = []
    for seed in (1, 2):
        out = tmp_path / f"greedy{seed}.mid"
        run(["generate", "--model", model_dir, "--chords", BLUES, "--temperature", 0,
             "--seed", seed, "--out", out])
        score = converter.parse(out, quantizePost=False).stripTies()
        solos.append([n.duration.quarterLength for n in score.parts[0].flatten().notes])
    assert solos[0] == solos[1]


def test_the_plot_is_a_png(solo):
    assert solo.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_prints_json_metrics_and_overlap(solo, capsys):
    abc = [s for s in default_sources() if s.endswith(".abc")]
    metrics = json.loads(run(["evaluate", solo, "--chords", BLUES, "--against", *abc], capsys))
    assert metrics["monophonic"] is True
    assert metrics["zero_length_notes"] == 0
    assert metrics["bars"] == 12
    assert 0.0 <= metrics["chord_tone_ratio"] <= metrics["scale_tone_ratio"] <= 1.0
    assert abs(sum(metrics["note_length_histogram"].values()) - 1.0) < 0.01
    overlap = metrics["against"]
    assert 0.0 <= overlap["mean_overlap"] <= 1.0
    assert 0.0 <= overlap["seen_interval_pattern_ratio"] <= 1.0


LOAD_SAVEDMODEL = """
import json, sys
import tensorflow as tf
sample = tf.saved_model.load(sys.argv[1]).signatures["sample"]
out = sample(n_values=tf.constant(16), temperature=tf.constant(1.0), seed=tf.constant(7))
mine = [m for m in sys.modules if m.split(".")[0] in ("apps", "layers", "datasets")]
print(json.dumps({"values": [v.decode() for v in out["values"].numpy()], "mine": mine,
                  "inputs": sorted(sample.structured_input_signature[1])}))
"""


def test_savedmodel_samples_without_this_project(model_dir, tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SAVEDMODEL, str(model_dir / "export")],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True, timeout=300,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    vocabulary = json.loads((model_dir / "vocab.json").read_text())["values"]
    assert answer["inputs"] == ["n_values", "seed", "temperature"]
    assert len(answer["values"]) == 16 and set(answer["values"]) <= set(vocabulary)
    assert answer["mine"] == []


def test_the_course_midi_trains_and_generates(tmp_path, capsys):
    if not METHENY.is_file():
        pytest.skip(f"test-only data not present: {METHENY}")
    out = tmp_path / "metheny"
    run(["train", "--midi", METHENY, *TINY, "--chord-input", "--out", out])
    solo = tmp_path / "metheny.mid"
    run(["generate", "--model", out, "--bars", 4, "--out", solo])
    config = json.loads((out / "config.json").read_text())
    facts = json.loads((out / "facts.json").read_text())
    assert config["chord_input"] is True and facts["progression"]
    notes = converter.parse(solo, quantizePost=False).parts[0].flatten().notes
    assert len(notes) > 0
