"""The quick-win dashboard, its CSV, the printable monthly report, and Kominfo's targets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import time
from dataclasses import replace

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin import audit, charts, figures, stats
from admin.auth import Admin, current, kominfo_only
from admin.context import AdminContext
from admin.keys import CTX
from admin.pages import redirect, render
from admin import timeutil
from admin.timeutil import MONTHS, Period, city_today, city_zone, month_period, parse_period
from knowledge.records.models import OpdRow, TargetRow

log = logging.getLogger(__name__)

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


async def _scope(session: AsyncSession, admin: Admin, slug: str) -> tuple[OpdRow | None, list[OpdRow]]:
    """Return the OPD whose figures are shown (None: the city) and the OPDs Kominfo may pick.

    An OPD admin always gets their own OPD; asking for another OPD is a 404.
    """
    if admin.is_kominfo:
        opds = list((await session.scalars(select(OpdRow).order_by(OpdRow.name))).all())
        chosen = next((o for o in opds if o.slug == slug), None)
        if slug and chosen is None:
            raise web.HTTPNotFound(text="OPD tidak ditemukan.")
        return chosen, opds
    if slug and slug != admin.opd_slug:
        raise web.HTTPNotFound(text="OPD tidak ditemukan.")
    own = await session.get(OpdRow, admin.opd_id)
    return own, []


async def targets(session: AsyncSession) -> dict[str, float]:
    """Return Kominfo's target for each figure that has one."""
    return {t.figure: t.value for t in (await session.scalars(select(TargetRow))).all()}


async def _compute(request: web.Request, period: Period) -> tuple[stats.Dashboard, list[OpdRow], dict[str, float]]:
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    async with ctx.db.session() as session:
        opd, opds = await _scope(session, admin, request.query.get("opd", ""))
        started = time.perf_counter()
        board = await stats.dashboard(session, period, opd, city_zone(ctx))
        log.debug("dashboard computed in %.0f ms", (time.perf_counter() - started) * 1000)
        goals = await targets(session)
    return board, opds, goals


def _rows(board: stats.Dashboard, goals: dict[str, float]) -> list[dict]:
    out = []
    for f in figures.FIGURES:
        value = board.figures.get(f.key)
        goal = goals.get(f.key) if f.better else None
        out.append({"f": f, "value": value, "text": figures.fmt(f, value), "target": goal,
                    "target_text": figures.fmt(f, goal) if goal is not None else "",
                    "on_track": figures.on_track(f, value, goal)})
    return out


def _charts(board: stats.Dashboard) -> list[charts.BarChart]:
    labels = [f"{d['day'].day}/{d['day'].month}" for d in board.daily]
    every = max(1, len(labels) // 12)
    return [
        charts.bar_chart("Pertanyaan per hari", labels, [
            ("s-asked", "Pertanyaan", [d["questions"] for d in board.daily]),
            ("s-answered", "Terjawab", [d["answered"] for d in board.daily]),
        ], label_every=every),
        charts.bar_chart("Pengaduan per hari", labels, [
            ("s-complaints", "Pengaduan", [d["complaints"] for d in board.daily]),
        ], label_every=every),
    ]


def _context(request: web.Request, board: stats.Dashboard, opds: list[OpdRow], goals: dict[str, float]) -> dict:
    ctx: AdminContext = request.app[CTX]
    kb = ctx.live.kb
    top = [(key, (kb.faq(key).question if kb.faq(key) else key), n) for key, n in board.top_questions]
    return {"board": board, "rows": _rows(board, goals), "charts": _charts(board), "opds": opds, "top": top,
            "opd_slug": board.opd.slug if board.opd else "", "period": board.period,
            "max_rating": max(board.ratings.values(), default=0)}


async def dashboard(request: web.Request) -> web.Response:
    """Show the quick-win figures for a period (default: the last 30 days)."""
    ctx: AdminContext = request.app[CTX]
    period = parse_period(ctx, request.query.get("dari"), request.query.get("sampai"))
    board, opds, goals = await _compute(request, period)
    today = city_today(ctx)
    return render(request, "stats.html", {**_context(request, board, opds, goals),
                                          "this_month": f"{today.year:04d}-{today.month:02d}"})


def _cell(value: object) -> str:
    """Keep spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def dashboard_csv(request: web.Request) -> web.Response:
    """Return the dashboard's figures as CSV (same period and OPD parameters as the page)."""
    ctx: AdminContext = request.app[CTX]
    period = parse_period(ctx, request.query.get("dari"), request.query.get("sampai"))
    board, _, goals = await _compute(request, period)
    scope = board.opd.slug if board.opd else "kota"
    rows: list[list[object]] = [
        ["bagian", "kunci", "keterangan", "nilai", "target", "sesuai_target"],
        ["periode", "dari", period.start.isoformat(), "", "", ""],
        ["periode", "sampai", period.last.isoformat(), "", "", ""],
        ["periode", "opd", scope, "", "", ""],
    ]
    for row in _rows(board, goals):
        value, goal = row["value"], row["target"]
        rows.append(["angka", row["f"].key, row["f"].label, "" if value is None else round(value, 4),
                     "" if goal is None else round(goal, 4), {True: "ya", False: "tidak", None: ""}[row["on_track"]]])
    for c in board.channels:
        rows.append(["kanal", c["channel"], "warga", c["total"], "", ""])
        rows.append(["kanal", c["channel"], "warga baru", c["new"], "", ""])
    rows += [["pertanyaan_teratas", key, "", n, "", ""] for key, n in board.top_questions]
    for section, items in (("pengaduan_per_opd", board.by_opd), ("pengaduan_per_kategori", board.by_category),
                           ("pengaduan_per_kecamatan", board.by_kecamatan)):
        rows += [[section, "", name, n, "", ""] for name, n in items]
    rows += [["nilai_pelapor", stars, "", n, "", ""] for stars, n in board.ratings.items()]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[_cell(v) for v in r] for r in rows])
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="tanyakota-{scope}-{period.start}.csv"'})


