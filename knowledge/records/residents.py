"""Residents: one row per (channel, external id), created on first contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from knowledge.records.db import Prepared, dialect_insert
from knowledge.records.hot import InlineHotConnection
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


@dataclass(frozen=True)
class ResidentTouch:
    """One inbound message's facts about its resident, for `touch_residents`."""

    channel: str
    external_id: str
    display_name: str | None = None
    phone: str | None = None  # only when the resident shared it


def touch_statement(insert: Any) -> Any:
    """Return the multi-row upsert of `touch_residents` (`insert`: the dialect's insert, see `Prepared`)."""
    table = ResidentRow.__table__
    upsert = insert(table)
    return upsert.on_conflict_do_update(
        index_elements=[table.c.channel, table.c.external_id],
        set_={"last_inbound_at": upsert.excluded.last_inbound_at,
              "display_name": func.coalesce(upsert.excluded.display_name, table.c.display_name),
              "phone": func.coalesce(upsert.excluded.phone, table.c.phone)})


async def touch_residents(session: AsyncSession | AsyncConnection | InlineHotConnection, touches: Sequence[ResidentTouch], *,
                          now: dt.datetime | None = None, statement: Prepared | None = None) -> None:
    """Create or update many residents in one statement, returning nothing (a question turn's hot path).

    Same effect as `get_or_create_resident` (plus a shared phone number): created on first
    contact, this message's time recorded, a missing name or phone never erases a known one.
    `statement` (a `Prepared(touch_statement)`) saves building the statement on every call.
    """
    now = now or utcnow()
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for t in touches:  # one row per resident: PostgreSQL refuses to upsert a row twice in one statement
        key = (t.channel, str(t.external_id))
        old = merged.get(key, {})
        merged[key] = {"channel": key[0], "external_id": key[1], "created_at": now, "last_inbound_at": now,
                       "display_name": (t.display_name[:200] if t.display_name else None) or old.get("display_name"),
                       "phone": t.phone or old.get("phone")}
    if not merged:
        return
    stmt = statement.on(session) if statement else touch_statement(dialect_insert(session))
    await session.execute(stmt, list(merged.values()))
