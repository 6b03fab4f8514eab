"""The examples in the docstrings run, and print what they say."""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("layers", "apps", "datasets")


def modules_with_examples():
    names = []
    for package in PACKAGES:
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            path = ROOT / (info.name.replace(".", "/") + ("/__init__.py" if info.ispkg else ".py"))
            if path.is_file() and ">>>" in path.read_text(encoding="utf-8"):
                names.append(info.name)
    return sorted(names)


def user_globals():
    """What the examples assume a user has imported."""
    import keras
    import numpy as np
    import tensorflow as tf

    import layers

    return {"keras": keras, "np": np, "tf": tf, "layers": layers}


@pytest.mark.parametrize("name", modules_with_examples())
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, extraglobs=user_globals(), optionflags=flags, verbose=False)
    assert result.attempted > 0
    assert result.failed == 0
