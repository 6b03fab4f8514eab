"""What every app's config dataclass shares: a JSON round trip that names unknown settings and
settings of the wrong type."""

import dataclasses
import math
import types
import typing

from datasets.errors import InputError


class JsonConfig:
    """Mixin for a plain `@dataclass` config: `to_dict()` and `from_dict()` for config.json.

    Every value read back must have its field's annotated type (`int`, `float`, `str`, `bool`,
    `X | None`, `list[X]`, `tuple[X, ...]`), so an edited config.json with `"units": "lots"` is
    one clear error rather than a model built wrong. Fields whose default is a tuple come back
    as tuples (JSON has only lists).
    """

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values, source="config"):
        """A config from a dict written by `to_dict`; unknown keys and values of the wrong type
        are the user's to fix."""
        if not isinstance(values, dict):
            raise InputError(f"{source}: expected a JSON object of settings")
        fields = {field.name: field for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - set(fields))
        if unknown:
            raise InputError(f"{source}: unknown settings {', '.join(unknown)}")
        hints = typing.get_type_hints(cls)
        values = dict(values)
        for name, value in values.items():
            hint = hints.get(name, typing.Any)
            if not _fits(value, hint):
                raise InputError(
                    f"{source}: {name} is {value!r}, expected {_describe(hint)}"
                )
            if isinstance(fields[name].default, tuple) and isinstance(value, list):
                values[name] = tuple(value)
        return cls(**values)


def _fits(value, hint):
    if hint is typing.Any:
        return True
    if hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arm) for arm in typing.get_args(hint))
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number and math.isfinite(value)
    if hint is str:
        return isinstance(value, str)
    if origin in (list, tuple):
        args = typing.get_args(hint)
        if not isinstance(value, list | tuple):
            return False
        if origin is tuple and args and args[-1] is not Ellipsis:
            return len(value) == len(args) and all(map(_fits, value, args))
        return all(_fits(item, args[0]) for item in value) if args else True
    if origin is dict or hint is dict:
        return isinstance(value, dict)
    return True


def _describe(hint):
    if hint is type(None):
        return "null"
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(arm) for arm in typing.get_args(hint))
    if origin in (list, tuple):
        args = typing.get_args(hint)
        return f"a list, each item {_describe(args[0])}" if args else "a list"
    names = {bool: "true or false", int: "an integer", float: "a finite number", str: "a string"}
    return names.get(hint, getattr(hint, "__name__", str(hint)))
