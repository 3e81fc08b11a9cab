"""Exactly-once handling of inbound messages (Telegram update_id, WhatsApp message id).

A channel calls `remember` before handling a message: False means it was seen before (a
provider retry or a replayed webhook) and must be ignored. After the reply is queued it
calls `mark_done`. Messages still "pending" after a crash are found with `pending` and
handled again; each such replay counts as an attempt, and a message that keeps failing is
marked "failed" so it cannot crash-loop the bot.

A channel whose sender delivers again until the turn is committed (Telegram's webhook, answered
after the commit) records the message in the turn's own transaction instead (`commit_claims`, see
`handlers.messages.Claim`): one transaction per message instead of two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import delete, select, update

from knowledge.records.db import Database, dialect_insert
from knowledge.records.models import InboundRow, utcnow
from knowledge.records.outbox import Outbox

MAX_REPLAYS = 3


class Claim(Protocol):
    """What `commit_claims` needs of a claim (handlers.messages.Claim)."""

    channel: str
    message_id: str
    new: bool | None
    payload: dict[str, Any] | None


def insert_statement(insert: Any) -> Any:
    """Build (with a dialect's `insert`) the statement adding records, skipping those seen before.

    It returns (channel, message_id) of each record it added: one left out was there already.
    """
    table = InboundRow.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.channel, table.c.message_id)


async def commit_claims(conn: Any, claims: Sequence[Claim], statement: Any) -> None:
    """Record, in the caller's transaction, the messages whose turns it commits; set each claim's `new`.

    `conn` is a connection or session and `statement` `insert_statement` built for its database.
    A claim carrying its turn's replies (`payload`) is written "answered" (the channel marks it done
    once they are sent; `resend_answered` sends them if that never happens), one without, done. Of
    two claims on one message, the first is the new one.
    """
    now = utcnow()
    rows, seen = [], set()
    for claim in claims:
        key = (claim.channel, claim.message_id)
        if key not in seen:
            seen.add(key)
            answered = claim.payload is not None
            rows.append({"channel": claim.channel, "message_id": claim.message_id, "payload": claim.payload,
                         "status": "answered" if answered else "done", "attempts": 1, "received_at": now,
                         "done_at": None if answered else now})
    added = {tuple(row) for row in (await conn.execute(statement, rows)).all()} if rows else set()
    for claim in claims:
        key = (claim.channel, claim.message_id)
        claim.new = key in added
        added.discard(key)


async def remember(db: Database, channel: str, message_id: str, payload: dict[str, Any] | None = None) -> bool:
    """Record an inbound message; return True if it is new, False if it was seen before."""
    async with db.session() as session:
        stmt = insert_statement(dialect_insert(session)).values(
            channel=channel, message_id=str(message_id), payload=payload, status="pending", attempts=1,
            received_at=utcnow())
        inserted = (await session.execute(stmt)).first()
        await session.commit()
    return inserted is not None


async def mark_done(db: Database, channel: str, message_id: str) -> None:
    """Record that an inbound message was handled."""
    await _set(db, channel, message_id, status="done", done_at=utcnow(), payload=None)


async def mark_failed(db: Database, channel: str, message_id: str) -> None:
    """Record that an inbound message could not be handled and must not be replayed."""
    await _set(db, channel, message_id, status="failed", done_at=utcnow())


async def pending(db: Database, channel: str, older_than_s: float, *, now: dt.datetime | None = None,
                  max_replays: int = MAX_REPLAYS) -> list[InboundRow]:
    """Return messages of a channel still pending after `older_than_s` seconds, for replay.

    Each returned row counts as one more attempt; rows that already had `max_replays`
    attempts are marked "failed" instead of being returned.
    """
    cutoff = (now or utcnow()) - dt.timedelta(seconds=older_than_s)
    base = (InboundRow.channel == channel, InboundRow.status == "pending", InboundRow.received_at <= cutoff)
    async with db.session() as session:
        await session.execute(update(InboundRow).where(*base, InboundRow.attempts >= max_replays)
                              .values(status="failed", done_at=utcnow()))
        rows = list((await session.scalars(select(InboundRow).where(*base).order_by(InboundRow.id)
                                           .with_for_update(skip_locked=True))).all())
        for row in rows:
            row.attempts += 1
        await session.commit()
    return rows


async def resend_answered(db: Database, outbox: Outbox, channel: str, older_than_s: float, *,
                          now: dt.datetime | None = None) -> int:
    """Queue in the outbox the replies of turns committed but never marked sent (the process died
    between its commit and its replies); return how many records. Each record is settled in the same
    transaction as its replies are queued, so they are queued once, whichever instance does it."""
    cutoff = (now or utcnow()) - dt.timedelta(seconds=older_than_s)
    async with db.session() as session:
        rows = list((await session.scalars(
            select(InboundRow).where(InboundRow.channel == channel, InboundRow.status == "answered",
                                     InboundRow.received_at <= cutoff)
            .order_by(InboundRow.id).with_for_update(skip_locked=True))).all())
        for row in rows:
            payload = row.payload or {}
            for number, reply in enumerate(payload.get("replies") or ()):
                await outbox.enqueue(session, channel=channel, recipient=str(payload.get("user")), kind="reply",
                                     payload=reply, dedup_key=f"inbound:{row.id}:{number}")
            row.status, row.done_at, row.payload = "done", utcnow(), None
        await session.commit()
    return len(rows)


async def purge(db: Database, older_than: dt.datetime) -> int:
    """Delete handled or failed records received before `older_than`; return how many."""
    async with db.session() as session:
        result = await session.execute(delete(InboundRow).where(
            InboundRow.status.in_(("done", "failed")), InboundRow.received_at < older_than))
        await session.commit()
        return result.rowcount or 0


async def _set(db: Database, channel: str, message_id: str, **values: Any) -> None:
    async with db.session() as session:
        await session.execute(update(InboundRow).where(
            InboundRow.channel == channel, InboundRow.message_id == str(message_id)).values(**values))
        await session.commit()
