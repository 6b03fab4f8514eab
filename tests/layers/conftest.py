import contextlib

import keras
import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def float64():
    """Build layers in float64, so a Keras cell and the numpy reference agree to ~1e-15.

    Keras fixes its global dtype policy from floatx when the first layer is made, so the policy
    is set (and restored) along with floatx. JAX computes in float32 unless 64-bit types are
    enabled, so they are, for the test.
    """
    previous = keras.config.floatx(), keras.config.dtype_policy()
    keras.config.set_floatx("float64")
    keras.config.set_dtype_policy("float64")
    assert keras.layers.Dense(1).compute_dtype == "float64"
    with _x64():
        yield
    keras.config.set_floatx(previous[0])
    keras.config.set_dtype_policy(previous[1])


def _x64():
    if keras.backend.backend() != "jax":
        return contextlib.nullcontext()
    import jax

    return jax.enable_x64(True)
