"""A quiet start: TensorFlow's import notices kept off stderr, real errors kept on it.

Loading TensorFlow's libraries prints, at every start, lines such as "Could not find cuda
drivers on your machine, GPU will not be used" and "oneDNN custom operations are on". They come
from absl's C++ logging before it is initialised, which `TF_CPP_MIN_LOG_LEVEL` does not reach
(TensorFlow 2.21), so they cannot be turned off by a setting. `quiet_tensorflow_import()`
installs an import hook: while `tensorflow` is first imported, the process's stderr (file
descriptor 2) goes to a temporary file, and afterwards every line that is not one of those
known notices is written back to stderr, in order. Nothing else is filtered.
"""

import contextlib
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile

NOTICES = re.compile(
    "|".join((
        r"All log messages before absl::InitializeLog\(\) is called are written to STDERR",
        r"oneDNN custom operations are on",
        r"Could not find cuda drivers on your machine",
        r"Unable to register cu(DNN|FFT|BLAS) factory",
        r"computation placer already registered",
        r"This TensorFlow binary is optimized to use available CPU instructions",
        r"To enable the following instructions: .* rebuild TensorFlow",
    ))
)


def quiet_tensorflow_import():
    """Filter the notices out of stderr while TensorFlow is first imported (see the module)."""
    if "tensorflow" in sys.modules:
        return
    if not any(isinstance(finder, _QuietFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())


class _QuietFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: the real finders locate the package
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        # The module keeps the real loader (resources, reloading).
        module.__loader__ = module.__spec__.loader = self.loader
        with filtered_stderr():
            self.loader.exec_module(module)


@contextlib.contextmanager
def filtered_stderr():
    """Capture file descriptor 2 for the body, then write back the lines that are not
    `NOTICES`."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no stderr to filter
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [
                line
                for line in capture.read().decode("utf-8", "replace").splitlines(keepends=True)
                if not NOTICES.search(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()
