"""Train a tiny model once, then generate with the band, read back, evaluate and export it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from music21 import converter

from apps.jazz.__main__ import main
from apps.jazz.band import read_back
from datasets.music import Meter, default_sources, parse_chart

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
METHENY = ROOT / ".." / "shared" / "data" / "original_metheny.mid"
BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 D7 Gm7 C7 F7 C7"
TINY = ["--epochs", "1", "--units", "8", "--tx", "12"]
WALTZ_CHART = "Fmaj7 | Gm7 C7 | Am7 D7:1 | Gm7"


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


def test_training_writes_the_model_folder_with_the_meter_in_the_facts(model_dir):
    for name in ("model.keras", "vocab.json", "config.json", "facts.json",
                 "export/1/saved_model.pb"):
        assert (model_dir / name).is_file(), name
    values = json.loads((model_dir / "vocab.json").read_text())["values"]
    assert values == sorted(values)
    facts = json.loads((model_dir / "facts.json").read_text())
    assert facts["meter"] == "4/4" and facts["bar_length"] == 4.0
    assert facts["progression"] and facts["progression_bars"] >= 1
    assert facts["swing"] == {"minor_blues_swung.abc": 2.0}  # read straight
    config = json.loads((model_dir / "config.json").read_text())
    assert "progression" not in config and "meter" not in config and config["Tx"] == 12


def test_the_solo_comes_first_with_piano_bass_and_drums_and_a_marker_per_chord(solo):
    score = converter.parse(solo, quantizePost=False).stripTies()
    assert [p.partName for p in score.parts] == ["Solo", "Piano", "Bass", "Drums"]
    notes = list(score.parts[0].flatten().notes)
    assert notes and all(n.isNote for n in notes)
    assert all(n.quarterLength > 0 for n in notes)
    for a, b in zip(notes, notes[1:], strict=False):
        assert a.offset + a.quarterLength <= b.offset + 1e-6
    assert max(n.offset + n.quarterLength for n in notes) <= 52.0  # 12 bars and the ending
    events = read_back(solo)
    assert events["time_signature"] == "4/4"
    assert events["markers"] == [(4.0 * i, c) for i, c in enumerate(BLUES.split() + ["F7"])]
    assert events["cues"] == [(0.0, "Chorus 1"), (48.0, "Ending")]
    drums = [t for t in events["tracks"] if t["name"] == "Drums"][0]["notes"]
    assert {n[3] for n in drums} == {10}


def test_the_ending_holds_the_first_chord_with_the_bass_on_its_root(solo):
    from datasets.music import parse_chord_symbol

    f7 = parse_chord_symbol("F7")
    tracks = {t["name"]: t["notes"] for t in read_back(solo)["tracks"]}
    last_solo, last_bass = tracks["Solo"][-1], tracks["Bass"][-1]
    assert last_solo[0] == 48.0 and last_solo[2] % 12 in f7.pitch_classes
    assert last_bass[0] == 48.0 and last_bass[2] % 12 == 5 and last_bass[1] > 50.0
    held = {n[2] % 12 for n in tracks["Piano"] if n[0] == 48.0}
    assert f7.guide_classes <= held <= f7.scale_classes  # A and Eb, with colours
    assert any(n[0] == 48.0 and n[2] == 49 for n in tracks["Drums"])  # a crash on it


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
    printed = run(["generate", "--model", model_dir, "--bars", 4, "--no-ending", "--out", out],
                  capsys)
    assert "4 bars of 4/4" in printed
    events = read_back(out)
    assert max(n[1] for t in events["tracks"] for n in t["notes"]) <= 16.0
    assert events["markers"] and events["markers"][0][0] == 0.0


def test_bars_and_counts_of_a_chart_and_another_meter(model_dir, tmp_path):
    out = tmp_path / "chart.mid"
    run(["generate", "--model", model_dir, "--chords", "Dm7 G7 | Cmaj7 | Fmaj7 Bb7:1 E7alt:1",
         "--time-signature", "3/4", "--no-ending", "--out", out])
    events = read_back(out)
    assert events["time_signature"] == "3/4"
    assert events["markers"] == [(0.0, "Dm7"), (2.0, "G7"), (3.0, "Cmaj7"), (6.0, "Fmaj7"),
                                 (7.0, "Bb7"), (8.0, "E7alt")]
    bass = [t for t in events["tracks"] if t["name"] == "Bass"][0]["notes"]
    assert [round(n[0], 6) for n in bass] == [float(b) for b in range(9)]


@pytest.mark.parametrize(("swing", "low", "high"), [("2", 0.62, 0.70), ("1", 0.5, 0.5)])
def test_swing_moves_the_offbeat_eighths(model_dir, tmp_path, swing, low, high):
    out = tmp_path / f"swing{swing}.mid"
    run(["generate", "--model", model_dir, "--chords", BLUES, "--swing", swing, "--seed", 3,
         "--out", out])
    drums = [t for t in read_back(out)["tracks"] if t["name"] == "Drums"][0]["notes"]
    ride = [n for n in drums if n[2] == 51]  # fills play triplets and 16ths as written
    offbeats = {round(n[0] % 1.0, 4) for n in ride if n[0] % 1.0 > 0.05}
    assert offbeats and all(low - 1e-3 <= p <= high + 1e-3 for p in offbeats)


def test_unaccompanied_writes_the_solo_alone(model_dir, tmp_path, capsys):
    out = tmp_path / "alone.mid"
    printed = run(["generate", "--model", model_dir, "--chords", BLUES, "--unaccompanied",
                   "--out", out], capsys)
    events = read_back(out)
    assert [t["name"] for t in events["tracks"]] == ["Solo"]
    assert len(events["markers"]) == 12 + 1 and "solo;" in printed  # the ending's chord too


def test_no_solo_writes_the_band_alone_a_minus_one_track(model_dir, tmp_path, capsys):
    out = tmp_path / "minus-one.mid"
    printed = run(["generate", "--model", model_dir, "--chords", BLUES, "--no-solo",
                   "--count-in", "--out", out], capsys)
    events = read_back(out)
    assert [t["name"] for t in events["tracks"]] == ["Piano", "Bass", "Drums"]
    assert "piano, bass and drums;" in printed
    assert events["cues"][:2] == [(0.0, "Count-in"), (4.0, "Chorus 1")]


def test_the_band_alone_over_typed_chords_needs_no_model(tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "apps.jazz", "generate", "--chords", BLUES, "--no-solo",
               "--style", "bossa", "--out", "band.mid"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    events = read_back(tmp_path / "band.mid")
    assert [t["name"] for t in events["tracks"]] == ["Piano", "Bass", "Drums"]
    assert events["time_signature"] == "4/4" and events["tempo"] == pytest.approx(132.0, abs=0.01)
    named = subprocess.run(command + ["--model", "never-trained"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert named.returncode == 2 and "never-trained" in named.stderr


def test_choruses_count_in_and_ending_as_a_practice_track(model_dir, tmp_path, capsys):
    out = tmp_path / "practice.mid"
    run(["generate", "--model", model_dir, "--chords", BLUES, "--choruses", 3, "--count-in",
         "--out", out], capsys)
    events = read_back(out)
    assert events["cues"] == [(0.0, "Count-in"), (4.0, "Chorus 1"), (52.0, "Chorus 2"),
                              (100.0, "Chorus 3"), (148.0, "Ending")]
    tracks = {t["name"]: t["notes"] for t in events["tracks"]}
    assert all(n[0] >= 4.0 for name in ("Solo", "Piano", "Bass") for n in tracks[name])
    assert sorted({n[0] for n in tracks["Drums"] if n[0] < 4.0}) == [0.0, 1.0, 2.0, 3.0]
    assert [m for _, m in events["markers"]] == BLUES.split() * 3 + ["F7"]
    assert tracks["Bass"][-1][2] % 12 == 5  # the root of F7, the chart's first chord
    report = json.loads(run(["evaluate", out], capsys))["musician"]
    assert [c["chorus"] for c in report["choruses"]] == [1, 2, 3]
    assert report["on_grid_share"] > 0.5 and report["phrases"]["count"] >= 3



def test_the_plot_is_a_png(solo):
    assert solo.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_prints_json_metrics_overlap_and_the_set_comparison(solo, capsys):
    abc = [s for s in default_sources() if s.endswith(".abc")]
    metrics = json.loads(run(["evaluate", solo, "--chords", BLUES, "--against", *abc], capsys))
    assert metrics["monophonic"] is True
    assert metrics["zero_length_notes"] == 0
    assert metrics["bars"] == 13 and metrics["meter"] == "4/4"  # 12 and the ending
    assert metrics["swing"] == pytest.approx(2.0)  # our own swing, read straight
    assert 0.0 <= metrics["chord_tone_ratio"] <= metrics["scale_tone_ratio"] <= 1.0
    assert abs(sum(metrics["note_length_histogram"].values()) - 1.0) < 0.01
    assert 0.0 <= metrics["stepwise_share"] <= 1.0
    assert 0.0 <= metrics["direction_change_share"] <= 1.0
    overlap = metrics["against"]
    assert 0.0 <= overlap["mean_overlap"] <= 1.0
    assert 0.0 <= overlap["seen_interval_pattern_ratio"] <= 1.0
    for key in ("set_comparison", "random_pitch_baseline"):
        sets = overlap[key]
        assert sets["samples"]["segment_bars"] == 2 and sets["samples"]["generated"] >= 2
        assert set(sets["features"]) == {"pitch_class_histogram", "inter_onset_interval",
                                         "note_length_transition", "pitch_range",
                                         "stepwise_share"}
        assert 0.0 <= sets["mean_overlap"] <= 1.0


def test_evaluate_reads_the_chords_from_the_markers(solo, capsys):
    typed = json.loads(run(["evaluate", solo, "--chords", BLUES], capsys))
    marked = json.loads(run(["evaluate", solo], capsys))
    assert marked["notes"] == typed["notes"]
    heard, charted = marked["musician"], typed["musician"]
    assert heard["swing"] == pytest.approx(2.0)  # read from the band's ride
    assert heard["on_grid_share"] == charted["on_grid_share"]
    assert heard["changes_with_a_note"] >= 1 and 0 <= heard["chord_tone_at_changes"] <= 1
    assert heard["choruses"][0]["chorus"] == 1 and heard["phrases"]["count"] >= 1


def test_a_waltz_model_writes_three_four_with_the_chart_on_its_bar_lines(tmp_path):
    waltz = [s for s in default_sources() if s.endswith("jazz_waltz_in_f.abc")]
    model = tmp_path / "waltz"
    run(["train", "--midi", *waltz, *TINY, "--out", model])
    assert json.loads((model / "facts.json").read_text())["meter"] == "3/4"
    out = tmp_path / "waltz.mid"
    run(["generate", "--model", model, "--chords", WALTZ_CHART, "--bars", 8, "--out", out])
    events = read_back(out)
    assert events["time_signature"] == "3/4"
    expected = [(o, c.figure) for o, c in parse_chart(WALTZ_CHART).changes(Meter(3, 4), 8)]
    assert events["markers"] == expected + [(24.0, "Fmaj7")]  # the ending: the first chord
    assert [o for o, _ in events["markers"]][:5] == [0.0, 3.0, 5.0, 6.0, 8.0]
    solo = events["tracks"][0]["notes"]
    assert max(n[1] for n in solo) <= 27.0 + 1e-6  # 8 bars and the ending bar


LOAD_SAVEDMODEL = """
import json, sys
import tensorflow as tf
sample = tf.saved_model.load(sys.argv[1]).signatures["sample"]
changes = {}
if "chord_offsets" in sample.structured_input_signature[1]:  # F7 for a bar, then Bb7
    changes = {"chord_offsets": tf.constant([0.0, 4.0]), "chord_roots": tf.constant([5, 10]),
               "chord_pitch_classes": tf.constant([[1.0 if p in (5, 9, 0, 3) else 0.0
                                                    for p in range(12)],
                                                   [1.0 if p in (10, 2, 5, 8) else 0.0
                                                    for p in range(12)]]),
               "chord_basses": tf.constant([5, 10]), "bar_length": tf.constant(4.0),
               "beat_length": tf.constant(1.0)}
