"""The jazz app's defaults in one place, and the run settings saved beside a model."""

from dataclasses import asdict, dataclass, field, fields

from datasets.errors import InputError

MODEL_DIR = "saved_models/jazz"


@dataclass
class JazzConfig:
    """Settings of one trained model; written to `<out>/config.json`.

    Args:
        Tx: values per training window (the course's Tx = 30).
        n_a: LSTM units (`--units`).
        chord_input: whether the chord under each step is a second model input.
        epochs, batch_size, learning_rate, decay: training; Adam and the decay as the course.
        stride: step between training windows.
        bar_length: quarter notes per bar of generated solos (4/4).
        register: lowest and highest MIDI pitch of generated solos, from the training melodies.
        progression: the first training piece's chords, one per bar, used when `generate` gets
            no `--chords`, each as [root, intervals, bass, figure].
        tempo: quarter notes per minute of generated MIDI unless `--tempo` is given.
    """

    Tx: int = 30
    n_a: int = 64
    chord_input: bool = False
    epochs: int = 12
    batch_size: int = 32
    learning_rate: float = 0.01
    decay: float = 0.01
    stride: int = 2
    bar_length: float = 4.0
    register: tuple[int, int] = (55, 84)
    progression: list = field(default_factory=list)
    tempo: float = 140.0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data, source: str) -> "JazzConfig":
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or not names.issuperset(data):
            raise InputError(f"{source}: not a jazz model configuration")
        config = cls(**data)
        config.register = tuple(config.register)
        return config
