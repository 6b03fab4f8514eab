"""Training: the shared run (`apps.common.run`) with the jazz data, the course's djmodel and the
model folder. The facts found in the data go to `facts.json`:

    bar_length   quarter notes per bar of the first piece (its meter)
    register     lowest and highest MIDI pitch of generated solos, from the training melodies
    progression  the first piece's chords, one per bar, for `generate` without `--chords`
    tempo        quarter notes per minute of the first piece, for `generate` without `--tempo`
"""

import sys

from apps.common.model_folder import write_model_folder
from apps.common.run import Prepared, train_run
from apps.jazz import data
from apps.jazz.export import export_sampler
from apps.jazz.model import compile_model, djmodel
from apps.jazz.sampling import Sampler


def prepare(config):
    """Pieces → values → vocabulary → windows → batches, and the facts of the data."""
    pieces = data.load_pieces(config.midi, config.melody_part)
    vocab = data.build_vocabulary(pieces)
    train_windows, val_windows = data.training_windows(
        pieces, vocab, config.Tx, config.stride, config.transpose
    )
    if config.midi:
        for piece in pieces:
            print(f"jazz: {piece.name}: melody from part {piece.melody_part} "
                  f"({piece.melody_name!r}); --melody-part overrides it", file=sys.stderr)
    bar_length = data.bar_length(pieces)
    facts = {
        "bar_length": bar_length,
        "register": list(data.melody_register(pieces)),
        "progression": data.first_progression(pieces, bar_length),
        "tempo": round(pieces[0].tempo, 2),
    }
    print(f"jazz: {len(pieces)} pieces, {len(vocab)} values (n_values), "
          f"{len(train_windows)} training windows of Tx={config.Tx}", file=sys.stderr, flush=True)
    val = None
    if val_windows is not None:
        val = data.validation_batches(
            val_windows, config.n_a, config.batch_size, config.chord_input
        )
    return Prepared(
        train=data.training_stream(
            train_windows, config.n_a, config.batch_size, config.chord_input, seed=config.seed
        ),
        val=val,
        facts={"vocab": vocab, **facts},
    )


def build(config, prepared):
    model = djmodel(config.Tx, len(prepared.facts["vocab"]), config.n_a, config.chord_input)
    return compile_model(model, config.learning_rate, config.decay)


def write(out, model, config, prepared):
    """The model folder: model.keras, config.json, vocab.json ({"values": [...]}), facts.json,
    export/."""
    facts = dict(prepared.facts)
    values = list(facts.pop("vocab").values)
    sampler = Sampler(model, values, config.chord_input)
    write_model_folder(
        out,
        model=model,
        config=config.to_dict(),
        vocabularies={"values": values},
        facts=facts,
        export=lambda path: export_sampler(sampler, path),
    )


def train_and_evaluate(config, out, *, distribute="none", resume=False, verbose=None):
    """Train as `config` says, write the model folder `out`; returns the `apps.common.run.Run`."""
    return train_run(
        config, out, prepare=prepare, build=build, write=write, distribute=distribute,
        resume=resume, verbose=verbose,
    )
