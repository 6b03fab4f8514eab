"""One call that makes a run repeatable."""

import keras
import tensorflow as tf


def set_seed(seed):
    """Seed Python, NumPy and TensorFlow, and make TensorFlow's kernels deterministic."""
    keras.utils.set_random_seed(int(seed))
    tf.config.experimental.enable_op_determinism()
