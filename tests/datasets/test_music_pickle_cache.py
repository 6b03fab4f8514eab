"""music21 caches parsed files as pickles at a predictable path in the shared temp folder and,
by default, loads one it finds there: a pickle planted by someone else would run their code.
Our readers parse without that cache, neither reading nor writing it."""

import contextlib
import os
import pickle
import zlib
from pathlib import Path

from music21 import converter, environment

from datasets.music import read_score
from datasets.music.lead_sheet import read_lead_sheet

FIXTURE = Path(__file__).resolve().parents[1] / "apps" / "jazz" / "fixtures" / "blues_in_f.musicxml"
ABC = "X:1\nT:line\nM:4/4\nL:1/8\nK:F\n\"F7\"FAcA dcAF|\"Bb7\"B2d2 f4|\n"


class _Planted:
    """What an attacker pickles: unpickling it touches `marker` (it could do anything)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def pickle_path(source: Path) -> Path:
    cache = environment.Environment("converter").getRootTempDir()
    return converter.PickleFilter(source).getPickleFp(cache, zipType="gz")


def plant(source: Path, marker: Path) -> Path:
    target = pickle_path(source)
    target.write_bytes(zlib.compress(pickle.dumps(_Planted(marker))))
    later = source.stat().st_mtime + 60  # newer than the file: music21 would take it
    os.utime(target, (later, later))
    return target


def test_a_planted_pickle_runs_under_music21s_defaults_but_not_under_our_readers(tmp_path):
    source = tmp_path / "line.abc"
    source.write_text(ABC)
    marker = tmp_path / "pwned"
    planted = plant(source, marker)
    try:
        # The library's default loads the planted pickle (and then finds no stream in it).
        with contextlib.suppress(Exception):
            converter.parse(str(source))
        assert marker.exists(), "the control case: music21's default reads the cache"
        marker.unlink()
        score = read_score(source)
        assert score.parts and not marker.exists()
    finally:
        planted.unlink(missing_ok=True)


def test_our_readers_write_no_pickle_either(tmp_path):
    source = tmp_path / "fresh.abc"
    source.write_text(ABC)
    sheet = tmp_path / "sheet.musicxml"
    sheet.write_bytes(FIXTURE.read_bytes())
    read_score(source)
    read_lead_sheet(sheet)
    assert not pickle_path(source).exists()
    assert not pickle_path(sheet).exists()


def test_a_planted_pickle_beside_a_lead_sheet_is_not_read(tmp_path):
    sheet = tmp_path / "sheet.musicxml"
    sheet.write_bytes(FIXTURE.read_bytes())
    marker = tmp_path / "pwned"
    planted = plant(sheet, marker)
    try:
        chart, _, _ = read_lead_sheet(sheet)
        assert len(chart.bars) == 12 and not marker.exists()
    finally:
        planted.unlink(missing_ok=True)
