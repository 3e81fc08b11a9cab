"""Short transactions on a turn's hot path, without SQLAlchemy's per-execution work on SQLite.

Every question a resident asks runs up to three small transactions: the inbound journal's remember
(polling), the state read and the turn commit (`handlers.commit`). On SQLite each cost ~0.25 ms in
SQLAlchemy's execution machinery (pool check-out, greenlet hops, cache keys, parameter
processing) for ~10 µs of SQLite work, and at one resident this is what the bot's throughput
is made of. `Database.hot()` gives those transactions a connection with one method,
`execute(statement, parameters)`:

- PostgreSQL: the engine's own `AsyncConnection` in `engine.begin()`, unchanged.
- SQLite: `InlineHotConnection`, which still takes the pool's one connection in turn (so it never
  interleaves with another task's transaction) but runs the statements on the raw `sqlite3`
  connection. Each Core statement is compiled once for the dialect, and SQLAlchemy's own bind
  and result processors (JSON, DateTime) convert the values, so the rows written and read are
  exactly those the engine would write and read (tests/test_records_hot.py compares them).

The state read, one SELECT, uses `hot(write=False)`: on SQLite it runs outside a transaction, without
BEGIN IMMEDIATE's write lock (a lone statement is its own transaction; WAL readers need no lock).

The SQLite side is meant for what the hot statements use: INSERT (one row or many; RETURNING read
per parameter set), ON CONFLICT, UPDATE, DELETE and SELECT, bound parameters including expanding
`IN` lists. A column left to a Python-side default, an empty `IN` list or a write in
`hot(write=False)` raises `NotImplementedError`; a missing bound parameter raises `KeyError`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

Params = dict[str, Any] | Sequence[dict[str, Any]] | None

MAX_CACHED = 256  # compiled statements kept per database


class HotResult:
    """The rows a statement returned (tuples, values already converted)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self._rows = rows

    def all(self) -> list[tuple[Any, ...]]:
        return self._rows

    def scalars(self) -> HotResult:
        return HotResult([row[0] for row in self._rows])


class _Compiled:
    """One statement compiled for SQLite with a given set of parameter names."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            raise NotImplementedError("hot statements must give every column a value (no Python-side defaults)")
        self.sql: str = compiled.string
        self.names: list[str] = list(compiled.positiontup or ())
        binds = compiled.binds
        self.fixed: dict[str, Any] = {name: binds[name].effective_value for name in self.names}
        self.required = {name for name in self.names if binds[name].required}
        self.processors: dict[str, Callable[[Any], Any]] = {}
        for name in set(self.names):
            processor = binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor
        self.expanding = {name for name in self.names if binds[name].expanding}
        columns = getattr(statement, "exported_columns", ())  # a SELECT's columns, or what RETURNING returns
        self.results: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
        self.returns_rows = bool(self.results)
        self.statement = statement  # kept alive, so the cache's id() key stays its own

    def bind(self, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """Return the SQL and its positional values for one parameter set."""
        sql = self.sql
        values: list[Any] = []
        for name in self.names:
            if name in params:
                value = params[name]
            elif name in self.required:
                raise KeyError(f"no value for the bound parameter {name!r}")
            else:
                value = self.fixed[name]
            process = self.processors.get(name)
            if name in self.expanding:
                items = list(value)
                if not items:
                    raise NotImplementedError("an empty IN list")
                sql = sql.replace(f"(__[POSTCOMPILE_{name}])", "(" + ", ".join("?" * len(items)) + ")", 1)
                values.extend(process(item) if process else item for item in items)
            else:
                values.append(process(value) if process else value)
        return sql, values

    def row(self, raw: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(process(value) if process else value
                     for process, value in zip(self.results, raw, strict=True)) if self.results else raw


class InlineHotConnection:
    """Run Core statements straight on SQLite's connection, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, dialect: Dialect, cache: dict[Any, _Compiled], *,
                 readonly: bool = False) -> None:
        self.connection = conn
        self.dialect = dialect
        self.readonly = readonly  # outside a transaction (Database.hot(write=False)): SELECT only
        self._cache = cache

    def _compiled(self, statement: ClauseElement, keys: Sequence[str]) -> _Compiled:
        cache_key = (id(statement), tuple(keys))
        found = self._cache.get(cache_key)
        if found is None:
            if len(self._cache) >= MAX_CACHED:  # hot statements are built once; anything else must not pile up
                self._cache.clear()
            found = self._cache[cache_key] = _Compiled(statement, self.dialect, keys)
        return found

    async def execute(self, statement: ClauseElement, parameters: Params = None) -> HotResult:
        """Execute `statement` once per parameter set; return the rows it returned."""
        if self.readonly and not statement.is_select:
            raise NotImplementedError("hot(write=False) runs outside a transaction: SELECT only")
        many = parameters if isinstance(parameters, list | tuple) else [parameters or {}]
        if not many:
            return HotResult([])
        compiled = self._compiled(statement, sorted(many[0]))
        rows: list[tuple[Any, ...]] = []
        cursor = self.connection.cursor()
        try:
            if not compiled.returns_rows and not compiled.expanding and len(many) > 1:
                cursor.executemany(compiled.sql, [compiled.bind(params)[1] for params in many])
                return HotResult([])
            for params in many:
                sql, values = compiled.bind(params)
                cursor.execute(sql, values)
                if compiled.returns_rows:
                    rows.extend(compiled.row(raw) for raw in cursor.fetchall())
        finally:
            cursor.close()
        return HotResult(rows)
