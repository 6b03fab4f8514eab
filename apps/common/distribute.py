"""The `--distribute` choice as a `tf.distribute` strategy."""

import json
import os

import tensorflow as tf

from datasets.errors import InputError


def get_strategy(name):
    """The strategy for `--distribute`: none, mirrored (local devices) or multiworker."""
    if name == "none":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        # All local GPUs, else every logical CPU device (MirroredStrategy alone would take one).
        devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
        return tf.distribute.MirroredStrategy([d.name for d in devices])
    if name == "multiworker":
        _check_tf_config()
        return MultiWorkerStrategy()
    raise InputError(f"--distribute: unknown strategy {name!r}; choose none, mirrored, multiworker")


class MultiWorkerStrategy(tf.distribute.MultiWorkerMirroredStrategy):
    """MultiWorkerMirroredStrategy that Keras 3's `fit` can report metrics through.

    Keras 3.15 averages every logged scalar across workers with `reduce("MEAN", v, axis=0)`,
    which fails for scalars (tensorflow#72388); a scalar is averaged over replicas alone.
    """

    def reduce(self, reduce_op, value, axis):
        def one(v):
            rank = self.experimental_local_results(v)[0].shape.rank
            return super(MultiWorkerStrategy, self).reduce(reduce_op, v, axis if rank else None)

        return tf.nest.map_structure(one, value)


def _check_tf_config():
    text = os.environ.get("TF_CONFIG")
    if not text:
        raise InputError("--distribute multiworker needs TF_CONFIG (cluster and task) set")
    try:
        config = json.loads(text)
        well_formed = bool(config["cluster"]["worker"]) and "type" in config["task"]
    except (ValueError, KeyError, TypeError):
        well_formed = False
    if not well_formed:
        raise InputError(
            "TF_CONFIG must be JSON with cluster.worker, task.type and task.index"
        )


def is_chief(strategy):
    """Whether this process writes the outputs: always, except a non-chief multi-worker task."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return True
    if resolver.task_type == "chief":
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief
