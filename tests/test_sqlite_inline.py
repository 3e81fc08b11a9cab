"""The inline SQLite driver: SQLite calls on the loop's thread, lock waits that do not block the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from knowledge.records import sqlite_inline
from knowledge.records.db import Database


async def _ticks_while(work: asyncio.Future | asyncio.Task, every: float = 0.005) -> int:
    """Count how often the loop ran another task while `work` was pending."""
    ticks = 0
    while not work.done():
        await asyncio.sleep(every)
        ticks += 1
    return ticks


async def test_a_write_waits_for_another_process_without_blocking_the_loop(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    await db.migrate()
    other = sqlite3.connect(tmp_path / "x.db", isolation_level=None)  # plays the CLI in another process
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")

    async def write() -> None:
        async with db.session() as session:
            await session.execute(text("INSERT INTO meta (key, value) VALUES ('b', '2')"))
            await session.commit()

    task = asyncio.create_task(write())
    asyncio.get_running_loop().call_later(0.3, other.commit)
    started = time.monotonic()
    ticks = await _ticks_while(task)
    await task
    assert time.monotonic() - started >= 0.29  # it did wait for the lock...
    assert ticks >= 20  # ...while the loop kept running other work
    async with db.session() as session:
        keys = set((await session.scalars(text("SELECT key FROM meta"))).all())
    assert {"a", "b"} <= keys
    other.close()
    await db.dispose()


async def test_a_lock_held_too_long_fails_with_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "y.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    conn = await sqlite_inline.connector(str(path), busy_timeout=0.1)()
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        await conn.execute("BEGIN IMMEDIATE")
    assert 0.09 <= time.monotonic() - started < 1.0
    other.rollback()
    await conn.execute("BEGIN IMMEDIATE")  # free again
    await (await conn.execute("INSERT INTO t VALUES (1)")).close()
    await conn.commit()
    assert conn._connection is not None
    await conn.close()
    assert conn._connection is None
    other.close()


async def test_cursor_returns_rows_and_metadata(tmp_path: Path) -> None:
    conn = await sqlite_inline.connector(str(tmp_path / "z.db"), busy_timeout=1.0)()
    await conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    cursor = await conn.cursor().executemany("INSERT INTO t (name) VALUES (?)", iter([("a",), ("b",), ("c",)]))
    assert cursor.rowcount == 3
    cursor = await conn.execute("SELECT id, name FROM t ORDER BY id")
    assert [d[0] for d in cursor.description] == ["id", "name"]
    assert await cursor.fetchone() == (1, "a")
    assert await cursor.fetchmany(1) == [(2, "b")]
    assert await cursor.fetchall() == [(3, "c")]
    await conn.close()
