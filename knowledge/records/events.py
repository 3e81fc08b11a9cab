"""Interaction events for the dashboard, without raw resident ids and with masked, purgeable texts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from knowledge.privacy import mask
from knowledge.records.hot import InlineHotConnection
from knowledge.records.models import EventRow, utcnow

TEXT_LIMIT = 500


class EventRecorder:
    """Record events under a keyed pseudonym of the resident (HMAC), so ids never reach analytics."""

    def __init__(self, secret_key: str):
        if not secret_key:
            raise ValueError("EventRecorder needs the secret key")
        self._key = secret_key.encode()
        self._insert = insert(EventRow.__table__)  # built once: every turn inserts its events

    def pseudonym(self, channel: str, external_id: str) -> str:
        """Return a stable 32-hex-character pseudonym for a resident."""
        return hmac.new(self._key, f"{channel}:{external_id}".encode(), hashlib.sha256).hexdigest()[:32]

    def values(self, *, channel: str, external_id: str, kind: str, outcome: str | None = None,
               faq_key: str | None = None, opd: str | None = None, score: float | None = None,
               answered: bool | None = None, latency_ms: float | None = None, text: str | None = None,
               data: dict[str, Any] | None = None, created_at: dt.datetime | None = None) -> dict[str, Any]:
        """Return one event's column values (pseudonymous resident; text masked and cut to 500 characters)."""
        return {"created_at": created_at or utcnow(), "channel": channel,
                "resident": self.pseudonym(channel, external_id), "kind": kind, "outcome": outcome,
                "faq_key": faq_key, "opd": opd, "score": score, "answered": answered, "latency_ms": latency_ms,
                "text": mask(text)[:TEXT_LIMIT] if text else None, "data": data}

    async def record(self, session: AsyncSession, **fields: Any) -> EventRow:
        """Add one event to the caller's session (the fields of `values`)."""
        row = EventRow(**self.values(**fields))
        session.add(row)
        await session.flush()
        return row

    async def insert_many(self, session: AsyncSession | AsyncConnection | InlineHotConnection, rows: list[dict[str, Any]]) -> None:
        """Insert events built by `values` with one multi-row statement, in the caller's transaction
        (a session's or a Core connection's)."""
        if rows:
            await session.execute(self._insert, rows)

    async def purge_texts(self, session: AsyncSession, older_than: dt.datetime) -> int:
        """Erase the message texts of events before `older_than` (retention); return how many."""
        result = await session.execute(
            update(EventRow).where(EventRow.created_at < older_than, EventRow.text.is_not(None)).values(text=None))
        return result.rowcount or 0
