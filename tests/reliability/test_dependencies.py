"""Every dependency has an upper bound, so a new major release cannot break a fresh install
unseen (the README's "Dependencies" says how to move a bound)."""

import configparser

from packaging.requirements import Requirement

from tests.reliability.helpers import ROOT


def requirements():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options"]["install_requires"].splitlines()
    for extra in config["options.extras_require"].values():
        lines += extra.splitlines()
    lines += (ROOT / ".ci" / "jax-requirements.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def bounded_above(requirement):
    # "==2.21.*" and "==1.0.0" pin from above too; ">=" and "!=" alone do not.
    return any(spec.operator in ("<", "<=", "~=", "==", "===") for spec in requirement.specifier)


def test_every_dependency_has_an_upper_bound():
    found = requirements()
    assert len(found) >= 15
    assert [str(r) for r in found if not bounded_above(r)] == []
