"""The suite's applications: dinos, jazz and tagger, and the harness they share (apps.common)."""

import os

# TensorFlow's C++ logging repeats harmless graph warnings at ERROR level; Python errors still show.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
