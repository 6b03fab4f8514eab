"""A served module saves with a model whose cells use recurrent dropout."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import layers
from apps.common.serving import keep_variables


class Served(tf.Module):
    def __init__(self, model, keep):
        super().__init__()
        self.model = model
        if keep:
            keep_variables(self, model)

    @tf.function(input_signature=[tf.TensorSpec((None, None, 3), tf.float32)])
    def serve(self, x):
        return self.model(x)


def model_with_recurrent_dropout():
    inputs = keras.Input((None, 3))
    cell = layers.LSTMCell(4, dropout=0.1, recurrent_dropout=0.2, seed=0)
    outputs = keras.layers.Bidirectional(layers.RNN(cell, return_sequences=True))(inputs)
    return keras.Model(inputs, outputs)


def test_a_module_keeping_the_variables_saves_and_serves_the_same(tmp_path):
    model = model_with_recurrent_dropout()
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype("float32")
    tf.saved_model.save(Served(model, keep=True), str(tmp_path / "served"))
    restored = tf.saved_model.load(str(tmp_path / "served"))
    np.testing.assert_allclose(restored.serve(x).numpy(), model(x).numpy(), rtol=1e-5, atol=1e-6)


def test_without_them_keras_seed_state_is_untracked(tmp_path):
    # Why keep_variables exists: should Keras start tracking the seed state, this fails and the
    # helper can go.
    with pytest.raises(Exception, match="untracked"):
        tf.saved_model.save(Served(model_with_recurrent_dropout(), keep=False), str(tmp_path / "s"))


def test_a_graph_loader_as_tf_serving_uses_restores_every_variable(tmp_path):
    # TensorFlow Serving and `saved_model_cli run` load through the graph loader, not Python's.
    model = model_with_recurrent_dropout()
    x = np.random.default_rng(1).standard_normal((2, 5, 3)).astype("float32")
    served = Served(model, keep=True)
    tf.saved_model.save(served, str(tmp_path / "served"), signatures={"serve": served.serve})
    with tf.Graph().as_default(), tf.compat.v1.Session() as session:
        meta = tf.compat.v1.saved_model.loader.load(session, ["serve"], str(tmp_path / "served"))
        signature = meta.signature_def["serve"]
        (name_in,) = [t.name for t in signature.inputs.values()]
        (name_out,) = [t.name for t in signature.outputs.values()]
        got = session.run(name_out, feed_dict={name_in: x})
    np.testing.assert_allclose(got, model(x).numpy(), rtol=1e-5, atol=1e-6)
