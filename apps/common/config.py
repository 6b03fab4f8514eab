"""What every app's config dataclass shares: a JSON round trip that names unknown settings."""

import dataclasses

from datasets.errors import InputError


class JsonConfig:
    """Mixin for a plain `@dataclass` config: `to_dict()` and `from_dict()` for config.json.

    Fields whose default is a tuple come back as tuples (JSON has only lists).
    """

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values, source="config"):
        """A config from a dict written by `to_dict`; unknown keys are the user's to fix."""
        if not isinstance(values, dict):
            raise InputError(f"{source}: expected a JSON object of settings")
        fields = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise InputError(f"{source}: unknown settings {', '.join(unknown)}")
        values = dict(values)
        for name, value in values.items():
            if isinstance(fields[name].default, tuple) and isinstance(value, list):
                values[name] = tuple(value)
        return cls(**values)
