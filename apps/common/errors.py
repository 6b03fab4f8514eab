"""The exception for a run that failed on good input (the command line exits 1)."""


class TrainingError(Exception):
    """Training stopped without a usable model (the loss became NaN), described in one line."""
