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


async def test_claims_are_recorded_done_in_the_callers_transaction(database: Database) -> None:
    from handlers.messages import Claim
    from knowledge.records.db import Prepared
    from knowledge.records.models import InboundRow
    from sqlalchemy import select

    statement = Prepared(inbound.insert_statement)
    assert await inbound.remember(database, "telegram", "2")
    claims = [Claim("telegram", "1"), Claim("telegram", "2"), Claim("telegram", "1"), Claim("whatsapp", "1")]
    async with database.session() as s:
        await inbound.commit_claims(s, claims, statement.on(s))
        await s.rollback()  # nothing recorded: the same claims are new again
    async with database.session() as s:
        await inbound.commit_claims(s, claims, statement.on(s))
        await s.commit()
    assert [c.new for c in claims] == [True, False, False, True]  # seen before, or twice in one go
    async with database.hot() as conn:  # the turn commit's connection takes them too
        later = [Claim("telegram", "1"), Claim("telegram", "3")]
        await inbound.commit_claims(conn, later, statement.on(conn))
    assert [c.new for c in later] == [False, True]
    async with database.session() as s:
        rows = (await s.execute(select(InboundRow.channel, InboundRow.message_id, InboundRow.status)
                                .order_by(InboundRow.channel, InboundRow.message_id))).all()
    assert [tuple(r) for r in rows] == [("telegram", "1", "done"), ("telegram", "2", "pending"),
                                        ("telegram", "3", "done"), ("whatsapp", "1", "done")]


async def test_replies_of_a_turn_never_sent_are_queued_once(database: Database) -> None:
    from handlers.messages import Claim, Reply, reply_to_payload
    from knowledge.records.db import Prepared
    from knowledge.records.models import InboundRow, OutboxRow
    from knowledge.records.outbox import Outbox
    from sqlalchemy import select

    statement = Prepared(inbound.insert_statement)
    replies = [reply_to_payload(Reply("Halo!")), reply_to_payload(Reply("Jawaban", kind="answer"))]
    claims = [Claim("telegram", "7", payload={"user": "31", "replies": replies}), Claim("telegram", "8")]
    async with database.session() as s:
        await inbound.commit_claims(s, claims, statement.on(s))
        await s.commit()
    outbox = Outbox()
    assert await inbound.resend_answered(database, outbox, "telegram", 60) == 0  # too recent: maybe being sent
    later = utcnow() + dt.timedelta(seconds=120)
    results = await asyncio.gather(*(inbound.resend_answered(database, outbox, "telegram", 60, now=later)
                                     for _ in range(2)))
    assert sorted(results) == [0, 1]  # two instances at once: one of them queues them
    async with database.session() as s:
        queued = (await s.scalars(select(OutboxRow).order_by(OutboxRow.id))).all()
        statuses = dict((await s.execute(select(InboundRow.message_id, InboundRow.status))).all())
    assert [(q.recipient, q.kind, q.payload["text"]) for q in queued] == [("31", "reply", "Halo!"),
                                                                          ("31", "reply", "Jawaban")]
    assert statuses == {"7": "done", "8": "done"}
