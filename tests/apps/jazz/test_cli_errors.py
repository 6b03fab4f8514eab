"""Every user mistake is one line on stderr and exit status 2, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.jazz.__main__ import main
from tests.datasets.music_files import DRUMS, MELODY, midi_bytes

ROOT = Path(__file__).resolve().parents[3]
BLUES = "F7 Bb7 F7 F7 Bb7 Bb7 F7 F7 C7 Bb7 F7 C7"

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


@pytest.mark.parametrize("swing", ["0", "-1", "fast", "inf", "nan", "0.5", "1e9"])
def test_a_bad_swing_ratio_is_one_line_and_exit_2(capsys, swing):
    code, err = run(["generate", "--swing", swing], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--swing" in err and "from 1 to 4" in err


@pytest.mark.parametrize("tempo", ["3", "1e-9", "1e12", "0", "-120", "nan", "inf", "quick"])
def test_a_tempo_midi_cannot_hold_or_nobody_plays_is_one_line(capsys, tempo):
    code, err = run(["generate", "--tempo", tempo], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--tempo" in err and "from 20 to 400" in err


@pytest.mark.parametrize(("argv", "fragment"), [
    (["train", "--tx", "100000"], "--tx"),
    (["train", "--tx", "1"], "--tx"),
    (["train", "--units", "0"], "--units"),
    (["train", "--units", "100000000"], "--units"),
    (["generate", "--bars", "100000000"], "--bars"),
    (["generate", "--bars", "0"], "--bars"),
    (["generate", "--choruses", "0"], "--choruses"),
    (["generate", "--choruses", "65"], "--choruses"),
    (["generate", "--choruses", "2", "--bars", "8"], "not allowed with"),
    (["generate", "--no-solo", "--unaccompanied"], "not allowed with"),
    (["generate", "--chords", "C", "--chords-from", "x.musicxml"], "not allowed with"),
])
def test_out_of_range_and_clashing_flags_are_one_line(capsys, argv, fragment):
    code, err = run(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert fragment in err


@pytest.mark.parametrize(("argv", "fragments"), [
    (["--style", "polka"], ["--style", "'polka'", "ballad, bossa, swing"]),
    (["--register", "F5-Bb3"], ["--register", "upside down"]),
    (["--register", "C-1-C11"], ["--register", "outside MIDI"]),
    (["--register", "C4-F4"], ["--register", "at least an octave"]),
    (["--register", "low-high"], ["--register", "'low'"]),
    (["--chords", BLUES, "--choruses", "50"], ["--choruses 50", "600 bars", "at most 512"]),
    (["--chords", "N.C. | N.C."], ["every chord is N.C."]),
])
def test_bad_generate_settings_are_one_line_before_any_music(tmp_path, capsys, argv, fragments):
    code, err = run(["generate", "--model", str(tmp_path / "absent"), "--time-signature", "4/4",
                     "--out", str(tmp_path / "solo.mid"), *argv], capsys)
    assert code == 2
    assert_one_line(err, *fragments)
    assert not (tmp_path / "solo.mid").exists()


def test_a_lead_sheet_without_chords_or_not_musicxml_is_one_line(tmp_path, capsys):
    from music21 import note, stream

    melody = stream.Stream([note.Note("C4"), note.Note("E4")])
    bare = tmp_path / "melody.musicxml"
    melody.write("musicxml", fp=str(bare))
    broken = tmp_path / "broken.musicxml"
    broken.write_text("<score-partwise><part id='P1'><measure>", encoding="utf-8")
    for path, fragment in ((bare, "holds no chord symbols"), (broken, "not a MusicXML file"),
                           (tmp_path / "absent.musicxml", "no such file"),
                           (tmp_path / "solo.mid", "expected a MusicXML lead sheet")):
        if path.suffix == ".mid":
            path.write_bytes(b"MThd")
        code, err = run(["generate", "--chords-from", str(path), "--no-solo",
                         "--out", str(tmp_path / "out.mid")], capsys)
        assert code == 2
        assert_one_line(err, "--chords-from", fragment)
    assert not (tmp_path / "out.mid").exists()


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
    ("C7 G7:5 F", "G7:5 starts on count 1 of bar 2 and runs over its bar line"),
    ("C7:3 F7", "F7 starts on count 4 of bar 1"),
])
def test_a_bad_chart_is_one_line_before_any_model_is_read(tmp_path, capsys, chords, fragment):
    code, err = run(["generate", "--model", str(tmp_path / "absent"), "--chords", chords,
                     "--time-signature", "4/4"], capsys)
    assert code == 2
    assert_one_line(err, "--chords", fragment)


def test_a_file_too_large_to_be_music_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    import datasets.music.reader as reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.mid"
    path.write_bytes(b"MThd" + bytes(2000))
    code, err = run(["evaluate", str(path)], capsys)
    assert code == 2
    assert_one_line(err, "huge.mid", "larger than")
