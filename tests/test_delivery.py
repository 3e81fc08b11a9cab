"""The outbox delivery worker with a fake Sender: sent, retried in order, given up, paced."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import select

from bot.delivery import DeliveryWorker, PermanentFailure, RetryLater, take_messages
from knowledge.records.db import Database
from knowledge.records.models import OutboxRow
from knowledge.records.outbox import Outbox


class FakeSender:
    """Records what it sends; `script` gives an exception (or None) per text."""

    channel = "fake"

    def __init__(self, script: dict[str, Exception] | None = None):
        self.script = dict(script or {})
        self.sent: list[tuple[str, str, float]] = []

    async def send(self, recipient: str, payload: dict[str, Any], *, first_part: int = 0) -> str | None:
        error = self.script.pop(payload["text"], None)
        if error is not None:
            raise error
        self.sent.append((recipient, payload["text"], time.monotonic()))
        return f"ext-{len(self.sent)}"


async def enqueue(db: Database, outbox: Outbox, *messages: tuple[str, str], channel: str = "fake") -> None:
    async with db.session() as session:
        for recipient, text in messages:
            await outbox.enqueue(session, channel=channel, recipient=recipient, kind="status",
                                 payload={"text": text, "options": []})
        await session.commit()


async def rows(db: Database) -> dict[str, OutboxRow]:
    async with db.session() as session:
        return {r.payload["text"]: r for r in (await session.scalars(select(OutboxRow))).all()}


async def test_messages_are_sent_and_marked(database: Database) -> None:
    outbox = Outbox()
    sender = FakeSender()
    await enqueue(database, outbox, ("a", "satu"), ("b", "dua"))
    worker = DeliveryWorker(database, outbox, sender, rate=1000, per_recipient_interval=0)
    assert await worker.run_once() == 2
    assert sorted(t for _, t, _ in sender.sent) == ["dua", "satu"]
    found = await rows(database)
    assert {r.status for r in found.values()} == {"sent"}
    assert {r.external_id for r in found.values()} == {"ext-1", "ext-2"}
    assert await worker.run_once() == 0


async def test_retry_later_keeps_the_order_for_that_recipient(database: Database) -> None:
    outbox = Outbox()
    sender = FakeSender({"satu": RetryLater(0, "flood control")})
    await enqueue(database, outbox, ("a", "satu"), ("a", "dua"), ("b", "lain"))
    worker = DeliveryWorker(database, outbox, sender, rate=1000, per_recipient_interval=0)
    await worker.run_once()
    assert [t for _, t, _ in sender.sent] == ["lain"]  # "dua" waits behind "satu"
    found = await rows(database)
    assert found["satu"].status == "pending" and found["satu"].last_error == "flood control"
    assert found["dua"].status == "pending"
    await worker.run_once()
    assert [t for _, t, _ in sender.sent] == ["lain", "satu", "dua"]


async def test_messages_held_behind_a_retry_keep_their_attempts(database: Database) -> None:
    outbox = Outbox(max_attempts=2)
    sender = FakeSender({"satu": RetryLater(0, "flood control")})
    await enqueue(database, outbox, ("a", "satu"), ("a", "dua"))
    worker = DeliveryWorker(database, outbox, sender, rate=1000, per_recipient_interval=0)
    await worker.run_once()
    found = await rows(database)
    assert found["satu"].attempts == 1 and found["dua"].attempts == 0  # held, not tried
    assert found["dua"].next_attempt_at > found["satu"].next_attempt_at  # stays behind "satu"


async def test_retry_later_with_a_delay_waits(sqlite_db: Database) -> None:
    outbox = Outbox()
    await enqueue(sqlite_db, outbox, ("a", "satu"))
    worker = DeliveryWorker(sqlite_db, outbox, FakeSender({"satu": RetryLater(3600, "429")}), rate=1000,
                            per_recipient_interval=0)
    await worker.run_once()
    assert await worker.run_once() == 0  # not due for an hour


async def test_permanent_failure_and_unexpected_errors(sqlite_db: Database) -> None:
    outbox = Outbox()
    sender = FakeSender({"blokir": PermanentFailure("bot was blocked by the user"), "bug": ValueError("oops")})
    await enqueue(sqlite_db, outbox, ("a", "blokir"), ("a", "setelahnya"), ("b", "bug"))
    worker = DeliveryWorker(sqlite_db, outbox, sender, rate=1000, per_recipient_interval=0)
    await worker.run_once()
    found = await rows(sqlite_db)
    assert found["blokir"].status == "failed" and "blocked" in found["blokir"].last_error
    assert found["setelahnya"].status == "sent"  # a permanent failure does not hold the others
    assert found["bug"].status == "pending" and "ValueError" in found["bug"].last_error


async def test_gives_up_after_max_attempts(sqlite_db: Database) -> None:
    outbox = Outbox(max_attempts=2)
    await enqueue(sqlite_db, outbox, ("a", "x"))
    sender = FakeSender()
    worker = DeliveryWorker(sqlite_db, outbox, sender, rate=1000, per_recipient_interval=0)
    for _ in range(2):
        sender.script["x"] = RetryLater(0, "down")
        await worker.run_once()
    assert (await rows(sqlite_db))["x"].status == "failed"


async def test_per_recipient_interval_and_background_run(sqlite_db: Database) -> None:
    outbox = Outbox()
    sender = FakeSender()
    worker = DeliveryWorker(sqlite_db, outbox, sender, rate=1000, per_recipient_interval=0.2, poll_interval=0.05)
    worker.start()
    await enqueue(sqlite_db, outbox, ("a", "1"), ("a", "2"), ("b", "3"))
    worker.wake()
    for _ in range(100):
        if len(sender.sent) == 3:
            break
        await asyncio.sleep(0.02)
    await worker.stop()
    times = {t: at for _, t, at in sender.sent}
    assert times["2"] - times["1"] >= 0.19
    assert times["3"] - times["1"] < 0.15  # another recipient is not held back


async def test_take_messages_for_polling_channels(database: Database) -> None:
    outbox = Outbox()
    await enqueue(database, outbox, ("u1", "a"), ("u2", "b"), ("u1", "c"), channel="web")
    assert [p["text"] for p in await take_messages(database, "web", "u1")] == ["a", "c"]
    assert await take_messages(database, "web", "u1") == []
    assert [p["text"] for p in await take_messages(database, "web", "u2")] == ["b"]
    assert {r.status for r in (await rows(database)).values()} == {"sent"}
