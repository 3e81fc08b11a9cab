"""The WhatsApp channel: notifications in, the core's replies out, exactly once and in order.

- `accept(data)` (called by the webhook route before it answers 200): each message is
  remembered in the database with its payload (`knowledge.records.inbound`, keyed by its wamid)
  and only then handed to a background task, so a crash after the 200 loses nothing and Meta's
  retries of the same message are ignored. Status receipts update the outbox right away.
- A resident's messages are handled one at a time in arrival order (a lock per resident, taken
  first thing in the task), different residents concurrently.
- Direct replies go straight to the Graph API (the resident just wrote: inside the 24-hour
  window); what Meta refuses for now (130429, 131056, 5xx, network) goes to the outbox and the
  DeliveryWorker retries it in order.
- Messages remembered but never finished (a crash, a shutdown that ran out of time) are replayed:
  at start-up and once more `replay_after` seconds later, those older than `replay_after` (10 s:
  what the crashed process left); then every `sweep_every`, those older than `sweep_after` (120 s),
  so that with several instances one never answers a message another is still working on.
- A `failed` receipt with 131047 (outside the window) for an outbox message queues the template
  version of it; other failures mark the outbox row failed with Meta's reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from bot.channels.whatsapp_client import OUTSIDE_WINDOW_CODE, GraphClient, classify
from bot.channels.whatsapp_inbound import CHANNEL, MediaStore, Sender, read_notification, sender_of, to_inbound
from bot.channels.whatsapp_render import render_safely
from bot.channels.whatsapp_sender import OUTSIDE_WINDOW, WhatsAppSender
from bot.delivery import RetryLater, defer_replies
from handlers.messages import InboundMessage, Reply
from knowledge.records import inbound
from knowledge.records.db import Database
from knowledge.records.models import OutboxRow
from knowledge.records.outbox import Outbox

log = logging.getLogger(__name__)

Handle = Callable[[InboundMessage], Awaitable[list[Reply]]]
RECEIPT_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


class WhatsAppChannel:
    """Receive WhatsApp notifications and answer residents through the Graph API."""

    def __init__(self, *, client: GraphClient, sender: WhatsAppSender, handle: Handle, db: Database,
                 outbox: Outbox, media: MediaStore, phone_number_id: str, replay_after: float = 10.0,
                 sweep_every: float = 60.0, sweep_after: float = 120.0, drain_timeout: float = 8.0):
        self.client = client
        self.sender = sender
        self.handle = handle
        self.db = db
        self.outbox = outbox
        self.media = media
        self.phone_number_id = phone_number_id
        self.replay_after = replay_after
        self.sweep_every = sweep_every
        self.sweep_after = sweep_after
        self.drain_timeout = drain_timeout
        self._tasks: set[asyncio.Task[None]] = set()
        self._in_flight: set[str] = set()
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self._sweeper: asyncio.Task[None] | None = None

    # --- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Replay unfinished messages now and keep sweeping for them."""
        try:
            await self.replay()
        except Exception:  # the sweep tries again; new messages must not wait for it
            log.exception("replay of unfinished WhatsApp messages failed at start-up")
        self._sweeper = asyncio.create_task(self._sweep(), name="whatsapp-replay")

    async def stop(self) -> None:
        """Let messages in hand finish (up to `drain_timeout`); the rest stay pending for replay."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=self.drain_timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
                log.warning("%d WhatsApp message(s) unfinished at shutdown; replayed at the next start", len(late))

    async def replay(self, older_than: float | None = None) -> int:
        """Handle again messages remembered but not finished; return how many were queued."""
        rows = await inbound.pending(self.db, CHANNEL, self.replay_after if older_than is None else older_than)
        queued = 0
        for row in rows:
            if row.message_id in self._in_flight:
                continue
            if not row.payload:
                await inbound.mark_failed(self.db, CHANNEL, row.message_id)
                continue
            self._schedule(row.message_id, row.payload)
            queued += 1
        if queued:
            log.info("replaying %d unfinished WhatsApp message(s)", queued)
        return queued

    async def _sweep(self) -> None:
        await asyncio.sleep(self.replay_after)
        older_than = self.replay_after  # what the crash left too young for the start-up pass
        while True:
            try:
                await self.replay(older_than)
            except Exception:  # the next sweep tries again
                log.exception("replay of unfinished WhatsApp messages failed")
            older_than = self.sweep_after
            await asyncio.sleep(self.sweep_every)

    async def settle(self) -> None:
        """Wait until every message handed to a task is finished (tests and benchmarks)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    # --- notifications -------------------------------------------------------------------------

    async def accept(self, data: Any) -> tuple[int, int]:
        """Remember a notification's new messages and queue them; apply its receipts.

        Returns (new messages, receipts). Raises MalformedNotification for a wrong shape, and
        database errors as they are (the route answers 500 and Meta sends the notification again).
        """
        messages, statuses = read_notification(data, self.phone_number_id)
        accepted = 0
        for envelope in messages:
            wamid = envelope["message"]["id"]
            # Stored before Meta gets its 200: a crash after that is replayed, not lost.
            if not await inbound.remember(self.db, CHANNEL, wamid, payload=envelope):
                log.info("WhatsApp message delivered again; skipped")
                continue
            self._schedule(wamid, envelope)
            accepted += 1
        for status in statuses:
            await self.on_status(status)
        return accepted, len(statuses)

    def _schedule(self, message_id: str, envelope: dict[str, Any]) -> None:
        self._in_flight.add(message_id)
        task = asyncio.create_task(self.process(message_id, envelope), name="whatsapp-message")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def process(self, message_id: str, envelope: dict[str, Any]) -> None:
        """Handle one remembered message and record it done (cancellation leaves it pending)."""
        sender = sender_of(envelope)
        key = sender.user_id if sender else message_id
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        try:
            async with lock:  # taken first thing: a resident's messages keep their arrival order
                try:
                    msg = await to_inbound(envelope, self.media)
                    replies = await self.handle(msg) if msg is not None else []
                    if replies and sender is not None:
                        await self.send_replies(sender, replies)
                except Exception:  # the core never raises; this is sending or media trouble
                    log.exception("WhatsApp message could not be handled")
                try:
                    await inbound.mark_done(self.db, CHANNEL, message_id)
                except Exception:  # left pending: replayed later, at worst answered twice
                    log.exception("could not record a WhatsApp message as handled")
        finally:
            self._in_flight.discard(message_id)

    # --- replies -------------------------------------------------------------------------------

    async def send_replies(self, sender: Sender, replies: list[Reply]) -> None:
        """Send a turn's replies now; hand what Meta refuses for the moment to the outbox."""
        for i, reply in enumerate(replies):
            for body in render_safely(reply):
                try:
                    await self.client.send(sender.reply_to, body)
                except Exception as exc:  # noqa: BLE001 - classified below
                    decision = classify(exc)
                    if isinstance(decision, RetryLater):
                        await self._defer(sender.user_id, replies[i:], decision)
                        return
                    log.warning("a reply to a WhatsApp resident was refused: %s", decision.reason)
                    break  # skip the rest of this reply, go on with the next one

    async def _defer(self, recipient: str, replies: list[Reply], why: RetryLater) -> None:
        """Queue replies Meta could not take now; the delivery worker sends them in order."""
        await defer_replies(self.db, self.outbox, CHANNEL, recipient, replies, why)

    # --- receipts ------------------------------------------------------------------------------

    async def on_status(self, status: dict[str, Any]) -> None:
        """Record a receipt (sent, delivered, read, failed) on the outbox message it is about."""
        wamid, state = status.get("id"), status.get("status")
        if not isinstance(wamid, str) or state not in RECEIPT_RANK:
            return
        async with self.db.session() as session:
            row = await session.scalar(select(OutboxRow).where(OutboxRow.external_id == wamid,
                                                               OutboxRow.channel == CHANNEL))
        if row is None:  # a direct reply: not tracked in the outbox
            if state == "failed":
                log.warning("WhatsApp could not deliver a direct reply: %s", _errors(status))
            return
        # Receipts may arrive out of order: never step back from "read" to "delivered".
        if RECEIPT_RANK.get(row.delivery_status or "", 0) >= RECEIPT_RANK[state]:
            return
        await self.outbox.set_delivery_status(self.db, wamid, state)
        if state != "failed":
            return
        codes = {e.get("code") for e in status.get("errors") or [] if isinstance(e, dict)}
        if OUTSIDE_WINDOW_CODE in codes and not row.payload.get("force_template"):
            await self._template_instead(row)
        else:
            await self.outbox.fail(self.db, row.id, f"WhatsApp could not deliver it: {_errors(status)}")

    async def _template_instead(self, row: OutboxRow) -> None:
        """Queue the template version of a message refused for being outside the 24-hour window."""
        if self.sender.template_for(row.payload) is None:
            await self.outbox.fail(self.db, row.id, f"{OUTSIDE_WINDOW}: no approved template for this message")
            return
        async with self.db.session() as session:
            await self.outbox.enqueue(session, channel=CHANNEL, recipient=row.recipient, kind=row.kind,
                                      payload={**row.payload, "force_template": True},
                                      dedup_key=f"whatsapp:template:{row.id}")
            await session.commit()
        log.info("outbox %s arrived outside the 24-hour window; its template is queued", row.id)


def _errors(status: dict[str, Any]) -> str:
    errors = [e for e in status.get("errors") or [] if isinstance(e, dict)]
    return "; ".join(f"{e.get('code')} {e.get('title') or e.get('message') or ''}".strip() for e in errors) or "unknown"
