"""What every app's served module (the `tf.Module` its SavedModel is) needs from its Keras model."""

import tensorflow as tf


def keep_variables(module, model):
    """Hold the `tf.Variable` inside each of `model`'s Keras variables on `module`, so that
    `tf.saved_model.save` finds them all and every loader restores them.

    Keras 3 keeps the state of a dropout seed generator where TensorFlow's object tracking does
    not look. A served function that captures one (a recurrent layer with recurrent dropout
    does, even when not training) then fails to save with "references an 'untracked' resource".
    Listing the variables on the module makes them tracked.

    They are listed as `tf.Variable`s, not as Keras' wrappers: the graph loaders (TensorFlow
    Serving, `saved_model_cli run`) restore only `tf.Variable`s in the saved object graph, and
    without them fail with "Could not find variable …" (keras-team/keras#20095).
    """
    module.model_variables = [
        v.value for v in model.variables if isinstance(v.value, tf.Variable)
    ]
