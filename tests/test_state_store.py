"""One contract for every dialogue-state store: memory, SQL on SQLite and SQL on PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.clock import Clock
from handlers.state import MemoryStateStore, SqlStateStore, StateStore
from knowledge.records.models import utcnow
from tests.conftest import open_database


@pytest.fixture
def clock() -> Clock:
    return Clock(utcnow())


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
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
        yield SqlStateStore(db, ttl=ttl, clock=clock)


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
