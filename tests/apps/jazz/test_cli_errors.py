"""Every user mistake is one line on stderr and exit status 2, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.jazz.__main__ import main
from tests.datasets.music_files import DRUMS, MELODY, midi_bytes

ROOT = Path(__file__).resolve().parents[3]

BAD_MIDI = {
    "not_midi.mid": b"MIDI? no, plain text",
    "truncated.mid": midi_bytes([MELODY])[:60],
    "no_notes.mid": midi_bytes([[]]),
    "drums_only.mid": midi_bytes([DRUMS]),
}


def run(argv, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    return exit_.value.code, capsys.readouterr().err


def assert_one_line(err: str, *fragments: str):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("python -m apps.jazz: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("name", sorted(BAD_MIDI))
@pytest.mark.parametrize("verb", ["train", "evaluate"])
def test_bad_midi_is_one_line_and_exit_2(tmp_path, capsys, name, verb):
    path = tmp_path / name
    path.write_bytes(BAD_MIDI[name])
    argv = ["train", "--midi", str(path), "--out", str(tmp_path / "m")]
    if verb == "evaluate":
        argv = ["evaluate", str(path)]
    code, err = run(argv, capsys)
    assert code == 2
    assert_one_line(err, name)
    assert not (tmp_path / "m" / "model.keras").exists()


def test_missing_file_is_one_line_and_exit_2(tmp_path, capsys):
    code, err = run(["train", "--midi", str(tmp_path / "absent.mid")], capsys)
    assert code == 2
    assert_one_line(err, "absent.mid", "no such file")


def test_unknown_chord_is_one_line_naming_it(tmp_path, capsys):
    code, err = run(["generate", "--model", str(tmp_path), "--chords", "F7 Bb7 Hmaj7"], capsys)
    assert code == 2
    assert_one_line(err, "--chords", "'Hmaj7'")


def test_missing_model_is_one_line_and_exit_2(tmp_path, capsys):
    code, err = run(["generate", "--model", str(tmp_path / "nothing")], capsys)
    assert code == 2
    assert_one_line(err, "nothing", "train")


def test_bad_flag_value_is_one_line(capsys):
    code, err = run(["generate", "--temperature", "-1"], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_the_real_command_line_prints_one_line(tmp_path):
    path = tmp_path / "truncated.mid"
    path.write_bytes(BAD_MIDI["truncated.mid"])
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-m", "apps.jazz", "evaluate", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("python -m apps.jazz: error:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("swing", ["0", "-1", "fast", "inf"])
def test_a_bad_swing_ratio_is_one_line_and_exit_2(capsys, swing):
    code, err = run(["generate", "--swing", swing], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--swing" in err and "positive number" in err


@pytest.mark.parametrize("signature", ["3/x", "7/3", "0/4", "waltz"])
def test_a_bad_time_signature_is_one_line_naming_it(tmp_path, capsys, signature):
    code, err = run(["generate", "--model", str(tmp_path), "--time-signature", signature],
                    capsys)
    assert code == 2
    assert_one_line(err, "--time-signature", repr(signature))


@pytest.mark.parametrize(("chords", "fragment"), [
    ("Dm7 G7 | Hmaj7", "'Hmaj7'"),
    ("Dm7 G7:x | C", "counts"),
    ("C | | F", "bar 2 is empty"),
    ("C7 G7:5 | F", "bar 1 holds 5 counts"),
])
def test_a_bad_chart_is_one_line_before_any_model_is_read(tmp_path, capsys, chords, fragment):
    code, err = run(["generate", "--model", str(tmp_path / "absent"), "--chords", chords,
                     "--time-signature", "4/4"], capsys)
    assert code == 2
    assert_one_line(err, "--chords", fragment)
