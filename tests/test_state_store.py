"""One contract for every dialogue-state store: memory, SQL on SQLite and SQL on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.clock import Clock
from handlers import state as state_module
from handlers.state import MemoryStateStore, SqlStateStore, StateStore
from knowledge.records.models import utcnow
from tests.conftest import open_database


@pytest.fixture
def clock() -> Clock:
    return Clock(utcnow())


@pytest.fixture(params=["memory", "sqlite", "sqlite-cached", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> AsyncIterator[StateStore]:
    ttl = dt.timedelta(hours=24)
    if request.param == "memory":
        yield MemoryStateStore(ttl=ttl, clock=clock)
        return
    if request.param == "postgresql":
        opened = open_database("postgresql", tmp_path, url=request.getfixturevalue("postgres_url"))
    else:
        opened = open_database("sqlite", tmp_path, template=request.getfixturevalue("sqlite_template"))
    async with opened as db:
        yield SqlStateStore(db, ttl=ttl, clock=clock, cache=request.param == "sqlite-cached")


async def test_missing_key_reads_none(store: StateStore) -> None:
    assert await store.get("telegram:1") is None
    await store.clear("telegram:1")  # clearing nothing is fine


async def test_set_get_replace_clear(store: StateStore) -> None:
    state = {"flow": "lapor", "step": "lokasi", "draft": {"text": "Jalan berlubang", "lat": -0.95, "photos": []}}
    await store.set("telegram:1", state)
    assert await store.get("telegram:1") == state
    await store.set("telegram:1", {"flow": None})
    assert await store.get("telegram:1") == {"flow": None}
    await store.clear("telegram:1")
    assert await store.get("telegram:1") is None


async def test_keys_are_independent(store: StateStore) -> None:
    await store.set("telegram:1", {"n": 1})
    await store.set("whatsapp:1", {"n": 2})
    await store.clear("telegram:1")
    assert await store.get("whatsapp:1") == {"n": 2}


async def test_stored_data_is_a_copy(store: StateStore) -> None:
    state = {"options": [["Ya", "yes"]]}
    await store.set("web:abc", state)
    state["options"].append(["Tidak", "no"])
    got = await store.get("web:abc")
    assert got == {"options": [["Ya", "yes"]]}
    got["options"].clear()
    assert await store.get("web:abc") == {"options": [["Ya", "yes"]]}


async def test_unicode_and_non_json_data(store: StateStore) -> None:
    await store.set("web:abc", {"text": "Sampah menumpuk 😡 di Pasa Raya", "n": 3, "ok": True, "none": None})
    assert (await store.get("web:abc"))["text"] == "Sampah menumpuk 😡 di Pasa Raya"
    with pytest.raises(TypeError):
        await store.set("web:abc", {"when": dt.date(2026, 3, 6)})


async def test_state_expires_after_ttl(store: StateStore, clock: Clock) -> None:
    await store.set("telegram:1", {"flow": "lapor"})
    clock.now += dt.timedelta(hours=23)
    assert await store.get("telegram:1") == {"flow": "lapor"}
    await store.set("telegram:1", {"flow": "lapor", "step": 2})  # touching it renews it
    clock.now += dt.timedelta(hours=23)
    assert await store.get("telegram:1") == {"flow": "lapor", "step": 2}
    clock.now += dt.timedelta(hours=2)
    assert await store.get("telegram:1") is None


async def test_concurrent_writers_leave_one_whole_value(store: StateStore) -> None:
    await asyncio.gather(*(store.set("telegram:1", {"writer": i, "payload": [i] * 50}) for i in range(10)))
    got = await store.get("telegram:1")
    assert got is not None and got["payload"] == [got["writer"]] * 50


async def test_sql_store_purges_old_states(sqlite_db, clock: Clock) -> None:
    store = SqlStateStore(sqlite_db, clock=clock)
    await store.set("telegram:old", {"n": 1})
    clock.now += dt.timedelta(days=3)
    await store.set("telegram:new", {"n": 2})
    assert await store.purge(clock.now - dt.timedelta(days=1)) == 1
    assert await store.get("telegram:old") is None and await store.get("telegram:new") == {"n": 2}


async def test_concurrent_reads_each_get_their_own_copy(store: StateStore) -> None:
    await store.set("telegram:1", {"options": [["Ya", "yes"]]})
    await store.set("telegram:2", {"n": 2})
    got = await asyncio.gather(*(store.get(k) for k in ("telegram:1", "telegram:1", "telegram:2", "telegram:9")))
    assert got == [{"options": [["Ya", "yes"]]}, {"options": [["Ya", "yes"]]}, {"n": 2}, None]
    got[0]["options"].clear()  # the SQL store reads these together: one SELECT, but never one shared dict
    assert got[1] == {"options": [["Ya", "yes"]]}
    assert await store.get("telegram:1") == {"options": [["Ya", "yes"]]}


# --- SqlStateStore(cache=True): one instance, the table's only writer ------------------------------


async def _delete_behind_its_back(db, key: str) -> None:
    async with db.session() as session:
        await session.execute(text("DELETE FROM conversation_states WHERE key = :k"), {"k": key})
        await session.commit()


@pytest.mark.parametrize("cache", [True, False])
async def test_cached_store_reads_a_committed_state_from_memory(sqlite_db, cache: bool) -> None:
    store = SqlStateStore(sqlite_db, cache=cache)
    await store.set("telegram:1", {"n": 1})
    await _delete_behind_its_back(sqlite_db, "telegram:1")
    # The cached store does not read the table again (which is why only a sole writer may cache).
    assert await store.get("telegram:1") == ({"n": 1} if cache else None)


async def test_cached_store_fills_from_a_read_and_keeps_copies_apart(sqlite_db) -> None:
    await SqlStateStore(sqlite_db).set("telegram:1", {"options": [["Ya", "yes"]]})  # written by an earlier run
    store = SqlStateStore(sqlite_db, cache=True)
    first = await store.get("telegram:1")
    await _delete_behind_its_back(sqlite_db, "telegram:1")
    first["options"].clear()
    assert await store.get("telegram:1") == {"options": [["Ya", "yes"]]}


async def test_cached_store_never_serves_a_write_that_was_rolled_back(sqlite_db) -> None:
    store = SqlStateStore(sqlite_db, cache=True)
    await store.set("telegram:1", {"step": 1})
    async with sqlite_db.session() as session:
        await store.set_in(session, "telegram:1", {"step": 2})
        await session.rollback()
    assert await store.get("telegram:1") == {"step": 1}
    with pytest.raises(RuntimeError):
        async with sqlite_db.hot() as conn:
            await store.set_many_in(conn, [("telegram:1", {"step": 3})])
            raise RuntimeError("the group commit failed")
    assert await store.get("telegram:1") == {"step": 1}
    async with sqlite_db.hot() as conn:
        await store.set_many_in(conn, [("telegram:1", {"step": 4})])
    store.committed([("telegram:1", {"step": 4})])
    await _delete_behind_its_back(sqlite_db, "telegram:1")
    assert await store.get("telegram:1") == {"step": 4}


async def test_cached_store_forgets_cleared_and_purged_states(sqlite_db) -> None:
    store = SqlStateStore(sqlite_db, cache=True)
    await store.set("telegram:1", {"n": 1})
    await store.set("telegram:2", {"n": 2})
    await store.clear("telegram:1")
    assert await store.get("telegram:1") is None
    assert await store.purge(utcnow() + dt.timedelta(seconds=1)) == 1
    assert await store.get("telegram:2") is None


async def test_cached_store_keeps_at_most_max_cached_residents(sqlite_db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_module, "MAX_CACHED", 2)
    store = SqlStateStore(sqlite_db, cache=True)
    for n in range(3):
        await store.set(f"telegram:{n}", {"n": n})
    assert len(store._cache) == 2  # the least recently used one went
    assert [await store.get(f"telegram:{n}") for n in range(3)] == [{"n": 0}, {"n": 1}, {"n": 2}]
