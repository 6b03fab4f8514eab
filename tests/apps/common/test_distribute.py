import json
import socket

import numpy as np
import pytest

from apps.common.distribute import get_strategy, is_chief
from datasets.errors import InputError
from tests.apps.common import helpers


def test_the_default_strategy_is_the_chief():
    assert is_chief(get_strategy("none"))


@pytest.mark.parametrize(
    "tf_config", [None, "not json", json.dumps({"cluster": {}, "task": {"type": "worker"}})]
)
def test_multiworker_needs_a_well_formed_tf_config(monkeypatch, tf_config):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    if tf_config is not None:
        monkeypatch.setenv("TF_CONFIG", tf_config)
    with pytest.raises(InputError, match="TF_CONFIG"):
        get_strategy("multiworker")


@pytest.mark.slow
def test_mirrored_on_two_cpus_follows_the_single_device_loss(tmp_path):
    common = ("--epochs", 3, "--dropout", 0)
    helpers.run("--out", tmp_path / "one", *common)
    helpers.run("--out", tmp_path / "two", "--distribute", "mirrored", "--logical-cpus", 2, *common)
    one = json.loads((tmp_path / "one" / "history.json").read_text())["loss"]
    two = json.loads((tmp_path / "two" / "history.json").read_text())["loss"]
    np.testing.assert_allclose(two, one, rtol=1e-3)
    assert two[-1] < two[0]


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.mark.slow
def test_two_workers_on_localhost_train_one_model_and_only_the_chief_writes(tmp_path):
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(2)]}
    processes = []
    for index in range(2):
        tf_config = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
        processes.append(
            helpers.start(
                "--out", tmp_path / f"out{index}", "--epochs", 2, "--distribute", "multiworker",
                TF_CONFIG=tf_config,
            )
        )
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
        outputs.append(out.split())
    # One model: both workers end with the same weights; only worker 0 is the chief.
    assert outputs[0][0] == "chief" and outputs[1][0] == "worker"
    assert outputs[0][-1] == outputs[1][-1]
    history = json.loads((tmp_path / "out0" / "history.json").read_text())
    assert len(history["loss"]) == 2
    assert not (tmp_path / "out1").exists()
