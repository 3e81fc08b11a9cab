"""The dashboard's figures, computed with a handful of aggregate queries over a period.

An OPD admin's figures are limited to their OPD in the queries themselves: events whose `opd`
is that OPD (questions answered or routed to it) and complaints in its inbox. Kominfo sees the
whole city or one OPD.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from admin.timeutil import Period
from knowledge.records.models import CategoryRow, ComplaintRow, EventRow, OpdRow

CLOSED = ("selesai", "ditolak")


@dataclass
class Dashboard:
    period: Period
    opd: OpdRow | None  # None: the whole city
    figures: dict[str, float | None] = field(default_factory=dict)
    channels: list[dict[str, Any]] = field(default_factory=list)  # channel, total, new, returning
    top_questions: list[tuple[str, int]] = field(default_factory=list)  # faq key, count
    by_opd: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_kecamatan: list[tuple[str, int]] = field(default_factory=list)
    ratings: dict[int, int] = field(default_factory=dict)
    daily: list[dict[str, Any]] = field(default_factory=list)  # day, questions, answered, complaints


def _day(column: Any, dialect: str, zone: dt.tzinfo, day: dt.date) -> Any:
    """Return an SQL expression for the city-local date of a UTC timestamp column."""
    if dialect == "postgresql":
        return cast(func.timezone(str(zone), column), Date)
    offset = dt.datetime.combine(day, dt.time(12), zone).utcoffset() or dt.timedelta()
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


async def _events(session: AsyncSession, d: Dashboard, slug: str | None, zone: dt.tzinfo) -> dict[str, int]:
    """Count events by kind, outcome, answered and city day, in one pass over the covering index."""
    p = d.period
    day = _day(EventRow.created_at, session.get_bind().dialect.name, zone, p.start).label("day")
    query = (select(EventRow.kind, EventRow.outcome, EventRow.answered, day, func.count())
             .where(EventRow.created_at >= p.start_utc, EventRow.created_at < p.end_utc,
                    EventRow.kind.in_(("question", "unanswered", "feedback")))
             .group_by(EventRow.kind, EventRow.outcome, EventRow.answered, day))
    if slug:
        query = query.where(EventRow.opd == slug)
    counts: Counter[str] = Counter()
    for kind, outcome, answered, day_value, n in (await session.execute(query)).all():
        counts[kind] += n
        counts[f"{kind}:{outcome}"] += n
        if kind == "question":
            counts[f"day:{day_value}"] += n
            if answered:
                counts["answered"] += n
                counts[f"answered:{day_value}"] += n
    return counts


async def _residents(session: AsyncSession, d: Dashboard, slug: str | None) -> None:
    """Count unique residents per channel in the period, split into new and returning."""
    p = d.period
    first = (select(EventRow.channel, EventRow.resident, func.min(EventRow.created_at).label("first"))
             .where(EventRow.created_at < p.end_utc)
             .group_by(EventRow.channel, EventRow.resident)
             .having(func.max(EventRow.created_at) >= p.start_utc))
    if slug:
        first = first.where(EventRow.opd == slug)
    sub = first.subquery()
    new = func.sum(case((sub.c.first >= p.start_utc, 1), else_=0))
    rows = (await session.execute(select(sub.c.channel, func.count(), new).group_by(sub.c.channel)
                                  .order_by(func.count().desc()))).all()
    d.channels = [{"channel": c, "total": int(t), "new": int(n or 0), "returning": int(t) - int(n or 0)}
                  for c, t, n in rows]
    d.figures["residents"] = sum(c["total"] for c in d.channels)
    d.figures["residents_new"] = sum(c["new"] for c in d.channels)
    d.figures["residents_returning"] = sum(c["returning"] for c in d.channels)


async def _top_questions(session: AsyncSession, d: Dashboard, slug: str | None, limit: int = 10) -> None:
    p = d.period
    query = (select(EventRow.faq_key, func.count().label("n"))
             .where(EventRow.kind == "question", EventRow.outcome == "answer", EventRow.faq_key.is_not(None),
                    EventRow.created_at >= p.start_utc, EventRow.created_at < p.end_utc)
             .group_by(EventRow.faq_key).order_by(func.count().desc(), EventRow.faq_key).limit(limit))
    if slug:
        query = query.where(EventRow.opd == slug)
    d.top_questions = [(k, int(n)) for k, n in (await session.execute(query)).all()]


async def _daily(session: AsyncSession, d: Dashboard, counts: Counter[str], opd_id: int | None,
                 zone: dt.tzinfo) -> None:
    """Fill the per-day series: questions and answered (from the event counts) and complaints filed."""
    p = d.period
    cday = _day(ComplaintRow.created_at, session.get_bind().dialect.name, zone, p.start).label("day")
    cq = (select(cday, func.count()).where(ComplaintRow.created_at >= p.start_utc,
                                          ComplaintRow.created_at < p.end_utc).group_by(cday))
    if opd_id is not None:
        cq = cq.where(ComplaintRow.opd_id == opd_id)
    complaints = {str(day_value): int(n) for day_value, n in (await session.execute(cq)).all()}
    d.daily = []
    for i in range(p.days):
        key = (p.start + dt.timedelta(days=i)).isoformat()
        d.daily.append({"day": p.start + dt.timedelta(days=i), "questions": counts[f"day:{key}"],
                        "answered": counts[f"answered:{key}"], "complaints": complaints.get(key, 0)})


async def _complaints(session: AsyncSession, d: Dashboard, opd_id: int | None, zone: dt.tzinfo) -> None:
    """Complaint figures for complaints filed in the period (times and SLA over those closed)."""
    p = d.period
    in_period = (ComplaintRow.created_at >= p.start_utc, ComplaintRow.created_at < p.end_utc)
    scope = () if opd_id is None else (ComplaintRow.opd_id == opd_id,)

    async def breakdown(label: Any, *joins: tuple[Any, Any]) -> list[tuple[str, int]]:
        q = select(label, func.count()).select_from(ComplaintRow)
        for table, on in joins:
            q = q.outerjoin(table, on)
        q = q.where(*in_period, *scope).group_by(label).order_by(func.count().desc()).limit(15)
        return [(str(name) if name else "(tidak diketahui)", int(n)) for name, n in (await session.execute(q)).all()]

    d.by_opd = await breakdown(OpdRow.name, (OpdRow, OpdRow.id == ComplaintRow.opd_id))
    d.by_category = await breakdown(func.coalesce(CategoryRow.name, ComplaintRow.category_code),
                                    (CategoryRow, CategoryRow.code == ComplaintRow.category_code))
    d.by_kecamatan = await breakdown(ComplaintRow.kecamatan)
    rows = (await session.execute(
        select(ComplaintRow.status, ComplaintRow.created_at, ComplaintRow.first_response_at,
               ComplaintRow.resolved_at, ComplaintRow.due_date).where(*in_period, *scope))).all()
    d.figures["complaints"] = len(rows)
    first = [(r.first_response_at - r.created_at).total_seconds() / 3600 for r in rows if r.first_response_at]
    closed = [r for r in rows if r.resolved_at and r.status in CLOSED]
    resolution = [(r.resolved_at - r.created_at).total_seconds() / 86400 for r in closed]
    solved = [r for r in closed if r.status == "selesai"]
    within = [r for r in solved if r.resolved_at.astimezone(zone).date() <= r.due_date]
    d.figures["first_response_hours"] = statistics.median(first) if first else None
    d.figures["resolution_days"] = statistics.median(resolution) if resolution else None
    d.figures["within_sla_rate"] = _ratio(len(within), len(solved))
    owned = [r for r in rows if r.status != "dibatalkan"]  # a complaint its resident withdrew was not the OPD's to solve
    d.figures["resolution_rate"] = _ratio(len(solved), len(owned))
    ratings = (await session.execute(
        select(ComplaintRow.rating, func.count()).where(*in_period, ComplaintRow.rating.is_not(None), *scope)
        .group_by(ComplaintRow.rating))).all()
    d.ratings = {i: 0 for i in range(1, 6)} | {int(r): int(n) for r, n in ratings if 1 <= int(r) <= 5}
    total = sum(d.ratings.values())
    d.figures["satisfaction"] = sum(k * v for k, v in d.ratings.items()) / total if total else None


async def dashboard(session: AsyncSession, period: Period, opd: OpdRow | None, zone: dt.tzinfo) -> Dashboard:
    """Compute every figure of the dashboard for a period, for one OPD or (None) the whole city."""
    d = Dashboard(period=period, opd=opd)
    slug, opd_id = (opd.slug, opd.id) if opd else (None, None)
    counts = await _events(session, d, slug, zone)
    questions = counts["question"]
    d.figures["questions"] = questions
    d.figures["answer_rate"] = _ratio(counts["answered"], questions)
    d.figures["unanswered_rate"] = _ratio(counts["unanswered"], questions)
    d.figures["thumbs_up_rate"] = _ratio(counts["feedback:up"], counts["feedback:up"] + counts["feedback:down"])
    await _residents(session, d, slug)
    await _top_questions(session, d, slug)
    await _complaints(session, d, opd_id, zone)
    await _daily(session, d, counts, opd_id, zone)
    return d

