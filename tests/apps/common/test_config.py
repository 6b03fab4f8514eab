from dataclasses import dataclass

import pytest

from apps.common.config import JsonConfig
from datasets.errors import InputError


@dataclass
class Settings(JsonConfig):
    units: int = 4
    rate: float = 0.1
    cell: str = "lstm"
    shuffle: bool = True
    files: list[str] | None = None
    widths: tuple[int, ...] = (2, 3)
    layers: int | None = None


def test_a_round_trip_keeps_every_setting():
    settings = Settings(units=8, files=["a.mid"], widths=(4,), layers=2)
    assert Settings.from_dict(settings.to_dict()) == settings


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"units": "lots"}, "units is 'lots', expected an integer"),
        ({"units": 4.5}, "units is 4.5"),
        ({"units": True}, "units is True"),
        ({"rate": "fast"}, "rate is 'fast', expected a finite number"),
        ({"rate": float("nan")}, "rate is nan"),
        ({"shuffle": 1}, "shuffle is 1, expected true or false"),
        ({"files": "a.mid"}, "files is 'a.mid', expected a list, each item a string or null"),
        ({"files": [1]}, "files is \\[1\\]"),
        ({"widths": ["2"]}, "widths is \\['2'\\]"),
        ({"layers": "two"}, "layers is 'two', expected an integer or null"),
        ({"size": 3}, "unknown settings size"),
    ],
)
def test_a_setting_of_the_wrong_type_is_one_input_error(values, message):
    with pytest.raises(InputError, match=message):
        Settings.from_dict(values, source="config.json")


def test_integers_are_numbers_and_none_is_allowed_where_declared():
    settings = Settings.from_dict({"rate": 1, "layers": None, "files": None})
    assert settings.rate == 1 and settings.layers is None
