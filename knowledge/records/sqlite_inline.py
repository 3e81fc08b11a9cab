"""SQLite on the event loop's own thread: the aiosqlite interface without aiosqlite's thread.

SQLAlchemy's `sqlite+aiosqlite` dialect drives aiosqlite, which runs every driver call (cursor,
execute, fetch, close, commit) in a helper thread and wakes the event loop when it is done. On a
chat bot's short transactions those hand-offs cost far more than SQLite itself: a turn's state
read took ~1 ms, of which SQLite needed ~20 µs. `connect` returns an object with the same
awaitable methods that calls `sqlite3` directly, so each call costs what SQLite costs.

What this trades:
- A statement blocks the loop while SQLite runs it. The bot's statements are short (index
  lookups, small inserts); the admin dashboard's aggregates take up to ~100 ms at 100,000
  events, which the loop would otherwise have spent waiting for the one connection anyway.
- Waiting for another process's write lock (the CLI while `serve` runs) must not block the loop:
  the connection's busy timeout is 0 and a busy statement is retried here with `asyncio.sleep`
  until `busy_timeout` seconds have passed, then the "database is locked" error is raised.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterable, Sequence
from typing import Any

BUSY_RETRY_START = 0.001  # seconds before the first retry of a busy statement; doubles up to the cap
BUSY_RETRY_CAP = 0.05


def _busy(exc: sqlite3.OperationalError) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or \
        "database is locked" in str(exc)


class InlineCursor:
    """An aiosqlite-style cursor whose awaitables complete at once."""

    def __init__(self, owner: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._owner = owner
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        await self._owner.retry_busy(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        rows = list(parameters)  # a retry needs them again
        await self._owner.retry_busy(self._cursor.executemany, sql, rows)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class InlineConnection:
    """An aiosqlite-style connection that runs `sqlite3` calls on the calling thread."""

    inline = True  # lets set-up code tell this apart from an aiosqlite connection

    def __init__(self, conn: sqlite3.Connection, busy_timeout: float) -> None:
        self._conn = conn
        self.busy_timeout = busy_timeout
        self._closed = False

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The sqlite3 connection itself (knowledge.records.hot runs statements on it)."""
        return self._conn

    @property
    def _connection(self) -> sqlite3.Connection | None:
        """The open sqlite3 connection, None once closed (SQLAlchemy's adapter looks here, as in aiosqlite)."""
        return None if self._closed else self._conn

    async def retry_busy(self, call: Any, *args: Any) -> Any:
        """Run a sqlite3 call; while another process holds the lock, retry it without blocking the loop."""
        deadline = time.monotonic() + self.busy_timeout
        delay = BUSY_RETRY_START
        while True:
            try:
                return call(*args)
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(BUSY_RETRY_CAP, delay * 2)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        await self.retry_busy(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate)."""
        self._closed = True
        self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level


def connector(database: str, *, busy_timeout: float, uri: bool = False) -> Any:
    """Return an `async_creator` for `create_async_engine` that opens inline connections.

    The connection leaves transaction control to its user (isolation_level None: SQLAlchemy's
    `begin` hook issues BEGIN IMMEDIATE) and never waits inside SQLite (busy_timeout 0).
    """
    async def create() -> InlineConnection:
        conn = sqlite3.connect(database, uri=uri, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=0")
        return InlineConnection(conn, busy_timeout)

    return create
