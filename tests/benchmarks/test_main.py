"""`python -m benchmarks`: which benchmarks run, with which options, and its usage errors."""

import subprocess
import sys

import pytest

import benchmarks.__main__ as bench


@pytest.fixture
def calls(monkeypatch, tmp_path):
    made = []

    def run_one(name, quick, options=""):
        made.append((name, options))
        return {"exit_code": 0, "seconds": 0.0, "peak_rss_mib": 0.0, "result": None}

    monkeypatch.setattr(bench, "run_one", run_one)
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results.json")
    return made


def test_conll03_folder_reaches_the_tagger_benchmark(calls, tmp_path):
    assert bench.main(["tagger", "--conll03", str(tmp_path)]) == 0
    assert calls == [("tagger", f", conll03={str(tmp_path.resolve())!r}")]
    assert f"--conll03 {tmp_path}" in (tmp_path / "results.json").read_text()


def test_without_conll03_the_tagger_looks_in_its_default_folder(calls):
    bench.main(["tagger"])
    assert calls == [("tagger", "")]


def test_a_missing_conll03_folder_is_a_one_line_usage_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "tagger", "--conll03", str(tmp_path / "nowhere")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "--conll03: no folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_report_prints_every_recorded_benchmark(capsys):
    from benchmarks import report

    report.main()
    printed = capsys.readouterr().out
    for name in ("cells", "dinos", "jazz", "tagger"):
        assert f"== {name} ==" in printed
