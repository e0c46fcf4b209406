"""Reading an enumerated value from user input."""

from enum import Enum
from typing import TypeVar

from domain.errors import InvalidValue

E = TypeVar("E", bound=Enum)


def choice(enum_class: type[E], value: object, field_name: str) -> E:
    if isinstance(value, enum_class):
        return value
    try:
        return enum_class(value)
    except ValueError:
        options = ", ".join(str(member.value) for member in enum_class)
        raise InvalidValue(
            "unknown value {value!r}; use one of {options}", field_name, value=value, options=options
        ) from None
