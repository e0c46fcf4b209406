"""The followers' statements, said to the database driver (decision 0055).

A command's followers (the read model, the webhook outbox, the audit chain and their positions) run a
dozen statements in the transaction that saves it. Through SQLAlchemy Core each costs ~155 k
instructions before the driver sees it: a cache key built, an execution context made, the parameters
processed one by one. ``ToTheDriver`` compiles each statement once per kind of engine and set of
parameter names, with SQLAlchemy's own compiler for the engine's dialect (the SQL Core would say),
keeps the columns' own conversions of the parameters, and executes it on the driver's cursor of the
connection, in the transaction the connection is in. ``ThroughSqlAlchemy`` says the same statements
through Core: a test projects the same histories both ways and compares every table, row by row.

What it takes: statements built once (module constants: the compiled form is kept per statement), whose
parameters are values or Python-side constant defaults (no expanding ``IN``, no default computed by a
function) and whose results are plain values (integers and texts, which no engine converts).
"""

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Values = Mapping[str, Any]
Parameters = Values | Sequence[Values] | None

MOST_KEPT = 1_000  # compiled statements kept per engine kind: the followers have a few dozen


class Statements(Protocol):
    """How a follower's statements reach the database."""

    def run(self, connection: Connection, statement: Executable, parameters: Parameters = None) -> None:
        """Execute a statement that changes rows, once per set of parameters given."""

    def rows(self, connection: Connection, statement: Executable, parameters: Values | None = None) -> list[Any]:
        """The rows a query finds, each read by position or by its columns' names."""


class ThroughSqlAlchemy:
    """Every statement through SQLAlchemy Core (``Connection.execute``)."""

    def run(self, connection: Connection, statement: Executable, parameters: Parameters = None) -> None:
        connection.execute(statement, parameters)

    def rows(self, connection: Connection, statement: Executable, parameters: Values | None = None) -> list[Any]:
        return list(connection.execute(statement, parameters).all())


@dataclass
class _Said:
    """A statement as the driver takes it: its SQL, and how each of its parameters is made from the
    values given: (the name it is given under, a value if none is given, the column's conversion)."""

    sql: str
    positional: bool
    names: tuple[str, ...]  # in the order the driver takes them (positional), or their rendered names
    made: tuple[tuple[str, bool, Any, Callable[[Any], Any] | None], ...]  # key, required, fallback, conversion
    row: Any = None  # the named tuple its rows are read into, made at its first query

    def __post_init__(self) -> None:
        # When every parameter must be given (most writes), they are taken together, in C, and only those
        # whose column converts them are converted one by one.
        keys = [key for key, _, _, _ in self.made]
        every_one_given = bool(keys) and all(required for _, required, _, _ in self.made)
        taken: Callable[[Values], Any] = itemgetter(*keys) if len(keys) > 1 else lambda values: (values[keys[0]],)
        self.taken = taken if every_one_given else None
        self.converting = [(index, convert) for index, (_, _, _, convert) in enumerate(self.made) if convert]

    def parameters(self, values: Values) -> tuple[Any, ...] | dict[str, Any]:
        made: list[Any]
        if self.taken is not None:
            made = list(self.taken(values))
            for index, converting in self.converting:
                made[index] = converting(made[index])
        else:
            made = []
            for key, required, fallback, convert in self.made:
                value = values[key] if required else values.get(key, fallback)
                made.append(convert(value) if convert else value)
        return tuple(made) if self.positional else dict(zip(self.names, made, strict=True))


class ToTheDriver:
    """Every statement compiled once per kind of engine, executed on the connection's driver cursor."""

    def __init__(self) -> None:
        self._said: dict[tuple[str, Executable, frozenset[str]], _Said] = {}

    def run(self, connection: Connection, statement: Executable, parameters: Parameters = None) -> None:
        many = [] if parameters is None else [parameters] if isinstance(parameters, Mapping) else list(parameters)
        if not many:
            many = [{}]
        said = self._said_for(connection.dialect, statement, frozenset(many[0]))
        made = [said.parameters(values) for values in many]

        def write(cursor: Any) -> None:
            if len(made) == 1:
                cursor.execute(said.sql, made[0])
            else:
                cursor.executemany(said.sql, made)

        on_cursor(connection, said.sql, write)

    def rows(self, connection: Connection, statement: Executable, parameters: Values | None = None) -> list[Any]:
        said = self._said_for(connection.dialect, statement, frozenset(parameters or {}))

        def read(cursor: Any) -> list[Any]:
            cursor.execute(said.sql, said.parameters(parameters or {}))
            if said.row is None:
                said.row = namedtuple("Row", [column[0] for column in cursor.description], rename=True)  # type: ignore[misc]  # the names are the query's
            return [said.row._make(found) for found in cursor.fetchall()]

        found: list[Any] = on_cursor(connection, said.sql, read)
        return found

    def _said_for(self, dialect: Dialect, statement: Executable, keys: frozenset[str]) -> _Said:
        key = (dialect.name, statement, keys)
        said = self._said.get(key)
        if said is None:
            if len(self._said) >= MOST_KEPT:
                raise RuntimeError("statements said to the driver must be built once, not for every use")
            said = self._said[key] = _say(dialect, statement, keys)
        return said


def on_cursor(connection: Connection, sql: str, work: Callable[[Any], Any]) -> Any:
    """``work`` on a new cursor of the connection's driver, which is to run ``sql``; the driver's errors
    are raised as SQLAlchemy raises them (the same exception classes, a lost connection told as such)."""
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    try:
        return work(cursor)
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
        raise DBAPIError.instance(
            sql, None, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
        ) from error
    finally:
        cursor.close()


def _say(dialect: Dialect, statement: Executable, keys: frozenset[str]) -> _Said:
    compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))  # type: ignore[attr-defined]  # every Executable here is a ClauseElement
    assert isinstance(compiled, SQLCompiler)
    if compiled.literal_execute_params or compiled.post_compile_params:
        raise ValueError(f"not said to the driver (its parameters are rendered at each use): {compiled}")
    defaults: dict[str, Any] = {}  # the columns left out whose default Python gives
    for column, default in [
        *((c, c.default) for c in compiled.insert_prefetch),
        *((c, c.onupdate) for c in compiled.update_prefetch),
    ]:
        if default is None or not default.is_scalar:
            raise ValueError(f"not said to the driver (a default computed at each use): {column}")
        defaults[column.key] = default.arg  # type: ignore[attr-defined]  # a scalar default holds its value
    escaped = getattr(compiled, "escaped_bind_names", {}) or {}
    by_name = {compiled.bind_names[bind]: bind for bind in compiled.binds.values()}
    positional = bool(compiled.positional)
    names = tuple(compiled.positiontup or ()) if positional else tuple(by_name)
    made = []
    for name in names:
        bind = by_name[name]
        required = bind.required and bind.key not in defaults
        fallback = defaults.get(bind.key, None if bind.required else bind.effective_value)
        made.append((bind.key, required, fallback, bind.type.dialect_impl(dialect).bind_processor(dialect)))
    return _Said(
        sql=compiled.string,
        positional=positional,
        names=tuple(escaped.get(name, name) for name in names),
        made=tuple(made),
    )


TO_THE_DRIVER = ToTheDriver()  # the one every follower uses unless told otherwise
