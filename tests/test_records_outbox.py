"""The outbox: queueing, claiming by several instances, leases after a crash, retries and failure."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from handlers.messages import Option, Reply
from knowledge.records.db import Database
from knowledge.records.models import OutboxRow, utcnow
from knowledge.records.outbox import Outbox
from handlers.messages import reply_from_payload, reply_to_payload

PAYLOAD = {"text": "Halo", "options": [], "photo": None, "request": None}


async def queue(db: Database, outbox: Outbox, n: int, channel: str = "telegram", **kwargs) -> list[int]:
    async with db.session() as s:
        rows = [await outbox.enqueue(s, channel=channel, recipient=f"r{i}", kind="status", payload=PAYLOAD, **kwargs)
                for i in range(n)]
        await s.commit()
    return [r.id for r in rows]


async def row(db: Database, id: int) -> OutboxRow:
    async with db.session() as s:
        return await s.get(OutboxRow, id)


def test_reply_round_trip() -> None:
    reply = Reply("Nilai?", options=(Option("1", "rate:PDG-ABC123:1"), Option("2", "rate:PDG-ABC123:2")),
                  request="location", photo="a/b.jpg", kind="feedback")
    payload = reply_to_payload(reply)
    assert payload["options"] == [{"label": "1", "value": "rate:PDG-ABC123:1"},
                                  {"label": "2", "value": "rate:PDG-ABC123:2"}]
    assert reply_from_payload(payload) == reply and reply_from_payload(payload).kind == "feedback"
    assert reply_from_payload({"text": "x", "template": {"name": "t"}}) == Reply("x")
    assert reply_to_payload(reply) == payload


async def test_dedup_key_queues_once(database: Database) -> None:
    outbox = Outbox()
    async with database.session() as s:
        first = await outbox.enqueue(s, channel="web", recipient="u1", kind="status", payload=PAYLOAD, dedup_key="k")
        again = await outbox.enqueue(s, channel="web", recipient="u1", kind="status", payload=PAYLOAD, dedup_key="k")
        await s.commit()
    assert first is not None and first.id and again is None
    async with database.session() as s:
        assert await outbox.enqueue(s, channel="web", recipient="u1", kind="status", payload=PAYLOAD,
                                    dedup_key="k") is None
        assert len((await s.scalars(select(OutboxRow))).all()) == 1


async def test_claim_takes_due_rows_of_one_channel_in_order(database: Database) -> None:
    outbox = Outbox(lease=3600)
    ids = await queue(database, outbox, 5)
    await queue(database, outbox, 2, channel="whatsapp")
    later = await queue(database, outbox, 1, not_before=utcnow() + dt.timedelta(minutes=5))
    claimed = await outbox.claim(database, "telegram", limit=3)
    assert [r.id for r in claimed] == ids[:3]
    assert all(r.status == "sending" and r.attempts == 1 for r in claimed)
    rest = await outbox.claim(database, "telegram", limit=10)
    assert [r.id for r in rest] == ids[3:]  # not the future one, not the other channel
    assert await outbox.claim(database, "telegram", limit=10) == []
    assert [r.id for r in await outbox.claim(database, "telegram", 10, now=utcnow() + dt.timedelta(minutes=6))] == later


async def test_sent_and_delivery_receipt(database: Database) -> None:
    outbox = Outbox()
    [id] = await queue(database, outbox, 1)
    await outbox.claim(database, "telegram", 1)
    await outbox.mark_sent(database, id, external_id="wamid.1")
    assert await outbox.set_delivery_status(database, "wamid.1", "read") == 1
    r = await row(database, id)
    assert (r.status, r.external_id, r.delivery_status) == ("sent", "wamid.1", "read") and r.sent_at
    assert await outbox.claim(database, "telegram", 5, now=utcnow() + dt.timedelta(hours=1)) == []


async def test_crash_mid_send_is_reclaimed_after_the_lease(database: Database) -> None:
    outbox = Outbox(lease=60)
    [id] = await queue(database, outbox, 1)
    assert [r.id for r in await outbox.claim(database, "telegram", 1)] == [id]
    # The instance dies here. Within the lease nobody else takes the row ...
    assert await outbox.claim(database, "telegram", 1, now=utcnow() + dt.timedelta(seconds=30)) == []
    # ... after it, the row is claimed again.
    again = await outbox.claim(database, "telegram", 1, now=utcnow() + dt.timedelta(seconds=61))
    assert [(r.id, r.attempts) for r in again] == [(id, 2)]


async def test_retry_backs_off_then_fails_after_max_attempts(database: Database) -> None:
    outbox = Outbox(max_attempts=3, base_delay=10)
    [id] = await queue(database, outbox, 1)
    now = utcnow()
    for attempt in (1, 2):
        [claimed] = await outbox.claim(database, "telegram", 1, now=now)
        assert claimed.attempts == attempt
        await outbox.retry(database, id, "HTTP 502")
        r = await row(database, id)
        wait = (r.next_attempt_at - utcnow()).total_seconds()
        ceiling = 10 * 2 ** (attempt - 1)
        assert r.status == "pending" and r.last_error == "HTTP 502" and ceiling / 2 - 1 <= wait <= ceiling
        now = r.next_attempt_at
    await outbox.claim(database, "telegram", 1, now=now)
    await outbox.retry(database, id, "HTTP 502")
    r = await row(database, id)
    assert r.status == "failed" and "after 3 attempts" in r.last_error


async def test_retry_with_given_delay_and_permanent_failure(database: Database) -> None:
    outbox = Outbox()
    a, b = await queue(database, outbox, 2)
    await outbox.claim(database, "telegram", 2)
    await outbox.retry(database, a, "429 Too Many Requests", delay=30)
    assert 28 <= ((await row(database, a)).next_attempt_at - utcnow()).total_seconds() <= 30
    await outbox.fail(database, b, "Forbidden: bot was blocked by the user")
    r = await row(database, b)
    assert (r.status, r.last_error) == ("failed", "Forbidden: bot was blocked by the user")


async def test_crash_looping_message_gives_up(database: Database) -> None:
    outbox = Outbox(max_attempts=2, lease=1)
    [id] = await queue(database, outbox, 1)
    t = utcnow()
    for i in range(2):
        assert len(await outbox.claim(database, "telegram", 1, now=t + dt.timedelta(seconds=2 * i))) == 1
    assert await outbox.claim(database, "telegram", 1, now=t + dt.timedelta(seconds=10)) == []
    assert (await row(database, id)).status == "failed"


def test_backoff_grows_and_is_capped() -> None:
    outbox = Outbox(base_delay=5, max_delay=60)
    for attempts, ceiling in ((1, 5), (2, 10), (3, 20), (5, 60), (30, 60)):
        assert all(ceiling / 2 <= outbox.backoff(attempts) <= ceiling for _ in range(20))


async def test_two_instances_never_claim_the_same_row(pg_db: Database) -> None:
    outbox = Outbox()
    ids = await queue(pg_db, outbox, 200)
    instances = [pg_db, Database(pg_db.url, schema=pg_db.schema)]
    seen: list[list[int]] = [[], []]

    async def worker(i: int) -> None:
        while True:
            rows = await outbox.claim(instances[i], "telegram", limit=7)
            if not rows:
                return
            seen[i] += [r.id for r in rows]
            await asyncio.sleep(0)

    try:
        await asyncio.gather(*(worker(i % 2) for i in range(6)))
    finally:
        await instances[1].dispose()
    everything = seen[0] + seen[1]
    assert sorted(everything) == ids  # each row exactly once
    assert seen[0] and seen[1]  # both instances did work


async def test_release_puts_a_message_back_without_counting_an_attempt(database: Database) -> None:
    outbox = Outbox()
    [id] = await queue(database, outbox, 1)
    await outbox.claim(database, "telegram", 1)
    await outbox.release(database, id, delay=10, reason="waiting for an earlier message")
    r = await row(database, id)
    assert (r.status, r.attempts, r.last_error) == ("pending", 0, "waiting for an earlier message")
    assert await outbox.claim(database, "telegram", 1) == []
    assert len(await outbox.claim(database, "telegram", 1, now=utcnow() + dt.timedelta(seconds=11))) == 1
