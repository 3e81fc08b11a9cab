"""The outbox: messages to deliver later (status changes, OPD notices), kept until sent or given up.

Producers `enqueue` inside their own unit of work, so a message exists exactly when the
change that caused it was committed. Delivery workers (bot/delivery.py) `claim` due
messages, send them, and report `mark_sent` / `retry` / `fail`.

Claiming is safe with several instances: on PostgreSQL rows are picked with
`FOR UPDATE SKIP LOCKED`; on SQLite every transaction holds the write lock
(`BEGIN IMMEDIATE`, see db.py). A claimed row is leased: its `next_attempt_at` is moved to
the end of the lease, and a "sending" row whose lease ran out (the instance died mid-send)
is claimed again, so nothing is lost (delivery is at-least-once).

Payloads are plain JSON dicts ({"text", "options": [{"label", "value"}], ...}); channels turn them
into replies with `handlers.messages.reply_from_payload`.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.db import Database, dialect_insert
from knowledge.records.models import OutboxRow, utcnow

log = logging.getLogger(__name__)

ERROR_LIMIT = 1000  # characters of an error kept in last_error


class Outbox:
    """Queue, claim and settle outbound messages."""

    def __init__(self, max_attempts: int = 8, *, lease: float = 300.0, base_delay: float = 5.0,
                 max_delay: float = 3600.0):
        self.max_attempts = max_attempts
        self.lease = dt.timedelta(seconds=lease)
        self.base_delay = base_delay
        self.max_delay = max_delay

    async def enqueue(self, session: AsyncSession, *, channel: str, recipient: str, kind: str,
                      payload: dict[str, Any], dedup_key: str | None = None,
                      not_before: dt.datetime | None = None) -> OutboxRow | None:
        """Queue a message in the caller's transaction; return None if dedup_key is already queued."""
        values = dict(channel=channel, recipient=str(recipient), kind=kind, payload=payload, dedup_key=dedup_key,
                      status="pending", attempts=0, next_attempt_at=not_before or utcnow(), created_at=utcnow())
        if dedup_key is None:
            row = OutboxRow(**values)
            session.add(row)
            await session.flush()
            return row
        # ON CONFLICT DO NOTHING: a concurrent transaction may queue the same key at the same time.
        stmt = dialect_insert(session)(OutboxRow).values(**values).on_conflict_do_nothing()
        inserted = await session.scalar(stmt.returning(OutboxRow.id))
        return None if inserted is None else await session.get(OutboxRow, inserted)

    async def claim(self, db: Database, channel: str, limit: int, now: dt.datetime | None = None) -> list[OutboxRow]:
        """Atomically take up to `limit` due messages of a channel (pending, or sending with an expired lease)."""
        now = now or utcnow()
        async with db.session() as session:
            # A message that keeps killing its sender would otherwise be retried forever.
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.channel == channel, OutboxRow.status == "sending",
                       OutboxRow.next_attempt_at <= now, OutboxRow.attempts >= self.max_attempts)
                .values(status="failed", last_error="lease expired on the last attempt (sender crashed?)")
            )
            due = (
                select(OutboxRow.id)
                .where(OutboxRow.channel == channel, OutboxRow.status.in_(("pending", "sending")),
                       OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            ids = list((await session.scalars(due)).all())
            if not ids:
                await session.commit()
                return []
            rows = await session.scalars(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), OutboxRow.status.in_(("pending", "sending")),
                       OutboxRow.next_attempt_at <= now)
                .values(status="sending", attempts=OutboxRow.attempts + 1, next_attempt_at=now + self.lease)
                .returning(OutboxRow),
                execution_options={"populate_existing": True},
            )
            claimed = sorted(rows.all(), key=lambda r: r.id)
            await session.commit()
        return claimed

    async def mark_sent(self, db: Database, id: int, external_id: str | None = None) -> None:
        """Record that a message was handed to the provider."""
        await self._update(db, id, status="sent", sent_at=utcnow(), external_id=external_id, last_error=None)

    async def retry(self, db: Database, id: int, error: str, delay: float | None = None, *,
                    parts_sent: int | None = None) -> None:
        """Schedule another attempt (backoff with jitter unless `delay` is given), or give up after max_attempts.

        `parts_sent`, when known, records how far a split message got, so the next attempt resumes there.
        """
        async with db.session() as session:
            row = await session.get(OutboxRow, id)
            if row is None:
                return
            if parts_sent is not None:
                row.parts_sent = max(row.parts_sent, parts_sent)
            if row.attempts >= self.max_attempts:
                row.status = "failed"
                row.last_error = f"gave up after {row.attempts} attempts: {error}"[:ERROR_LIMIT]
                log.warning("outbox %s to %s failed for good: %s", id, row.channel, error)
            else:
                if delay is None:
                    delay = self.backoff(row.attempts)
                row.status = "pending"
                row.last_error = error[:ERROR_LIMIT]
                row.next_attempt_at = utcnow() + dt.timedelta(seconds=max(0.0, delay))
            await session.commit()

    async def release(self, db: Database, id: int, delay: float = 0.0, reason: str | None = None) -> None:
        """Put a claimed but unsent message back without counting an attempt (e.g. held behind a retry)."""
        async with db.session() as session:
            await session.execute(
                update(OutboxRow).where(OutboxRow.id == id, OutboxRow.status == "sending")
                .values(status="pending", attempts=OutboxRow.attempts - 1, last_error=reason,
                        next_attempt_at=utcnow() + dt.timedelta(seconds=max(0.0, delay))))
            await session.commit()

    async def fail(self, db: Database, id: int, error: str) -> None:
        """Give up on a message for good (e.g. the resident blocked the bot)."""
        await self._update(db, id, status="failed", last_error=error[:ERROR_LIMIT])

    async def set_delivery_status(self, db: Database, external_id: str, status: str) -> int:
        """Record a provider receipt (delivered, read, failed, ...); return the rows updated."""
        async with db.session() as session:
            result = await session.execute(
                update(OutboxRow).where(OutboxRow.external_id == external_id).values(delivery_status=status[:16])
            )
            await session.commit()
            return result.rowcount or 0

    def backoff(self, attempts: int) -> float:
        """Return the seconds to wait before attempt `attempts + 1`: exponential with jitter."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(0, attempts - 1))
        # Jitter spreads retries of many messages that failed together (e.g. a provider outage).
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - not for security

    async def _update(self, db: Database, id: int, **values: Any) -> None:
        async with db.session() as session:
            await session.execute(update(OutboxRow).where(OutboxRow.id == id).values(**values))
            await session.commit()

