"""The one exception for problems a user can fix."""


class InputError(Exception):
    """A bad file, value or flag, described in one line that names it.

    The command-line entry points print the message alone and exit non-zero;
    anything else that escapes is a bug and keeps its traceback.
    """
