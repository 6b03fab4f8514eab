from types import SimpleNamespace

import pytest

NAMES = [
    "anzu", "zby", "khaan", "mei", "minmi", "gasosaurus", "gallimimus", "giraffatitan",
    "albertosaurus", "allosaurus", "alamosaurus", "apatosaurus", "brachiosaurus", "baryonyx",
    "camarasaurus", "centrosaurus", "diplodocus", "dilophosaurus", "edmontosaurus", "iguanodon",
    "maiasaura", "megalosaurus", "oviraptor", "pachycephalosaurus", "parasaurolophus",
    "protoceratops", "spinosaurus", "stegosaurus", "styracosaurus", "triceratops", "troodon",
    "tyrannosaurus", "velociraptor", "utahraptor", "microraptor", "saltasaurus",
]
TEXT = (
    "the river ran low that summer and the stones along its bed showed pale and dry. "
    "children walked out onto them in the afternoons, counting the fish in the pools.\n"
) * 4


def tiny_config(**overrides):
    """A model small enough to train in seconds; the small preset fills in the rest."""
    from apps.dinos.config import Config

    settings = dict(
        units=16, embedding_dim=8, dropout=0.0, output_dropout=0.0, epochs=3,
        batch_size=8, learning_rate=0.01, sample_every=0, size="small",
    )
    return Config(**{**settings, **overrides}).sized(num_chars=0)


def run_cli(argv, capsys):
    """`python -m apps.dinos ARGV` in this process: (exit status, stdout, stderr)."""
    from apps.dinos.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.fixture(scope="session")
def names_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("dinos_data") / "names.txt"
    path.write_text("\n".join(name.title() for name in NAMES) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def trained(tmp_path_factory, names_file):
    """A tiny names model trained for three epochs, shared by every test that needs one."""
    from apps.dinos.export import load_trained
    from apps.dinos.train import train_and_evaluate

    out = tmp_path_factory.mktemp("dinos_model")
    config = tiny_config(data=str(names_file))
    run = train_and_evaluate(config, out, verbose=0)
    char_model, vocab, _, training_names = load_trained(out)
    return SimpleNamespace(
        out=out, model=run.model, vocab=vocab, config=config, history=run.history,
        char_model=char_model, training_names=training_names,
    )


@pytest.fixture(scope="session")
def trained_text(tmp_path_factory):
    """A tiny model of running text (windows of 16 characters), one epoch."""
    from apps.dinos.train import train_and_evaluate

    path = tmp_path_factory.mktemp("dinos_text") / "prose.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = path.parent / "model"
    config = tiny_config(text=str(path), window=16, epochs=1, units=8)
    run = train_and_evaluate(config, out, verbose=0)
    vocab = run.prepared.facts["vocab"]
    return SimpleNamespace(out=out, model=run.model, vocab=vocab, config=config)
