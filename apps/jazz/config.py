"""The jazz app's settings in one plain object, saved beside a model as `config.json`.

What training finds in the data (the meter, the melodies' register, the first piece's chords, its
tempo) is not a setting: it goes to `facts.json` (see `apps.jazz.train`).
"""

from dataclasses import dataclass

from apps.common.config import JsonConfig

MODEL_DIR = "saved_models/jazz"


@dataclass
class JazzConfig(JsonConfig):
    """Settings of one training run.

    Args:
        midi: MIDI, MusicXML or ABC files or folders to learn from (None: the embedded corpus).
        melody_part: index of the melody part in every file (None: picked per file).
        transpose: move every training window to a key drawn at random each epoch, so the
            model hears the material in all 12 keys. Only the chord root of the conditioning
            moves (the values are relative to the chords), so without `chord_input` it changes
            nothing.
        Tx: values per training window (the course's Tx = 30).
        n_a: LSTM units (`--units`).
        chord_input: whether the model hears the harmony and the beat under each value (the
            chord's root, quality and bass, the next chord, the position in the bar; see
            `apps.jazz.conditioning`) as a second input.
        epochs, batch_size, learning_rate, decay: training; Adam and the decay as the course.
        stride: step between training windows.
        seed: seeds the initial weights and the shuffling.
    """

    midi: list[str] | None = None
    melody_part: int | None = None
    transpose: bool = False
    Tx: int = 30
    n_a: int = 64
    chord_input: bool = True
    epochs: int = 12
    batch_size: int = 32
    learning_rate: float = 0.01
    decay: float = 0.01
    stride: int = 2
    seed: int = 0

