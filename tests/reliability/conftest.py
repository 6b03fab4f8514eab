"""Models every reliability test may start from, each trained once per session by the real
`train` command (in this process), tiny: copy one (`copy_model`) before changing it."""

import shutil

import pytest

from tests.apps.dinos.conftest import NAMES
from tests.reliability.helpers import ROOT, run_app

TAGGER_DATA = ROOT / "tests" / "apps" / "tagger" / "fixtures" / "tiny.conll"


@pytest.fixture(scope="session")
def names_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("reliability_data") / "names.txt"
    path.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    return path


def dinos_args(names_file):
    """A dinos model that trains in seconds."""
    return ["--data", names_file, "--units", "8", "--batch-size", "8", "--epochs", "2"]


@pytest.fixture(scope="session")
def dinos_model(tmp_path_factory, names_file):
    out = tmp_path_factory.mktemp("reliability_dinos") / "model"
    result = run_app("dinos", "train", *dinos_args(names_file), "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def jazz_model(tmp_path_factory):
    from datasets.music import default_sources

    out = tmp_path_factory.mktemp("reliability_jazz") / "model"
    abc = [s for s in default_sources() if s.endswith(".abc")][:2]
    argv = ["train", "--midi", *abc, "--units", "8", "--tx", "12", "--epochs", "1", "--out", out]
    result = run_app("jazz", *argv)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def tagger_model(tmp_path_factory):
    out = tmp_path_factory.mktemp("reliability_tagger") / "model"
    argv = ["train", "--train", TAGGER_DATA, "--vectors", "none", "--units", "4", "--epochs", "1",
            "--out", out]
    result = run_app("tagger", *argv)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def copy_model(model, tmp_path, name="model", run_state=True):
    """A copy of a session model in `tmp_path / name`, to change or replace; without its
    checkpoints and logs unless `run_state`."""
    target = tmp_path / name
    ignore = None if run_state else shutil.ignore_patterns("checkpoints", "logs")
    shutil.copytree(model, target, ignore=ignore)
    return target
