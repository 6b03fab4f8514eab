"""Every app's SavedModel as TF Serving expects it: a numeric version folder (`export/1/`, so
`--model_base_path=DIR/export` serves it) with a `serving_default` signature, read by
TensorFlow's own `saved_model_cli`."""

import sys
from pathlib import Path

import pytest

from tests.reliability.helpers import environment, run

pytestmark = pytest.mark.slow

SAVED_MODEL_CLI = Path(sys.executable).with_name("saved_model_cli")
# The signature each app documents, beside serving_default.
SIGNATURES = {"dinos": ("sample", "score"), "jazz": ("sample",), "tagger": ("tag",)}


def saved_model_cli(*args):
    if not SAVED_MODEL_CLI.exists():
        pytest.skip("saved_model_cli is not installed beside this Python")
    return run([SAVED_MODEL_CLI, *map(str, args)], env=environment(TF_CPP_MIN_LOG_LEVEL="3"))


@pytest.fixture(params=sorted(SIGNATURES))
def export(request):
    app = request.param
    model = request.getfixturevalue(f"{app}_model")
    return app, model / "export" / "1"


def test_every_export_is_a_numbered_version_with_its_signatures(export):
    app, version = export
    assert sorted(p.name for p in version.parent.iterdir()) == ["1"]
    result = saved_model_cli("show", "--dir", version, "--tag_set", "serve")
    assert result.returncode == 0, result.stderr[-3000:]
    for name in SIGNATURES[app]:
        assert f'"{name}"' in result.stdout, result.stdout


def test_every_export_has_serving_default(export):
    app, version = export
    result = saved_model_cli("show", "--dir", version, "--tag_set", "serve", "--signature_def",
                             "serving_default")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "inputs" in result.stdout and "outputs" in result.stdout


def test_dinos_serving_default_samples_names_from_the_command_line(dinos_model):
    version = dinos_model / "export" / "1"
    result = saved_model_cli("run", "--dir", version, "--tag_set", "serve", "--signature_def",
                             "serving_default", "--input_exprs", "num=4;temperature=1.0;seed=0")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "names" in result.stdout and result.stdout.count("b'") == 4, result.stdout


JAZZ_INPUTS = ("n_values=8;temperature=1.0;seed=3;chord_offsets=[0.0,4.0];chord_roots=[5,10];"
               "chord_basses=[5,10];chord_pitch_classes=[[1,0,0,1,0,1,0,0,0,1,0,0],"
               "[0,0,1,0,0,1,0,0,1,0,1,0]];bar_length=4.0;beat_length=1.0")


def test_jazz_serving_default_samples_values_from_the_command_line(jazz_model):
    version = jazz_model / "export" / "1"
    result = saved_model_cli("run", "--dir", version, "--tag_set", "serve", "--signature_def",
                             "serving_default", "--input_exprs", JAZZ_INPUTS)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "values" in result.stdout and result.stdout.count("b'") == 8, result.stdout
