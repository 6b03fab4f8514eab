import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.apps.dinos.conftest import run_cli

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dinos_bad")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blank.txt").write_text("  \n\n \n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("tyrannosaurus\nélan\n".encode("latin-1"))
    (folder / "one.txt").write_text("Zby\nzby\n", encoding="utf-8")
    (folder / "long_line.txt").write_text("rex\n" + "a" * 20_000 + "\n", encoding="utf-8")
    return folder


TRAIN_ERRORS = {
    "missing data file": (["--data", "{bad}/missing.txt"], "missing.txt: no such file"),
    "empty data file": (["--data", "{bad}/empty.txt"], "empty.txt: empty file"),
    "blank data file": (["--data", "{bad}/blank.txt"], "blank.txt: empty file"),
    "non-UTF-8 data file": (["--data", "{bad}/latin1.txt"], "latin1.txt: not UTF-8"),
    "data is a folder": (["--data", "{bad}"], "is a directory"),
    "a single name": (["--data", "{bad}/one.txt"], "one.txt: need at least 2 distinct names"),
    "text shorter than a window": (
        ["--text", "{bad}/one.txt", "--window", "40"],
        "need at least 2 windows of 40 characters",
    ),
    "missing text file": (["--text", "{bad}/missing.txt"], "missing.txt: no such file"),
    "data and text": (["--data", "a", "--text", "b"], "not allowed with argument"),
    "window without text": (["--window", "10"], "--window"),
    "units 0": (["--units", "0"], "--units: expected an integer from 1 to 1024"),
    "units huge": (["--units", "100000000"], "--units: expected an integer from 1 to 1024"),
    "layers 9": (["--layers", "9"], "--layers: expected an integer from 1 to 8"),
    "epochs beyond the range": (["--epochs", "1000000000"], "--epochs: expected an integer"),
    "batch size huge": (["--batch-size", "99999"], "--batch-size: expected an integer from 1"),
    "window 1": (["--text", "x", "--window", "1"], "--window: expected an integer from 2"),
    "clip value huge": (["--clip-value", "1e300"], "--clip-value: expected a number from"),
    "names file with a 20,000-character line": (
        ["--data", "{bad}/long_line.txt"], "long_line.txt, line 2: 20,000 characters"
    ),
    "layers 0": (["--layers", "0"], "--layers"),
    "epochs 0": (["--epochs", "0"], "--epochs"),
    "batch size -3": (["--batch-size", "-3"], "--batch-size"),
    "window 0": (["--text", "x", "--window", "0"], "--window"),
    "clip value -1": (["--clip-value", "-1"], "--clip-value: expected a number from 1e-06"),
    "clip norm nan": (["--clip-norm", "nan"], "--clip-norm"),
    "both clippings": (["--clip-value", "1", "--clip-norm", "1"], "not allowed with argument"),
    "unknown cell": (["--cell", "transformer"], "--cell: invalid choice"),
    "unknown size": (["--size", "huge"], "--size: invalid choice"),
    "unknown built-in list": (["--data", "babynames"], "babynames: no such file, and not a"),
    "patience 0": (["--patience", "0"], "--patience"),
    "unknown strategy": (["--distribute", "tpu"], "--distribute: invalid choice"),
}


@pytest.mark.parametrize("case", sorted(TRAIN_ERRORS))
def test_bad_train_inputs_give_one_line_and_exit_2(case, bad_files, capsys, tmp_path):
    args, message = TRAIN_ERRORS[case]
    argv = ["train", *(a.format(bad=bad_files) for a in args), "--out", tmp_path / "out"]
    status, out, err = run_cli(argv, capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert not (tmp_path / "out" / "model.keras").exists()


USE_ERRORS = {
    "temperature -1": (["sample", "--temperature", "-1"], "--temperature"),
    "temperature 1e9": (["sample", "--temperature", "1e9"], "--temperature: expected a number"),
    "num beyond the range": (["sample", "--num", "2147483648"], "--num: expected an integer"),
    "novel num beyond what is kept": (
        ["sample", "--num", "200000", "--novel"], "--novel: at most 100,000 names"
    ),
    "max length huge": (["sample", "--max-length", "5000"], "--max-length: expected"),
    "score an empty name": (["score", ""], "'' is not a name"),
    "score a blank name": (["score", "rex", "  "], "is not a name (empty or only spaces)"),
    "score a name of 5,000 characters": (["score", "a" * 5000], "a name of 5,000 characters"),
    "num 0": (["sample", "--num", "0"], "--num"),
    "max length 0": (["sample", "--max-length", "0"], "--max-length"),
    "negative seed": (["sample", "--seed", "-1"], "--seed"),
    "seed beyond int32": (["sample", "--seed", str(2**31)], "--seed"),
    "missing model folder": (["sample", "--model", "{missing}"], "no trained model here"),
    "score without a model": (["score", "rex", "--model", "{missing}"], "no trained model here"),
    "unknown character": (["score", "rex", "t-rex"], "'t-rex': character '-'"),
    "unknown prefix character": (["sample", "--prefix", "t#"], "'#'"),
    "prefix as long as the maximum": (
        ["sample", "--prefix", "saurus", "--max-length", "6"],
        "--max-length",
    ),
    "prompt for a names model": (["sample", "--prompt", "once"], "--prompt"),
    "score without names": (["score"], "NAME"),
}


@pytest.mark.parametrize("case", sorted(USE_ERRORS))
def test_bad_sample_and_score_inputs_give_one_line_and_exit_2(case, trained, capsys, tmp_path):
    args, message = USE_ERRORS[case]
    argv = [a.format(missing=tmp_path / "nothing") for a in args]
    if "--model" not in argv and argv != ["score"]:
        argv += ["--model", trained.out]
    status, out, err = run_cli(argv, capsys)
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert out == ""


def test_a_process_with_a_bad_flag_prints_one_line_and_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "apps.dinos", "score", "rex", "--model", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if "apps.dinos" in line]
    assert len(lines) == 1 and "no trained model here" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_train_sample_and_score_from_the_command_line(names_file, capsys, tmp_path):
    out = tmp_path / "model"
    argv = ["train", "--data", names_file, "--epochs", "1", "--units", "8", "--out", out]
    status, stdout, _ = run_cli(argv, capsys)
    assert status == 0
    for name in ("model.keras", "vocab.json", "config.json", "names.txt", "export/1/saved_model.pb",
                 "manifest.json"):
        assert (out / name).exists(), name

    sample = ["sample", "--model", out, "--num", "6", "--seed", "11", "--max-length", "12"]
    status, first, _ = run_cli(sample, capsys)
    assert status == 0
    names = first.splitlines()
    assert len(names) == 6 and all(len(name) <= 12 for name in names)
    assert run_cli(sample, capsys)[1] == first

    status, stdout, _ = run_cli(["score", "Rex", "saurus", "--model", out, "--json"], capsys)
    assert status == 0
    rows = json.loads(stdout)
    assert [row["name"] for row in rows] == ["rex", "saurus"]
    for row in rows:
        assert set(row) == {"name", "log_prob", "perplexity"}
        assert row["log_prob"] < 0
        assert row["perplexity"] == pytest.approx(
            math.exp(-row["log_prob"] / (len(row["name"]) + 1)), rel=1e-9
        )


@pytest.mark.slow
def test_a_text_model_continues_a_prompt_from_the_command_line(trained_text, capsys):
    prompt = "The river ran low. " * 5
    argv = ["sample", "--model", trained_text.out, "--prompt", prompt, "--length", "30"]
    status, stdout, _ = run_cli([*argv, "--seed", "2"], capsys)
    assert status == 0
    assert stdout.startswith(prompt.lower())
    assert len(stdout) == len(prompt) + 30 + 1  # print's own line end
    status, _, err = run_cli([*argv, "--novel"], capsys)
    assert status == 2 and "--novel" in err


@pytest.mark.slow
def test_the_built_in_baby_names_train_sample_and_score(capsys, tmp_path):
    out = tmp_path / "names"
    argv = ["train", "--data", "names", "--epochs", "1", "--units", "8", "--batch-size", "1024"]
    status, stdout, _ = run_cli([*argv, "--out", out], capsys)
    assert status == 0
    assert "size large:" in stdout  # 29,494 names: the size rule picks the large preset
    config = json.loads((out / "config.json").read_text())
    assert (config["data"], config["size"], config["units"]) == ("names", "large", 8)
    assert len((out / "names.txt").read_text().splitlines()) == 29_494

    status, sampled, _ = run_cli(["sample", "--model", out, "--num", "5", "--seed", "3"], capsys)
    assert status == 0 and len(sampled.splitlines()) == 5
    status, scored, _ = run_cli(["score", "emma", "zzzzq", "--model", out, "--json"], capsys)
    assert status == 0
    emma, zzzzq = json.loads(scored)
    assert emma["log_prob"] > zzzzq["log_prob"]  # even one epoch knows a common name
