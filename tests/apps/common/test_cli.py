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
