"""Issue #20's jazz cases through the real command: outputs that cannot be written, limits that
keep a run short and small, and a run that leaves the previous solo whole when it fails."""

import pytest

from tests.reliability.helpers import (
    app_command,
    assert_one_line_error,
    peak_rss,
    run,
    run_app,
)

BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 F7 C7 Bb7 F7 C7"


def generate(jazz_model, *argv):
    return run_app("jazz", "generate", "--model", jazz_model, "--chords", BLUES, *argv)


def test_an_out_that_is_a_folder_or_inside_a_file_is_one_line_and_writes_nothing(
        jazz_model, tmp_path):
    folder = tmp_path / "solo.mid"
    folder.mkdir()
    assert_one_line_error(generate(jazz_model, "--out", folder), "--out", "is a folder",
                          status=2)
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    result = generate(jazz_model, "--out", notes / "solo.mid")
    assert_one_line_error(result, "--out", "is a file, not a folder", status=2)
    plot = tmp_path / "roll.png"
    plot.mkdir()
    result = generate(jazz_model, "--out", tmp_path / "new.mid", "--plot", plot)
    assert_one_line_error(result, "--plot", "is a folder", status=2)
    assert not (tmp_path / "new.mid").exists() and notes.read_text() == "mine"


def test_a_failed_generate_leaves_the_previous_solo_whole(jazz_model, tmp_path):
    out = tmp_path / "solo.mid"
    assert generate(jazz_model, "--out", out, "--seed", "1").returncode == 0
    before = out.read_bytes()
    assert_one_line_error(generate(jazz_model, "--out", out, "--style", "polka"), "--style")
    assert_one_line_error(generate(jazz_model, "--out", out, "--chords", "F7 H7"), "'H7'")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["solo.mid"]


@pytest.mark.parametrize(("argv", "fragment"), [
    (["generate", "--bars", "100000000"], "--bars"),
    (["generate", "--choruses", "100000000"], "--choruses"),
    (["generate", "--tempo", "1e12"], "--tempo"),
    (["generate", "--tempo", "3"], "--tempo"),
    (["generate", "--swing", "1e9"], "--swing"),
    (["train", "--tx", "100000"], "--tx"),
    (["train", "--units", "100000000"], "--units"),
])
def test_numbers_past_their_range_are_refused_at_once(argv, fragment):
    result = run(app_command("jazz", *argv), timeout=120)
    assert_one_line_error(result, fragment, status=2)
    assert result.seconds < 60


@pytest.mark.slow
def test_the_longest_solo_allowed_stays_small(jazz_model, tmp_path):
    argv = app_command("jazz", "generate", "--model", jazz_model, "--chords", BLUES,
                       "--bars", "512", "--out", tmp_path / "long.mid")
    result, peak = peak_rss(argv, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert peak < 3 * 2**30
    assert (tmp_path / "long.mid").stat().st_size > 10_000
