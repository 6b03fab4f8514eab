"""What every app's served module (the `tf.Module` its SavedModel is) needs from its Keras model."""


def keep_variables(module, model):
    """Hold every variable of `model` on `module`, so that `tf.saved_model.save` finds them all.

    Keras 3 keeps the state of a dropout seed generator where TensorFlow's object tracking does
    not look. A served function that captures one (a recurrent layer with recurrent dropout
    does, even when not training) then fails to save with "references an 'untracked' resource".
    Listing the variables on the module makes them tracked.
    """
    module.model_variables = list(model.variables)
