"""The order of every app's training run, in one place.

    1. the tf.distribute strategy, before any TensorFlow op runs in the process
       (MultiWorkerMirroredStrategy must configure collective ops at program startup);
    2. seeds;
    3. the data: `prepare(config)` → `Prepared` (batches, and what was found in the data);
    4. the model, built and compiled inside the strategy's scope: `build(config, prepared)`;
    5. fit, with checkpoints, --resume, best weights and the NaN guard (`apps.common.training`);
    6. outputs, written by the chief alone: `write(out, model, config, prepared)`.

Each app's `train.train_and_evaluate(config, out, *, distribute, resume)` fills in the steps.
"""

import hashlib
import sys
from dataclasses import dataclass, field


@dataclass
class Prepared:
    """What an app's data step hands the run.

    Args:
        train: training batches, an `apps.common.data.EpochStream` (exact --resume) or a dataset.
        val: validation batches, or None.
        facts: what was found in the data (vocabularies, tags, meter, …), for the model and the
            model folder.
    """

    train: object
    val: object = None
    facts: dict = field(default_factory=dict)


@dataclass
class Run:
    """A finished run: the trained model (best weights), its data, Keras' history, and whether
    this process was the chief that wrote the outputs."""

    model: object
    prepared: Prepared
    history: object
    chief: bool


def train_run(
    config,
    out,
    *,
    prepare,
    build,
    write,
    distribute="none",
    resume=False,
    monitor="val_loss",
    mode="min",
    callbacks=None,
    verbose=None,
):
    """Run the steps above for `config` (which has `seed` and `epochs`) and return a `Run`.

    `callbacks(model, prepared, chief)` may return extra Keras callbacks.
    """
    from apps.common.distribute import get_strategy, is_chief

    strategy = get_strategy(distribute)
    chief = is_chief(strategy)

    from apps.common.seeding import set_seed
    from apps.common.training import fit

    set_seed(config.seed)
    prepared = prepare(config)
    with strategy.scope():
        model = build(config, prepared)
    history = fit(
        model,
        prepared.train,
        prepared.val,
        epochs=config.epochs,
        out_dir=out,
        resume=resume,
        monitor=monitor,
        mode=mode,
        callbacks=callbacks(model, prepared, chief) if callbacks else (),
        verbose=verbose,
        chief=chief,
    )
    if chief:
        write(out, model, config, prepared)
    if distribute == "multiworker":
        # Every worker ends with the same weights; the digest lets a user check that it did.
        print(f"multiworker: {'chief' if chief else 'worker'} finished, weights digest "
              f"{weights_digest(model)}", file=sys.stderr, flush=True)
    return Run(model, prepared, history, chief)


def weights_digest(model):
    """A short hash of the model's weights, equal for equal weights."""
    digest = hashlib.sha256()
    for weights in model.get_weights():
        digest.update(weights.tobytes())
    return digest.hexdigest()[:16]
