"""Residents: one row per (channel, external id), created on first contact."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.db import dialect_insert
from knowledge.records.models import ResidentRow, utcnow


async def get_or_create_resident(session: AsyncSession, channel: str, external_id: str,
                                 display_name: str | None = None, *, now: dt.datetime | None = None) -> ResidentRow:
    """Return the resident, creating it if new; record this inbound message's time and name.

    One INSERT ... ON CONFLICT DO UPDATE, so two first messages arriving together still
    make exactly one resident. A missing display name never erases a known one.
    """
    now = now or utcnow()
    name = display_name[:200] if display_name else None
    insert = dialect_insert(session)(ResidentRow).values(
        channel=channel, external_id=str(external_id), display_name=name, created_at=now, last_inbound_at=now)
    stmt = insert.on_conflict_do_update(
        index_elements=[ResidentRow.channel, ResidentRow.external_id],
        set_={"last_inbound_at": now,
              "display_name": func.coalesce(insert.excluded.display_name, ResidentRow.display_name)},
    ).returning(ResidentRow)
    result = await session.scalars(stmt, execution_options={"populate_existing": True})
    return result.one()
