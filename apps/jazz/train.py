"""Training: the shared run (`apps.common.run`) with the jazz data, the course's djmodel and the
model folder. What the data says (its meter, the melodies' register, a progression and tempo
for `generate` without `--chords`) goes to `facts.json`: see `apps.jazz.data.data_facts`.

Swung pieces are read straight (`datasets.music.read_piece` finds the swing and straightens the
eighths), so the values hold written rhythms; `generate --swing` swings them again.
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
    if config.transpose and not config.chord_input:
        print("jazz: warning: --transpose changes nothing without --chord-input (the values "
              "are relative to the chords, the same in every key)", file=sys.stderr)
    pieces = data.load_pieces(config.midi, config.melody_part)
    vocab = data.build_vocabulary(pieces)
    train_windows, val_windows = data.training_windows(
        pieces, vocab, config.Tx, config.stride, config.chord_input
    )
    if config.midi:
        for piece in pieces:
            print(f"jazz: {piece.name}: melody from part {piece.melody_part} "
                  f"({piece.melody_name!r}), {piece.meter}"
                  + (f", swing {piece.swing:g}:1 read straight" if piece.swing != 1.0 else "")
                  + "; --melody-part overrides the part", file=sys.stderr)
    facts = data.data_facts(pieces)
    print(f"jazz: {len(pieces)} pieces in {facts['meter']}, {len(vocab)} values (n_values), "
          f"{len(train_windows)} training windows of Tx={config.Tx}"
          + (", chord-conditioned" if config.chord_input else "")
          + (", in all 12 keys" if config.transpose and config.chord_input else ""),
          file=sys.stderr, flush=True)
    val = None
    if val_windows is not None:
        val = data.validation_batches(
            val_windows, config.n_a, config.batch_size, config.chord_input
        )
    return Prepared(
        train=data.training_stream(
            train_windows, config.n_a, config.batch_size, config.chord_input, config.transpose,
            seed=config.seed,
        ),
        val=val,
        facts={"vocab": vocab, **facts},
    )


def build(config, prepared):
    model = djmodel(config.Tx, len(prepared.facts["vocab"]), config.n_a, config.chord_input)
    return compile_model(model, config.learning_rate, config.decay)


def write(out, model, config, prepared):
    """The model folder: model.keras, config.json, vocab.json ({"values": [...]}), facts.json,
    export/1/."""
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
