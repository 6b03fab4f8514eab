"""Importing TensorFlow without its start-up lines on stderr.

TensorFlow 2.21's C++ side logs through absl before absl's logging is set up, so
`TF_CPP_MIN_LOG_LEVEL` does not silence "All log messages before absl::InitializeLog() …", the
oneDNN notice or "Could not find cuda drivers on your machine": they are written straight to file
descriptor 2. The import therefore runs with descriptor 2 captured; afterwards the captured
text goes back to stderr without those known notices, so anything else (a real error, a Python
warning) still shows.
"""

import contextlib
import os
import re
import sys
import tempfile

_NOISE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|^[IW]\d{4} [\d:.]+ +\d+ (?:cudart_stub|port|cpu_feature_guard|cuda_dnn|cuda_fft|cuda_blas"
    r"|computation_placer)\.cc:\d+\]"
    r"|^To enable the following instructions: .* rebuild TensorFlow"
)


@contextlib.contextmanager
def quiet_start():
    """Run the body with file descriptor 2 captured, then write back what is not a known
    start-up notice."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [
                line for line in capture.read().decode("utf-8", "replace").splitlines(True)
                if not _NOISE.search(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


def import_tensorflow():
    """`import tensorflow`, quietly the first time."""
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with quiet_start():
        import tensorflow

    return tensorflow
