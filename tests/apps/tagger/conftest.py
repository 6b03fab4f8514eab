from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "tiny.conll"


def run_cli(argv, capsys):
    """Runs `python -m apps.tagger ARGV` in this process: `(exit status, stdout, stderr)`."""
    from apps.tagger.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture(scope="session")
def trained_dir(tmp_path_factory):
    """A tiny tagger with the default vectors and decoder (GloVe, CRF), trained for two epochs
    on the hand-made fixture, shared by the tests."""
    from apps.tagger.__main__ import main

    out = tmp_path_factory.mktemp("tagger")
    argv = ["train", "--train", FIXTURE, "--units", "8", "--epochs", "2", "--glove-words", "2000"]
    with pytest.raises(SystemExit) as exit_info:
        main([*map(str, argv), "--out", str(out)])
    assert exit_info.value.code == 0
    return out
