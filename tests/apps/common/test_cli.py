import contextlib
import os

import pytest

from apps.common import cli
from apps.common.errors import TrainingError
from datasets.errors import InputError


def parser_with(func):
    parser = cli.ArgumentParser(prog="toy")
    commands = parser.add_subparsers(required=True)
    run = commands.add_parser("run")
    run.add_argument("--units", type=cli.positive_int, default=1)
    run.add_argument("--temperature", type=cli.non_negative_float, default=1.0)
    run.set_defaults(func=func)
    return parser


def exit_of(parser, argv, capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(parser, argv)
    return raised.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["run", "--units", "0"], ["run", "--units", "x"], ["run", "--temperature", "-1"]]
)
def test_bad_flag_value_is_one_line_and_exit_2(argv, capsys):
    code, err = exit_of(parser_with(lambda args: 0), argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert argv[1] in err


def test_input_error_is_printed_as_one_line(capsys):
    def fails(args):
        raise InputError("names.txt: the file is empty\n(no names)")

    code, err = exit_of(parser_with(fails), ["run"], capsys)
    assert code == 2
    assert err == "toy: error: names.txt: the file is empty (no names)\n"


def test_success_exits_0(capsys):
    code, _ = exit_of(parser_with(lambda args: None), ["run", "--units", "3"], capsys)
    assert code == 0


def test_add_train_args_defaults():
    parser = cli.ArgumentParser(prog="toy")
    cli.add_train_args(parser, epochs=5, out="saved_models/toy")
    args = parser.parse_args([])
    assert (args.epochs, args.seed, args.distribute, args.resume) == (5, 0, "none", False)
    assert str(args.out) == "saved_models/toy"


def test_a_failed_run_is_one_line_and_exit_1(capsys):
    def fails(args):
        raise TrainingError("training stopped: the loss became NaN at epoch 1, batch 2")

    code, err = exit_of(parser_with(fails), ["run"], capsys)
    assert code == 1
    assert err == "toy: error: training stopped: the loss became NaN at epoch 1, batch 2\n"


def test_help_shows_every_default_and_the_verb_example(capsys):
    parser = cli.ArgumentParser(prog="toy")
    verbs = parser.add_subparsers(required=True)
    run = cli.add_verb(verbs, "run", help="run it", example="toy run --units 3", func=None)
    run.add_argument("--units", type=cli.positive_int, default=4, help="how many")
    cli.add_train_args(run, epochs=5, out="saved_models/toy")
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for shown in ("how many (default: 4)", "(default: 5)", "(default: 0)",
                  "(default: saved_models/toy)", "(default: none)", "toy run --units 3"):
        assert shown in text


@pytest.mark.parametrize("seed", ["-1", "2147483648", "x"])
def test_seeds_outside_int32_are_refused(seed, capsys):
    parser = cli.ArgumentParser(prog="toy")
    cli.add_sampling_args(parser, seed_help="seed")
    with pytest.raises(SystemExit) as raised:
        parser.parse_args(["--seed", seed])
    assert raised.value.code == 2 and "--seed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "status", "line"),
    [
        (PermissionError(13, "Permission denied", "/models/m"), 2, "/models/m: Permission denied"),
        (OSError(30, "Read-only file system", "/ro/m"), 2, "/ro/m: Read-only file system"),
        (IsADirectoryError(21, "Is a directory", "out.mid"), 2, "out.mid: Is a directory"),
        (OSError(28, "No space left on device", "/full/m"), 1, "/full/m: No space left on device"),
    ],
    ids=["permission", "read-only", "a folder", "disk full"],
)
def test_operating_system_errors_are_one_line_naming_the_path(error, status, line, capsys):
    def fails(args):
        raise error

    code, err = exit_of(parser_with(fails), ["run"], capsys)
    assert code == status
    assert err == f"toy: error: {line}\n"


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(capsys):
    def prints(args):
        for i in range(100_000):
            print(f"name {i}")

    read, write = os.pipe()
    os.close(read)  # as `| head` does once it has its lines
    with (
        capsys.disabled(),
        open(write, "w") as closed,
        contextlib.redirect_stdout(closed),
        pytest.raises(SystemExit) as raised,
    ):
        cli.main(parser_with(prints), ["run"])
    assert raised.value.code == 0


def test_ranges_show_in_the_help_and_in_the_error(capsys):
    parser = cli.ArgumentParser(prog="toy")
    parser.add_argument("--units", type=cli.units_int, default=8, help="n_a")
    parser.add_argument("--rate", type=cli.float_range(0.0, 2.5), default=1.0, help="rate")
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "n_a (from 1 to 1024) (default: 8)" in text and "rate (from 0 to 2.5)" in text
    with pytest.raises(SystemExit):
        parser.parse_args(["--units", "1025"])
    assert "expected an integer from 1 to 1024, got '1025'" in capsys.readouterr().err


def test_force_reaches_the_training_run(capsys):
    from apps.common.run import _FORCE

    seen = []
    parser = cli.ArgumentParser(prog="toy")
    verbs = parser.add_subparsers(required=True)
    train = cli.add_verb(verbs, "train", help="train", example="toy train",
                         func=lambda args: seen.append(_FORCE.get()))
    cli.add_train_args(train, epochs=1, out="m")
    for argv, expected in ((["train"], False), (["train", "--force"], True)):
        with pytest.raises(SystemExit):
            cli.main(parser, argv)
        assert seen.pop() is expected
