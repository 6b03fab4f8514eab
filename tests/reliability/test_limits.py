"""Limits: a huge request streams in bounded memory or is refused with one line; a pipe closed
early ends the command quietly; oversized input files are refused before they are read whole."""

import pytest

from tests.reliability.conftest import dinos_args
from tests.reliability.helpers import (
    GIB,
    app_command,
    assert_one_line_error,
    finish,
    group_rss,
    run_app,
    start,
)


@pytest.mark.slow
def test_sampling_two_billion_names_streams_in_bounded_memory_and_stops_quietly_at_head(
    dinos_model,
):
    argv = app_command("dinos", "sample", "--model", dinos_model, "--num", "2147483647",
                       "--seed", "1")
    # An address-space cap well above what streaming needs: a sampler that built every name
    # first would fail against it instead of taking the machine's memory.
    process = start(argv, memory_limit=8 * GIB)
    peak, lines = 0, 0
    for line in process.stdout:
        assert line.strip(), "an empty name"
        lines += 1
        if lines % 5000 == 0:
            peak = max(peak, group_rss(process.pid))
        if lines == 60_000:
            break
    process.stdout.close()  # as `| head` does
    result = finish(process)
    assert lines == 60_000
    assert result.returncode == 0 and result.stderr == "", result.stderr[-3000:]
    assert 0 < peak < 1.5 * GIB, peak


def test_a_names_file_with_a_20_mb_line_is_refused(names_file, tmp_path):
    data = tmp_path / "one_line.txt"
    data.write_text("rex\n" + "a" * 20_000_000 + "\n", encoding="utf-8")
    argv = ["train", *dinos_args(names_file), "--data", data, "--out", tmp_path / "m"]
    result = run_app("dinos", *argv)
    assert_one_line_error(result, "one_line.txt, line 2", "20,000,000 characters", status=2)


def test_an_endless_file_is_refused_after_a_bounded_read(tmp_path):
    argv = ["train", "--text", "/dev/zero", "--units", "8", "--out", tmp_path / "m"]
    result = run_app("dinos", *argv)
    assert_one_line_error(result, "/dev/zero: larger than 64 MiB", status=2)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--units", "100000000"], "--units: expected an integer from 1 to 1024"),
        (["train", "--epochs", "1000000000"], "--epochs: expected an integer from 1 to 1000"),
        (["sample", "--temperature", "1e300"], "--temperature: expected a number from 0 to 100"),
        (["score", ""], "'' is not a name"),
    ],
    ids=["units", "epochs", "temperature", "empty name"],
)
def test_values_out_of_range_are_one_line(argv, message, tmp_path):
    result = run_app("dinos", *argv, "--model" if argv[0] != "train" else "--out", tmp_path / "m")
    assert_one_line_error(result, message, status=2)
