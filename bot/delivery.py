"""Outbound delivery: drain the outbox through a channel's Sender, politely and without losing anything.

A channel provides a `Sender` (channel name + `send(recipient, payload)`); a `DeliveryWorker`
runs as a background task, claims due messages (knowledge.records.outbox), paces them (an
overall rate and an interval per recipient), and settles each one: sent, retry later (the
sender's `RetryLater`, or any unexpected error, with backoff) or failed for good
(`PermanentFailure`). A resident's messages go out in order: when one must wait, the ones
behind it in the batch wait too.

Channels without push (the web chat polls, the terminal prints) take their messages with
`take_messages(db, channel, recipient)` instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import select, update

from knowledge.records.db import Database
from knowledge.records.models import OutboxRow, utcnow
from handlers.messages import Reply, reply_to_payload
from knowledge.records.outbox import Outbox

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """The message could not be sent now; try again after `seconds` (None: the outbox's backoff).

    `parts_sent` says how many parts of a split message were delivered before the failure
    (None: unknown, or nothing was split); the retry starts at the next part.
    """

    def __init__(self, seconds: float | None = None, reason: str = "", *, parts_sent: int | None = None):
        super().__init__(reason or "retry later")
        self.seconds = seconds
        self.reason = reason or "retry later"
        self.parts_sent = parts_sent


class PermanentFailure(Exception):
    """The message can never be delivered (e.g. the resident blocked the bot)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    channel: str

    async def send(self, recipient: str, payload: dict[str, Any], *, first_part: int = 0) -> str | None:
        """Send one outbox payload from part `first_part` on; return the provider's message id.

        Raise RetryLater (with `parts_sent` when a split message failed part-way) or PermanentFailure.
        """
        ...


class DeliveryWorker:
    """Background task draining one channel's outbox through its Sender."""

    def __init__(self, db: Database, outbox: Outbox, sender: Sender, *, rate: float = 30.0,
                 per_recipient_interval: float | Callable[[str], float] = 1.0, batch: int = 50,
                 poll_interval: float = 1.0, max_recipients: int = 10_000):
        self.db = db
        self.outbox = outbox
        self.sender = sender
        self.rate = rate  # messages per second, all recipients together
        self.interval = per_recipient_interval
        self.batch = batch
        self.poll_interval = poll_interval
        self.max_recipients = max_recipients
        self._last_sent: OrderedDict[str, float] = OrderedDict()
        self._next_slot = 0.0
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start draining in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"delivery-{self.sender.channel}")

    def wake(self) -> None:
        """Look for due messages now instead of at the next poll."""
        self._wake.set()

    async def stop(self, timeout: float = 5.0) -> None:
        """Finish the batch in hand (at most `timeout` s), then stop; unsent messages stay queued."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            self._task.cancel()
            log.warning("delivery worker for %s stopped mid-batch; the outbox lease will resend", self.sender.channel)
        except asyncio.CancelledError:
            pass
        self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                done = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery worker for %s failed; retrying", self.sender.channel)
                done = 0
            if not done and not self._stopping:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                except TimeoutError:
                    pass

    # --- one batch ------------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver them; return how many were handled."""
        rows = await self.outbox.claim(self.db, self.sender.channel, self.batch)
        if not rows:
            return 0
        by_recipient: dict[str, list[OutboxRow]] = {}
        for row in rows:
            by_recipient.setdefault(row.recipient, []).append(row)
        await asyncio.gather(*(self._deliver(recipient, queue) for recipient, queue in by_recipient.items()))
        return len(rows)

    async def _deliver(self, recipient: str, rows: list[OutboxRow]) -> None:
        for i, row in enumerate(rows):
            await self._pace(recipient)
            try:
                external_id = await self.sender.send(recipient, row.payload, first_part=row.parts_sent)
            except RetryLater as exc:
                log.info("outbox %s to %s: retry (%s)", row.id, self.sender.channel, exc.reason)
                delay = exc.seconds if exc.seconds is not None else self.outbox.backoff(row.attempts)
                await self.outbox.retry(self.db, row.id, exc.reason, delay, parts_sent=exc.parts_sent)
                await self._hold(rows[i + 1:], delay)
                return
            except PermanentFailure as exc:
                log.warning("outbox %s to %s failed for good: %s", row.id, self.sender.channel, exc.reason)
                await self.outbox.fail(self.db, row.id, exc.reason)
                continue
            except Exception as exc:  # an unexpected bug or outage: keep the message, back off
                log.exception("outbox %s to %s: unexpected error", row.id, self.sender.channel)
                delay = self.outbox.backoff(row.attempts)
                await self.outbox.retry(self.db, row.id, f"{type(exc).__name__}: {exc}", delay)
                await self._hold(rows[i + 1:], delay)
                return
            await self.outbox.mark_sent(self.db, row.id, external_id)

    async def _hold(self, rows: list[OutboxRow], seconds: float) -> None:
        """Put a recipient's later messages back, behind a retried one, without using up their attempts."""
        for row in rows:
            # A hair later than the retried message, so the order holds when both are due.
            await self.outbox.release(self.db, row.id, seconds + 0.001, "waiting for an earlier message")

    async def _pace(self, recipient: str) -> None:
        """Wait for the recipient's interval and the overall rate."""
        interval = self.interval(recipient) if callable(self.interval) else self.interval
        now = time.monotonic()
        wait = self._last_sent.get(recipient, -1e9) + interval - now
        if wait > 0:
            await asyncio.sleep(wait)
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + (1.0 / self.rate if self.rate > 0 else 0.0)
        if slot > now:
            await asyncio.sleep(slot - now)
        self._last_sent[recipient] = time.monotonic()
        self._last_sent.move_to_end(recipient)
        if len(self._last_sent) > self.max_recipients:
            self._last_sent.popitem(last=False)


async def take_messages(db: Database, channel: str, recipient: str, limit: int = 20) -> list[dict[str, Any]]:
    """Return and mark sent the pending outbox payloads of one recipient on a polling channel."""
    now = utcnow()
    async with db.session() as session:
        rows = list((await session.scalars(
            select(OutboxRow)
            .where(OutboxRow.channel == channel, OutboxRow.recipient == recipient,
                   OutboxRow.status.in_(("pending", "sending")), OutboxRow.next_attempt_at <= now)
            .order_by(OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )).all())
        if not rows:
            await session.commit()
            return []
        await session.execute(
            update(OutboxRow).where(OutboxRow.id.in_([r.id for r in rows]))
            .values(status="sent", sent_at=now, attempts=OutboxRow.attempts + 1)
        )
        await session.commit()
    return [dict(r.payload) for r in rows]


async def defer_replies(db: Database, outbox: Outbox, channel: str, recipient: str,
                        replies: list[Reply], why: RetryLater) -> None:
    """Queue direct replies a channel could not send now; the delivery worker sends them in order."""
    not_before = utcnow() + dt.timedelta(seconds=why.seconds or 0)
    async with db.session() as session:
        for reply in replies:
            await outbox.enqueue(session, channel=channel, recipient=recipient, kind="reply",
                                 payload=reply_to_payload(reply), not_before=not_before)
        await session.commit()
    log.info("%d reply(ies) on %s queued for retry: %s", len(replies), channel, why.reason)
