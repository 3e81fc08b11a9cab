"""Complaint inbox queries, always limited to the admin's OPD (None: Kominfo, every OPD)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.records.models import CategoryRow, ComplaintRow, OpdRow, ResidentRow
from knowledge.records.tickets import ticket_suffix

from knowledge.records.complaints import FINAL, STATUSES, status_label

OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL)
STATUS_LABELS = {s: status_label(s) for s in STATUSES}
PAGE_SIZE = 100


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category: str = ""
    kelurahan: str = ""
    kecamatan: str = ""
    overdue: bool = False
    opd: str = ""  # Kominfo only
    ticket: str = ""
    page: int = 1


def _scoped(query: Select[Any], opd_id: int | None) -> Select[Any]:
    """Limit a query to one OPD's complaints (None: Kominfo, every OPD)."""
    return query if opd_id is None else query.where(ComplaintRow.opd_id == opd_id)


async def inbox(session: AsyncSession, opd_id: int | None, f: InboxFilter,
                today: dt.date) -> tuple[list[tuple[ComplaintRow, OpdRow, str | None]], int]:
    """Return one page of complaints (newest first) with their OPD and category name, and the total."""
    query = _scoped(select(ComplaintRow, OpdRow, CategoryRow.name)
                    .join(OpdRow, OpdRow.id == ComplaintRow.opd_id)
                    .outerjoin(CategoryRow, CategoryRow.code == ComplaintRow.category_code), opd_id)
    if f.status in STATUS_LABELS:
        query = query.where(ComplaintRow.status == f.status)
    elif f.status == "terbuka":
        query = query.where(ComplaintRow.status.in_(OPEN_STATUSES))
    if f.category:
        query = query.where(ComplaintRow.category_code == f.category)
    if f.kelurahan:
        query = query.where(ComplaintRow.kelurahan == f.kelurahan)
    if f.kecamatan:
        query = query.where(ComplaintRow.kecamatan == f.kecamatan)
    if f.overdue:
        query = query.where(ComplaintRow.due_date < today, ComplaintRow.status.in_(OPEN_STATUSES))
    if f.opd:
        query = query.where(OpdRow.slug == f.opd)
    if f.ticket:  # the whole number, or its random part alone ("6dd2k1": what a resident reads out on the phone)
        suffix = ticket_suffix(f.ticket)
        query = query.where(ComplaintRow.ticket.like(f"%-{suffix}") if suffix
                            else ComplaintRow.ticket == f.ticket.strip().upper())
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(query.order_by(ComplaintRow.created_at.desc(), ComplaintRow.id.desc())
                                 .offset((max(f.page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return [(c, o, name) for c, o, name in rows.all()], int(total)


async def filter_choices(session: AsyncSession, opd_id: int | None) -> dict[str, list[tuple[str, str]]]:
    """Return the values the inbox can be filtered by, from the admin's own complaints and categories."""
    cats = select(CategoryRow.code, CategoryRow.name).order_by(CategoryRow.name)
    if opd_id is not None:
        cats = cats.where(CategoryRow.opd_id == opd_id)
    out: dict[str, list[tuple[str, str]]] = {"category": [(c, n) for c, n in (await session.execute(cats)).all()]}
    for column in ("kelurahan", "kecamatan"):
        col = getattr(ComplaintRow, column)
        values = await session.scalars(_scoped(select(col).where(col.is_not(None)).distinct(), opd_id).order_by(col))
        out[column] = [(v, v) for v in values.all() if v]
    return out


async def get(session: AsyncSession, ticket: str, opd_id: int | None) -> tuple[ComplaintRow, OpdRow] | None:
    """Return one complaint and its OPD, or None when unknown or another OPD's."""
    query = _scoped(select(ComplaintRow, OpdRow).join(OpdRow, OpdRow.id == ComplaintRow.opd_id)
                    .where(ComplaintRow.ticket == ticket.strip().upper()), opd_id)
    row = (await session.execute(query)).first()
    return (row[0], row[1]) if row else None


async def resident(session: AsyncSession, resident_id: int) -> ResidentRow | None:
    return await session.get(ResidentRow, resident_id)


async def counts_by_status(session: AsyncSession, opd_id: int | None, today: dt.date) -> dict[str, int]:
    """Return how many complaints are in each status, plus `terlambat` (open and past due)."""
    rows = await session.execute(_scoped(select(ComplaintRow.status, func.count()), opd_id)
                                 .group_by(ComplaintRow.status))
    out = {s: int(n) for s, n in rows.all()}
    out["terlambat"] = int(await session.scalar(_scoped(
        select(func.count()).select_from(ComplaintRow)
        .where(ComplaintRow.due_date < today, ComplaintRow.status.in_(OPEN_STATUSES)), opd_id)) or 0)
    return out