async def report(request: web.Request) -> web.Response:
    """Show the printable monthly report (`?month=YYYY-MM`, default: this month)."""
    ctx: AdminContext = request.app[CTX]
    today = city_today(ctx)
    m = MONTH_RE.match(request.query.get("month", ""))
    year, month = (int(m.group(1)), int(m.group(2))) if m else (today.year, today.month)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise web.HTTPBadRequest(text="Bulan tidak valid. Contoh: 2025-03.")
    period = month_period(ctx, year, month)
    if period.start > today:
        raise web.HTTPBadRequest(text="Bulan itu belum dimulai. Pilih bulan ini atau bulan sebelumnya.")
    if today < period.last:  # the month under way: its figures up to today, not empty days to come
        period = replace(timeutil.period(ctx, period.start, today + dt.timedelta(days=1)),
                         note=f"Bulan berjalan: angka sampai {timeutil.long_date(today)}.")
    board, opds, goals = await _compute(request, period)
    return render(request, "report.html", {**_context(request, board, opds, goals),
                                           "month_label": f"{MONTHS[month - 1]} {year}", "note": period.note,
                                           "month_value": f"{year:04d}-{month:02d}"})


@kominfo_only
async def targets_view(request: web.Request) -> web.Response:
    """Show and save Kominfo's target for each figure (empty: no target)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    errors: dict[str, str] = {}
    async with ctx.db.session() as session:
        goals = await targets(session)
        if request.method == "POST":
            form = await request.post()
            changes: dict[str, float | None] = {}
            for f in figures.TARGETABLE:
                try:
                    changes[f.key] = figures.parse_target(f, str(form.get(f.key, "")))
                except ValueError:
                    errors[f.key] = "Angka tidak valid."
            if not errors:
                for key, value in changes.items():
                    if goals.get(key) == value:
                        continue
                    row = await session.get(TargetRow, key)
                    if value is None:
                        if row is not None:
                            await session.delete(row)
                    elif row is None:
                        session.add(TargetRow(figure=key, value=value, updated_by=admin.username,
                                              updated_at=ctx.now()))
                    else:
                        row.value, row.updated_by, row.updated_at = value, admin.username, ctx.now()
                    await audit.record(session, admin, "target_set", key, now=ctx.now(), nilai=value)
                await session.commit()
                raise redirect(request, "targets", notice="target")
    items = [{"f": f, "value": figures.target_input(f, goals.get(f.key)), "error": errors.get(f.key)}
             for f in figures.TARGETABLE]
    return render(request, "targets.html", {"items": items}, status=400 if errors else 200)
