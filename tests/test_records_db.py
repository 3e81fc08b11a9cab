"""The Database: concurrent writers on SQLite never see "database is locked"; sessions behave."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from handlers.state import SqlStateStore
from knowledge.records.db import Database, NestedTransactionError
from knowledge.records.events import EventRecorder
from knowledge.records.models import EventRow, ResidentRow
from knowledge.records.residents import get_or_create_resident


async def conversation_load(db: Database, residents: int, turns: int) -> list[str]:
    """Run turns shaped like the bot's (state read, read-then-write transaction, state write)."""
    recorder, state, errors = EventRecorder("k" * 20), SqlStateStore(db), []

    async def resident(i: int) -> None:
        for t in range(turns):
            try:
                await state.get(f"test:{i}")
                async with db.session() as s:
                    # Read first, then write: the pattern that fails on SQLite with plain deferred BEGIN.
                    await s.scalar(select(func.count()).select_from(EventRow).where(EventRow.channel == "test"))
                    await asyncio.sleep(0)  # let other turns run between the read and the write
                    row = await get_or_create_resident(s, "test", str(i), f"Warga {i}")
                    await recorder.record(s, channel="test", external_id=str(row.id), kind="question", text="ktp")
                    await s.commit()
                await state.set(f"test:{i}", {"turn": t})
            except Exception as exc:  # noqa: BLE001 - collected and asserted on
                errors.append(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(resident(i) for i in range(residents)))
    return errors


async def test_fifty_concurrent_residents_on_sqlite(sqlite_db: Database) -> None:
    assert await conversation_load(sqlite_db, residents=50, turns=4) == []
    async with sqlite_db.session() as s:
        assert await s.scalar(select(func.count()).select_from(EventRow)) == 200
        assert await s.scalar(select(func.count()).select_from(ResidentRow)) == 50


async def test_two_processes_writing_one_sqlite_file(sqlite_db: Database) -> None:
    # A second engine on the same file stands in for the CLI writing while `serve` runs.
    other = Database(sqlite_db.url)
    try:
        results = await asyncio.gather(conversation_load(sqlite_db, 20, 3), conversation_load(other, 20, 3))
    finally:
        await other.dispose()
    assert results == [[], []]


async def test_concurrent_load_on_postgresql(pg_db: Database) -> None:
    assert await conversation_load(pg_db, residents=50, turns=2) == []


async def test_nested_transaction_on_sqlite_fails_fast(sqlite_db: Database) -> None:
    async with sqlite_db.session() as outer:
        async with sqlite_db.session() as unused:  # no transaction open yet: allowed
            assert not unused.in_transaction()
        await get_or_create_resident(outer, "test", "1")
        with pytest.raises(NestedTransactionError):
            async with sqlite_db.session():
                pass
        await outer.commit()
        async with sqlite_db.session() as after_commit:  # the connection is free again
            assert await after_commit.scalar(select(func.count()).select_from(ResidentRow)) == 1


async def test_sessions_do_not_expire_on_commit(database: Database) -> None:
    async with database.session() as s:
        row = await get_or_create_resident(s, "test", "7", "Siti")
        await s.commit()
    assert row.display_name == "Siti"  # readable after the session closed
    assert database.dialect in ("sqlite", "postgresql") and await database.ping()


async def test_leaving_a_session_rolls_back_and_frees_the_connection(database: Database) -> None:
    # Closing is skipped only for a session that never touched the database; one left mid-transaction
    # (here without a commit) must still be rolled back and give the connection back (SQLite has one).
    async with database.session() as s:
        await get_or_create_resident(s, "test", "8", "Budi")
    async with database.session() as s:
        assert await s.scalar(select(func.count()).select_from(ResidentRow)) == 0
    with pytest.raises(RuntimeError, match="boom"):
        async with database.session() as s:
            await get_or_create_resident(s, "test", "9", "Rina")
            raise RuntimeError("boom")
    async with asyncio.timeout(5), database.hot() as conn:  # would wait for the pool if still held
        assert (await conn.execute(select(func.count()).select_from(ResidentRow))).all()[0][0] == 0
    async with database.session() as s:
        row = await get_or_create_resident(s, "test", "10", "Andi")
        await s.commit()
    assert row.display_name == "Andi"
