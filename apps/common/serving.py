"""What every app's served module (the `tf.Module` its SavedModel is) needs from its Keras model."""

import tensorflow as tf


def keep_variables(module, model):
    """Hold every variable of `model` on `module`, as Keras holds it and as TensorFlow does, so
    that `tf.saved_model.save` finds them all and every loader restores them.

    Keras 3 keeps the state of a dropout seed generator where TensorFlow's object tracking does
    not look. A served function that captures one (a recurrent layer with recurrent dropout
    does, even when not training) then fails to save with "references an 'untracked' resource".
    Listing the variables on the module makes them tracked.

    A Keras 3 variable is a wrapper around the `tf.Variable` the served functions read. Python's
    `tf.saved_model.load` restores through the wrapper, but the graph loaders (TensorFlow
    Serving, `saved_model_cli run`) restore only `tf.Variable`s in the saved object graph, and
    without the inner ones fail with "Could not find variable …" (keras-team/keras#20095).
    """
    module.model_variables = list(model.variables)
    module.tf_variables = [
        v.value for v in model.variables if isinstance(v.value, tf.Variable)
    ]
