"""The order of every app's training run, in one place.

    1. the tf.distribute strategy, before any TensorFlow op runs in the process
       (MultiWorkerMirroredStrategy must configure collective ops at program startup);
    2. the output folder, claimed by the chief: locked against other runs, and checked to hold
       nothing training would destroy unasked (`apps.common.model_folder.claim`; --force);
       with --resume, the checkpoints' app and settings checked against this run's;
    3. seeds;
    4. the data: `prepare(config)` → `Prepared` (batches, and what was found in the data),
       and with --resume its fingerprint checked against the checkpoints';
    5. the model, built and compiled inside the strategy's scope: `build(config, prepared)`;
    6. fit, with checkpoints, --resume, best weights and the NaN guard (`apps.common.training`);
    7. outputs, written by the chief alone: `write(out, model, config, prepared)`, whose
       `write_model_folder` swaps the whole folder in at once.

Each app's `train.train_and_evaluate(config, out, *, distribute, resume)` fills in the steps.
The app is the package of the config's class (`apps.dinos.config.Config` → "dinos").
"""

import contextlib
import contextvars
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Prepared:
    """What an app's data step hands the run.

    Args:
        train: training batches, an `apps.common.data.EpochStream` (exact --resume) or a dataset.
        val: validation batches, or None.
        facts: what was found in the data (vocabularies, tags, meter, …), for the model and the
            model folder.
        fingerprint: a string that changes when the data change, for --resume to check; None
            (the default) hashes the training examples of an `EpochStream` and the validation
            batches (`apps.common.fingerprint.run_fingerprint`).
    """

    train: object
    val: object = None
    facts: dict = field(default_factory=dict)
    fingerprint: str | None = None


@dataclass
class Run:
    """A finished run: the trained model (best weights), its data, Keras' history, and whether
    this process was the chief that wrote the outputs."""

    model: object
    prepared: Prepared
    history: object
    chief: bool


_FORCE = contextvars.ContextVar("force", default=False)


@contextlib.contextmanager
def forcing(force):
    """Training runs in the body may replace any folder (`train --force`; see `cli.main`)."""
    token = _FORCE.set(bool(force))
    try:
        yield
    finally:
        _FORCE.reset(token)


def app_of(config):
    """The app a config belongs to: `apps.<app>.…` of its class's module."""
    parts = type(config).__module__.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "apps" else parts[0]


def run_record(app, config, fingerprint=None):
    """What --resume compares: the app, every setting and the data's fingerprint."""
    settings = json.loads(json.dumps(config.to_dict()))  # tuples as JSON lists, as stored
    return {"app": app, "config": settings, "data": fingerprint}


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
    force=None,
    app=None,
):
    """Run the steps above for `config` (which has `seed` and `epochs`) and return a `Run`.

    `callbacks(model, prepared, chief)` may return extra Keras callbacks. `force` (default: the
    command line's --force) lets the run replace a folder that holds something else. `app`
    defaults to `app_of(config)`.
    """
    from apps.common.checkpoints import check_resume
    from apps.common.distribute import get_strategy, is_chief
    from apps.common.model_folder import claim, writing_for

    strategy = get_strategy(distribute)
    chief = is_chief(strategy)
    app = app or app_of(config)
    force = _FORCE.get() if force is None else force
    held = (
        claim(out, app, config_class=type(config), force=force)
        if chief
        else contextlib.nullcontext()
    )
    with held, writing_for(app):
        if resume and chief:
            check_resume(Path(out) / "checkpoints", run_record(app, config))
        return _run(config, out, strategy, chief, prepare, build, write, distribute, resume,
                    monitor, mode, callbacks, verbose, app)


def _run(config, out, strategy, chief, prepare, build, write, distribute, resume, monitor, mode,
         callbacks, verbose, app):
    from apps.common.fingerprint import run_fingerprint
    from apps.common.seeding import set_seed
    from apps.common.training import fit

    set_seed(config.seed)
    prepared = prepare(config)
    record = run_record(app, config, run_fingerprint(prepared)) if chief else None
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
        record=record,
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