out = sample(n_values=tf.constant(16), temperature=tf.constant(1.0), seed=tf.constant(7),
             **changes)
mine = [m for m in sys.modules if m.split(".")[0] in ("apps", "layers", "datasets")]
signatures = sorted(tf.saved_model.load(sys.argv[1]).signatures)
print(json.dumps({"values": [v.decode() for v in out["values"].numpy()], "mine": mine,
                  "inputs": sorted(sample.structured_input_signature[1]),
                  "signatures": signatures}))
"""


def test_savedmodel_samples_without_this_project(model_dir, tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_SAVEDMODEL, str(model_dir / "export" / "1")],
        cwd=tmp_path, env=env, check=True, capture_output=True, text=True, timeout=300,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    vocabulary = json.loads((model_dir / "vocab.json").read_text())["values"]
    scalars = ["n_values", "seed", "temperature"]
    chord_inputs = ["bar_length", "beat_length", "chord_basses", "chord_offsets",
                    "chord_pitch_classes", "chord_roots"]
    chord_input = json.loads((model_dir / "config.json").read_text())["chord_input"]
    assert answer["inputs"] == sorted(scalars + (chord_inputs if chord_input else []))
    assert answer["signatures"] == ["sample", "serving_default", "solo"]
    assert len(answer["values"]) == 16 and set(answer["values"]) <= set(vocabulary)
    assert answer["mine"] == []


def test_the_course_midi_trains_and_generates(tmp_path, capsys):
    if not METHENY.is_file():
        pytest.skip(f"test-only data not present: {METHENY}")
    out = tmp_path / "metheny"
    run(["train", "--midi", METHENY, *TINY, "--chord-input", "--transpose", "--out", out])
    solo = tmp_path / "metheny.mid"
    run(["generate", "--model", out, "--bars", 4, "--out", solo])
    config = json.loads((out / "config.json").read_text())
    facts = json.loads((out / "facts.json").read_text())
    assert config["chord_input"] is True and facts["progression"]
    notes = converter.parse(solo, quantizePost=False).parts[0].flatten().notes
    assert len(notes) > 0
