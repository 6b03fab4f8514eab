"""The suite's applications: dinos, jazz and tagger, and the harness they share (apps.common)."""

import os

# The apps are TensorFlow programs (tf.data, SavedModels): a KERAS_BACKEND left in the
# environment, or a ~/.keras/keras.json naming another backend, must not switch them.
os.environ["KERAS_BACKEND"] = "tensorflow"

# A quiet start: nothing on stderr but the answer and real errors. TensorFlow's C++ logging
# repeats harmless graph warnings at ERROR level (Python errors still show), unless the user
# sets TF_CPP_MIN_LOG_LEVEL. Its import also prints INFO notices (no CUDA driver, oneDNN) that
# the level does not reach: they are filtered out at any level above 0 (apps.common.quiet).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if os.environ["TF_CPP_MIN_LOG_LEVEL"].strip() not in ("", "0"):
    from apps.common.quiet import quiet_tensorflow_import

    quiet_tensorflow_import()
