"""Exactly-once inbound handling and replay after a crash."""

from __future__ import annotations

import asyncio
import datetime as dt

from knowledge.records import inbound
from knowledge.records.db import Database
from knowledge.records.models import utcnow


async def test_a_message_is_new_only_once(database: Database) -> None:
    assert await inbound.remember(database, "telegram", "1001", {"update_id": 1001})
    assert not await inbound.remember(database, "telegram", "1001", {"update_id": 1001})
    assert await inbound.remember(database, "whatsapp", "1001")  # ids are per channel


async def test_concurrent_deliveries_of_one_message_are_handled_once(database: Database) -> None:
    results = await asyncio.gather(*(inbound.remember(database, "whatsapp", "wamid.X") for _ in range(6)))
    assert sorted(results) == [False] * 5 + [True]


async def test_pending_messages_are_replayed_then_given_up(database: Database) -> None:
    for i in (1, 2, 3):
        await inbound.remember(database, "telegram", str(i), {"n": i})
    await inbound.mark_done(database, "telegram", "2")
    later = utcnow() + dt.timedelta(seconds=120)
    assert await inbound.pending(database, "telegram", 60) == []  # too recent
    rows = await inbound.pending(database, "telegram", 60, now=later)
    assert [(r.message_id, r.payload, r.attempts) for r in rows] == [("1", {"n": 1}, 2), ("3", {"n": 3}, 2)]
    await inbound.mark_failed(database, "telegram", "3")
    assert [r.message_id for r in await inbound.pending(database, "telegram", 60, now=later)] == ["1"]
    # Replayed three times in all without mark_done: it must be crashing the bot; give up.
    assert await inbound.pending(database, "telegram", 60, now=later) == []
    assert await inbound.purge(database, later) == 3
