"""Each app's real `train` command with two workers on loopback (MultiWorkerMirroredStrategy).

Both workers must exit 0 and end with the same weights, and only the chief writes its folder.
"""

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from datasets.music import default_sources
from tests.apps.dinos.conftest import NAMES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TAGGER_DATA = ROOT / "tests" / "apps" / "tagger" / "fixtures" / "tiny.conll"


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def tiny_args(app, tmp_path):
    if app == "dinos":
        names = tmp_path / "names.txt"
        names.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
        return ["--data", names, "--units", "8", "--batch-size", "8"]
    if app == "jazz":
        abc = [s for s in default_sources() if s.endswith(".abc")]
        return ["--midi", *abc, "--units", "8", "--tx", "12"]
    return ["--train", TAGGER_DATA, "--units", "4"]


@pytest.mark.parametrize("app", ["dinos", "jazz", "tagger"])
def test_two_workers_train_one_model_and_only_the_chief_writes(app, tmp_path):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    processes = []
    for index in range(2):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_CONFIG=json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}
        ))
        argv = ["train", *tiny_args(app, tmp_path), "--epochs", "2", "--distribute",
                "multiworker", "--out", tmp_path / f"out{index}"]
        processes.append(subprocess.Popen(
            [sys.executable, "-m", f"apps.{app}", *map(str, argv)], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        ))
    digests = []
    for process in processes:
        out, err = process.communicate(timeout=400)
        assert process.returncode == 0, err[-3000:]
        digests.append(re.findall(r"multiworker: (\w+) finished, weights digest (\w+)", err))
    (chief,), (worker,) = digests
    assert chief[0] == "chief" and worker[0] == "worker"
    assert chief[1] == worker[1]
    assert (tmp_path / "out0" / "config.json").is_file()
    assert (tmp_path / "out0" / "export" / "1" / "saved_model.pb").is_file()
    assert not (tmp_path / "out1").exists()
