"""Several instances on one PostgreSQL database: a resident's turns never overlap (resident leases)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from handlers.context import Turn
from handlers.dispatch import Dispatcher
from handlers.messages import InboundMessage, Reply
from handlers.state import SqlStateStore
from knowledge.records.db import Database
from knowledge.records.leases import LeaseTimeout, ResidentLeases, key_hash
from tests.conftest_chat import make_services

pytestmark = pytest.mark.postgres
TURNS = 6


async def slow_counter(turn: Turn) -> list[Reply]:
    """Count the resident's turns in the dialogue state, slowly (like a turn that downloads a photo)."""
    seen = turn.state.get("turns", 0)
    await asyncio.sleep(0.03)  # time enough for another instance to start the same resident's turn
    turn.state["turns"] = seen + 1
    return [Reply(f"giliran {seen + 1}")]


async def slow_counter_with_session(turn: Turn) -> list[Reply]:
    """The same, using the turn's session too (such turns commit their own transaction)."""
    replies = await slow_counter(turn)
    await turn.session.execute(select(1))
    return replies


@pytest.fixture
async def second_instance(pg_db: Database) -> AsyncIterator[Database]:
    """Another instance's connections to the same database."""
    other = Database(pg_db.url, schema=pg_db.schema)
    yield other
    await other.dispose()


@pytest.mark.parametrize("feature", [slow_counter, slow_counter_with_session])
async def test_two_instances_take_turns_with_one_resident(pg_db: Database, second_instance: Database,
                                                          tmp_path: Path, feature) -> None:
    instances = []
    for name, db in (("a", pg_db), ("b", second_instance)):
        services = await make_services(db, tmp_path / name)
        instances.append(Dispatcher(services, (feature,), rate_limit_per_minute=10_000, leases=ResidentLeases(db)))
    messages = [InboundMessage(channel="test", user_id="warga-1", text=f"pesan {i}") for i in range(TURNS)]
    try:
        # A load balancer hands the resident's quick messages to both instances at once.
        replies = await asyncio.gather(*(instances[i % 2].handle(m) for i, m in enumerate(messages)))
    finally:
        for dispatcher in instances:
            await dispatcher.leases.close()
    assert sorted(r[-1].text for r in replies) == [f"giliran {n}" for n in range(1, TURNS + 1)]
    assert (await SqlStateStore(pg_db).get("test:warga-1"))["turns"] == TURNS  # no step lost


async def test_a_taken_lease_waits_for_its_release(pg_db: Database, second_instance: Database) -> None:
    first, second = ResidentLeases(pg_db), ResidentLeases(second_instance)
    try:
        assert await first.try_acquire("telegram:1")
        assert await second.try_acquire("telegram:2")  # another resident is not held up
        assert not await second.try_acquire("telegram:1")
        waiting = asyncio.create_task(second.acquire("telegram:1"))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        await first.release("telegram:1")
        await asyncio.wait_for(waiting, 2)
        assert not await first.try_acquire("telegram:1")
    finally:
        await first.close()
        await second.close()


async def test_a_dead_instance_frees_its_leases(pg_db: Database, second_instance: Database) -> None:
    survivor, dying = ResidentLeases(pg_db), ResidentLeases(second_instance, wait=0.2)
    try:
        assert await dying.try_acquire("whatsapp:628")
        survivor.wait = 0.2
        with pytest.raises(LeaseTimeout):
            await survivor.acquire("whatsapp:628")
        survivor.wait = 60.0
        await dying.close()  # its connection is gone, as when the process dies
        await asyncio.wait_for(survivor.acquire("whatsapp:628"), 2)
    finally:
        await survivor.close()
        await dying.close()


def test_keys_hash_to_stable_32_bit_numbers() -> None:
    assert key_hash("telegram:1") == key_hash("telegram:1") != key_hash("telegram:2")
    assert all(-2**31 <= key_hash(f"web:{i}") < 2**31 for i in range(1000))


def test_leases_refuse_sqlite(sqlite_db: Database) -> None:
    with pytest.raises(ValueError, match="PostgreSQL"):
        ResidentLeases(sqlite_db)
