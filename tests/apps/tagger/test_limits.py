"""What the tagger reads is bounded: a 200,000-token sentence is tagged in pieces, in bounded
memory, by `evaluate` and by `tag` (issue #20: it took 22.6 GB and over 4 GB before)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LIMIT_MIB = 3 * 1024


def peak_mib(argv, stdin=b""):
    """Run `python -m apps.tagger ARGV`: its exit status, stdout and peak memory in MiB."""
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as out:
        given.write(stdin)
        given.seek(0)
        child = subprocess.Popen(
            [sys.executable, "-m", "apps.tagger", *map(str, argv)], cwd=ROOT, stdin=given,
            stdout=out, stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        out.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), usage.ru_maxrss / 1024


@pytest.mark.slow
def test_a_200000_token_sentence_is_evaluated_in_bounded_memory(trained_dir, tmp_path):
    data = tmp_path / "long.conll"
    data.write_text("Harry B-PER\nPotter I-PER\nflies O\nto O\n" * 50_000, encoding="utf-8")
    status, out, peak = peak_mib(["evaluate", "--data", data, "--model", trained_dir, "--json"])
    assert status == 0 and b'"PER"' in out
    assert peak < LIMIT_MIB


@pytest.mark.slow
def test_a_line_of_a_million_characters_is_tagged_in_bounded_memory(trained_dir):
    line = ("Harry Potter flies to London. " * 33_000).encode()
    status, out, peak = peak_mib(["tag", "--model", trained_dir, "--format", "json"], line)
    assert status == 0 and out.count(b"\n") == 1
    assert peak < LIMIT_MIB


def test_a_reader_that_stops_early_ends_tag_quietly(trained_dir, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"Ron flew to London. Hagrid ran.\n" * 5000)
    with lines.open("rb") as given, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "apps.tagger", "tag", "--model", str(trained_dir)], cwd=ROOT,
            stdin=given, stdout=subprocess.PIPE, stderr=err,
        )
        assert child.stdout.read(20)
        child.stdout.close()  # as `| head` does
        assert child.wait(timeout=600) == 0
        err.seek(0)
        assert err.read() == b""
