"""Running the toy training script as a real process."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("toy_train.py")


def environment(**extra):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    env.update(extra)
    return env


def start(*args, **env):
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), *map(str, args)],
        env=environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def run(*args, timeout=240, **env):
    process = start(*args, **env)
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return out


def weights(out_dir):
    with np.load(Path(out_dir) / "weights.npz") as saved:
        return [saved[k] for k in sorted(saved.files, key=lambda k: int(k.split("_")[1]))]
