import dataclasses
import subprocess
import sys
from pathlib import Path

from apps.dinos.__main__ import build_parser
from apps.dinos.config import LARGE_FROM_CHARS, PRESETS, SIZED, Config, choose_size

ROOT = Path(__file__).resolve().parents[3]


def test_auto_picks_the_small_preset_below_the_threshold_and_the_large_one_from_it():
    assert choose_size(LARGE_FROM_CHARS - 1) == "small"
    assert choose_size(LARGE_FROM_CHARS) == "large"
    assert Config().sized(LARGE_FROM_CHARS - 1).size == "small"
    assert Config().sized(LARGE_FROM_CHARS).size == "large"


def test_the_dinosaurs_are_small_and_the_baby_names_large():
    from apps.dinos.train import load_sequences, num_chars

    for source, size in (("dinosaurs", "small"), ("names", "large")):
        config = Config(data=source)
        sequences = load_sequences(config)
        assert config.sized(num_chars(sequences, config)).size == size, source


def test_the_end_tokens_count_for_names_and_not_for_text():
    from apps.dinos.train import num_chars

    assert num_chars(["ab", "cde"], Config()) == 7
    assert num_chars(["ab", "cde"], Config(text="t.txt", window=3)) == 5


def test_a_sized_config_takes_every_open_setting_from_its_preset():
    for size, preset in PRESETS.items():
        sized = Config(size=size).sized(num_chars=0 if size == "large" else 10**9)
        assert sized.size == size  # a named size ignores how much data there is
        assert {key: getattr(sized, key) for key in SIZED} == preset


def test_explicit_settings_win_over_the_preset():
    sized = Config(units=7, layers=3, batch_size=5, epochs=2, patience=1).sized(10**9)
    assert (sized.units, sized.layers, sized.batch_size, sized.epochs, sized.patience) == (
        7, 3, 5, 2, 1,
    )
    assert sized.learning_rate == PRESETS["large"]["learning_rate"]


def test_the_presets_differ_where_the_data_size_matters():
    small, large = PRESETS["small"], PRESETS["large"]
    assert large["units"] > small["units"] and large["batch_size"] > small["batch_size"]


def test_a_sized_config_survives_config_json():
    sized = Config(data="names").sized(10**6)
    assert Config.from_dict(sized.to_dict()) == sized
    assert sized.sized(10) == sized  # sizing again changes nothing


def test_a_model_folder_from_before_the_presets_still_reads():
    old = {
        key: value for key, value in dataclasses.asdict(Config().sized(0)).items()
        if key not in ("size", "patience", "lr_factor")
    }
    assert Config.from_dict(old).units == PRESETS["small"]["units"]


def test_train_flags_become_the_config_and_leave_the_rest_to_the_preset():
    args = build_parser().parse_args(["train", "--data", "names", "--units", "64"])
    assert (args.data, args.size, args.units, args.epochs, args.batch_size) == (
        "names", "auto", 64, None, None,
    )
    # A file called "names" in the working folder is reached as ./names: the flag keeps it so.
    assert build_parser().parse_args(["train", "--data", "./names"]).data == "./names"


def test_a_path_spelled_with_its_folder_is_read_as_a_file(tmp_path, monkeypatch):
    from apps.dinos.train import load_sequences

    monkeypatch.chdir(tmp_path)
    Path("names").write_text("Rex\nSue\n", encoding="utf-8")
    assert load_sequences(Config(data="./names")) == ["rex", "sue"]
    assert len(load_sequences(Config(data="names"))) > 20_000  # the built-in list


def test_help_does_not_import_tensorflow():
    code = (
        "import sys\nfrom apps.dinos.__main__ import main\n"
        "try:\n    main(['train', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "--size {auto,small,large}" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "False False"
