"""The hot path's transactions (knowledge.records.hot): on SQLite the same rows as the engine writes.

`Database.hot()` runs a turn's statements straight on SQLite's connection with SQLAlchemy's own
compiled SQL and value processors. These tests write the same things once through the engine and
once through `hot()` and compare the stored rows byte for byte, read them back both ways, and check
the transaction's edges: rollback on error, taking turns with sessions on the one connection,
statements it does not support. PostgreSQL's `hot()` is the engine's own connection; the state
store and turn commit tests run on both databases.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select, update

from bot.channels.telegram_journal import InboundJournal
from handlers.state import SqlStateStore
from knowledge.records.db import Database
from knowledge.records.events import EventRecorder
from knowledge.records.models import ConversationStateRow, InboundRow, ResidentRow
from knowledge.records.residents import ResidentTouch, touch_residents
from tests.conftest import open_database

NOW = dt.datetime(2026, 12, 7, 4, 30, 15, 123456, tzinfo=dt.timezone.utc)
TABLES = ("residents", "events", "conversation_states", "inbound")


async def _write_a_turn(conn: Any, db: Database) -> set[str]:
    """Write what a question turn and the inbound journal write; return the journal's new ids."""
    events = EventRecorder("k" * 32)
    states = SqlStateStore(db, clock=lambda: NOW)
    journal = InboundJournal(db, "telegram")
    await touch_residents(conn, [ResidentTouch("telegram", "42", "Siti"), ResidentTouch("telegram", "43")], now=NOW)
    await touch_residents(conn, [ResidentTouch("telegram", "42", None, "+6281234567890")], now=NOW)
    await events.insert_many(conn, [
        events.values(channel="telegram", external_id="42", kind="question", outcome="answer", faq_key="dukcapil/ktp",
                      opd="dukcapil", score=0.8125, answered=True, latency_ms=3.5, text="cara bikin ktp",
                      data={"lang": "id", "n": [1, 2]}, created_at=NOW),
        events.values(channel="telegram", external_id="43", kind="question", outcome="abstain", created_at=NOW)])
    await states.set_many_in(conn, [("telegram:42", {"flow": None, "last": {"faq": "x", "s": 0.5}}),
                                    ("telegram:43", {"é": "ünï", "list": []})])
    rows = [{"channel": "telegram", "message_id": m, "payload": p, "status": "pending", "attempts": 1,
             "received_at": NOW} for m, p in (("1", {"update_id": 1}), ("2", None), ("1", {"again": True}))]
    inserted = {mid for _, mid in (await conn.execute(journal._insert.on(conn), rows)).all()}
    await conn.execute(journal._mark_done, {"b_channel": "telegram", "b_ids": ["2", "9"], "b_now": NOW})
    return inserted


def _dump(path: str) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


async def test_hot_writes_the_rows_the_engine_writes(tmp_path: Path, sqlite_template: Path) -> None:
    async with open_database("sqlite", tmp_path, template=sqlite_template) as by_engine, \
            open_database("sqlite", tmp_path, template=sqlite_template) as by_hot:
        async with by_engine.engine.begin() as conn:
            from_engine = await _write_a_turn(conn, by_engine)
        async with by_hot.hot() as conn:
            from_hot = await _write_a_turn(conn, by_hot)
        assert from_hot == from_engine == {"1", "2"}
        engine_rows, hot_rows = (_dump(db.engine.url.database) for db in (by_engine, by_hot))
    assert all(engine_rows[t] for t in TABLES)
    assert hot_rows == engine_rows


async def test_hot_reads_values_like_the_engine(database: Database) -> None:
    async with database.hot() as conn:
        await _write_a_turn(conn, database)
    table = ConversationStateRow.__table__
    query = (select(table.c.key, table.c.data, table.c.updated_at)
             .where(table.c.key.in_(bindparam("keys", expanding=True))).order_by(table.c.key))
    keys = {"keys": ["telegram:43", "telegram:42", "nobody"]}
    async with database.hot() as conn:
        hot_rows = [tuple(row) for row in (await conn.execute(query, keys)).all()]
    async with database.engine.begin() as conn:
        engine_rows = [tuple(row) for row in (await conn.execute(query, keys)).all()]
    assert hot_rows == engine_rows
    assert hot_rows[0] == ("telegram:42", {"flow": None, "last": {"faq": "x", "s": 0.5}}, NOW)
    assert hot_rows[1][1] == {"é": "ünï", "list": []}
    async with database.session() as session:
        resident = await session.scalar(select(ResidentRow).where(ResidentRow.external_id == "42"))
        assert (resident.display_name, resident.phone, resident.last_inbound_at) == ("Siti", "+6281234567890", NOW)
        done = await session.scalar(select(InboundRow).where(InboundRow.message_id == "2"))
        assert (done.status, done.done_at, done.payload) == ("done", NOW, None)


async def test_an_error_rolls_the_whole_transaction_back(database: Database) -> None:
    states = SqlStateStore(database)
    with pytest.raises(RuntimeError):
        async with database.hot() as conn:
            await states.set_many_in(conn, [("web:1", {"a": 1})])
            raise RuntimeError("the turn failed")
    assert await states.get("web:1") is None
    async with database.hot() as conn:  # the connection is usable afterwards
        await states.set_many_in(conn, [("web:1", {"a": 2})])
    assert await states.get("web:1") == {"a": 2}


async def test_hot_waits_for_a_session_holding_sqlites_connection(sqlite_db: Database) -> None:
    states = SqlStateStore(sqlite_db)
    session_has_written = asyncio.Event()

    async def session_that_rolls_back() -> None:
        async with sqlite_db.session() as session:
            await states.set_in(session, "web:session", {"kept": False})
            session_has_written.set()
            await asyncio.sleep(0.05)  # hot() must wait: it would otherwise join this transaction
            await session.rollback()

    async def hot_writer() -> None:
        await session_has_written.wait()
        async with sqlite_db.hot() as conn:
            await states.set_many_in(conn, [("web:hot", {"kept": True})])

    await asyncio.gather(session_that_rolls_back(), hot_writer())
    assert await states.get("web:session") is None
    assert await states.get("web:hot") == {"kept": True}


async def test_unsupported_statements_are_refused(sqlite_db: Database) -> None:
    table = InboundRow.__table__
    missing_bind = update(table).where(table.c.message_id == bindparam("b_id")).values(status="done")
    python_default = insert(table)  # received_at has a Python-side default, which hot() does not compute
    async with sqlite_db.hot() as conn:
        with pytest.raises(KeyError, match="b_id"):
            await conn.execute(missing_bind, {})
        with pytest.raises(NotImplementedError):
            await conn.execute(python_default, {"channel": "web", "message_id": "1"})
        with pytest.raises(NotImplementedError):
            await conn.execute(select(table).where(table.c.id.in_(bindparam("ids", expanding=True))), {"ids": []})
    async with sqlite_db.hot(write=False) as conn:  # a lone SELECT, outside a transaction
        assert (await conn.execute(select(table.c.id))).all() == []
        with pytest.raises(NotImplementedError, match="SELECT only"):
            await conn.execute(update(table).values(status="done"))
