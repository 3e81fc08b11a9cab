"""Complaint pages: the inbox with filters, one complaint (text, photo, map link, timeline, SLA),
status changes that notify the resident through the outbox (and whether those messages arrived),
internal notes and reassignment.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path

from aiohttp import web
from multidict import MultiDictProxy
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin import audit, complaintsq, notifications
from admin.auth import current, kominfo_only, opd_scope
from admin.complaintsq import STATUS_LABELS, InboxFilter

# "dialihkan" is never a stored status (a reassigned complaint is "baru" in its new OPD's inbox): no filter for it.
INBOX_STATUSES = {s: label for s, label in STATUS_LABELS.items() if s != "dialihkan"}
from admin.context import AdminContext
from admin.keys import CTX
from admin.pages import redirect, render
from admin.timeutil import city_today
from knowledge.records.complaints import REOPENABLE, STAFF_STATUSES, TRANSITIONS, ComplaintError
from knowledge.records.models import CategoryRow, ComplaintRow, OpdRow
from knowledge.records.workdays import working_days_between

log = logging.getLogger(__name__)

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MAX_NOTE = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _filter(request: web.Request) -> InboxFilter:
    q = request.query
    try:
        page = max(1, int(q.get("hal", "1")))
    except ValueError:
        page = 1
    return InboxFilter(status=q.get("status", ""), category=q.get("kategori", ""), kelurahan=q.get("kelurahan", ""),
                       kecamatan=q.get("kecamatan", ""), overdue=q.get("terlambat") == "1", opd=q.get("opd", ""),
                       ticket=q.get("tiket", "")[:20], page=page)


async def inbox(request: web.Request) -> web.Response:
    """List complaints of the admin's OPD (Kominfo: every OPD) with filters."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    f = _filter(request)
    today = city_today(ctx)
    async with ctx.db.session() as session:
        rows, total = await complaintsq.inbox(session, opd_scope(admin), f, today)
        choices = await complaintsq.filter_choices(session, opd_scope(admin))
        counts = await complaintsq.counts_by_status(session, opd_scope(admin), today)
        unreachable = await notifications.last_failed(session, [c.id for c, _, _ in rows], opd_scope(admin))
        opds = (await session.scalars(select(OpdRow).order_by(OpdRow.name))).all() if admin.is_kominfo else []
    items = [{"c": c, "opd": o, "category": name, "status": STATUS_LABELS.get(c.status, c.status),
              "left": working_days_between(today, c.due_date, ctx.holidays),
              "open": c.status in complaintsq.OPEN_STATUSES, "unreachable": c.id in unreachable}
             for c, o, name in rows]
    pages = max(1, -(-total // complaintsq.PAGE_SIZE))
    return render(request, "complaints.html", {"items": items, "total": total, "f": f, "choices": choices,
                                               "counts": counts, "opds": opds, "statuses": INBOX_STATUSES,
                                               "pages": pages})


async def _load(request: web.Request, session: AsyncSession) -> tuple[ComplaintRow, OpdRow]:
    """Return the complaint of the URL if the admin may see it; 404 otherwise."""
    found = await complaintsq.get(session, request.match_info["ticket"], opd_scope(current(request)))
    if found is None:
        raise web.HTTPNotFound(text="Pengaduan tidak ditemukan.")
    return found


async def detail(request: web.Request, *, error: str | None = None, status: int = 200,
                 kept: dict[str, str] | None = None) -> web.Response:
    """Show one complaint: text, photo, location, timeline, messages to the resident, SLA and the action forms
    (`kept`: what the admin typed into the status form, shown again with an error so nothing is lost)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    today = city_today(ctx)
    async with ctx.db.session() as session:
        c, opd = await _load(request, session)
        timeline = await ctx.complaints.timeline(session, c.id)
        sent = await notifications.for_complaint(session, c.id, opd_scope(admin))
        resident = await complaintsq.resident(session, c.resident_id)
        category = await session.scalar(select(CategoryRow.name).where(CategoryRow.code == c.category_code)) \
            if c.category_code else None
        others = (await session.scalars(select(OpdRow).where(OpdRow.id != c.opd_id).order_by(OpdRow.name))).all()
        categories = (await session.execute(select(CategoryRow.code, CategoryRow.name)
                                            .where(CategoryRow.opd_id == c.opd_id).order_by(CategoryRow.name))).all()
    is_open = c.status in complaintsq.OPEN_STATUSES
    allowed = TRANSITIONS.get(c.status, frozenset()) & STAFF_STATUSES  # never the resident's own "dibatalkan"
    next_statuses = [(s, label) for s, label in STATUS_LABELS.items() if s in allowed]
    return render(request, "complaint.html", {
        "c": c, "opd": opd, "category": category, "categories": categories, "timeline": timeline,
        "statuses": STATUS_LABELS,
        "resident": {"name": resident.display_name if resident else None,
                     "channel": resident.channel if resident else None,
                     "phone": resident.phone if resident else None},
        "notifications": sent, "unreachable": sent[-1] if sent and sent[-1].failed else None,
        "left": working_days_between(today, c.due_date, ctx.holidays), "open": is_open,
        "next_statuses": next_statuses, "reopenable": admin.is_kominfo and c.status in REOPENABLE, "others": others, "error": error, "admin": admin, "kept": kept or {},
        "opd_names": {o.slug: o.short_name or o.name for o in (*others, opd)},
    }, status=status)


async def detail_view(request: web.Request) -> web.Response:
    """Show one complaint."""
    return await detail(request)


def _note(form: MultiDictProxy[str | bytes | web.FileField]) -> str:
    """Return the note typed in a form: control characters (a NUL pasted from a document) dropped, line breaks kept."""
    return _CONTROL.sub("", str(form.get("note", "")).replace("\r\n", "\n")).strip()[:MAX_NOTE]


async def change_status(request: web.Request) -> web.Response:
    """Change the status with a note; the resident is told on their channel (through the outbox)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    new_status, note = str(form.get("status", "")), _note(form)
    kept = {"status": new_status, "note": note}
    if new_status not in STATUS_LABELS or new_status in ("baru", "dialihkan"):
        return await detail(request, error="Pilih status baru.", status=400, kept=kept)
    async with ctx.db.session() as session:
        c, _ = await _load(request, session)
        old = c.status
        try:
            await ctx.complaints.set_status(session, c.ticket, new_status, note=note, actor=admin.username)
        except ComplaintError as exc:
            await session.rollback()
            error = str(exc)
        else:
            await audit.record(session, admin, "complaint_status", c.ticket, now=ctx.now(), dari=old, ke=new_status)
            await session.commit()
            error = None
    if error:
        return await detail(request, error=error, status=400, kept=kept)
    raise redirect(request, "complaint", notice="status", ticket=c.ticket)


@kominfo_only
async def reopen(request: web.Request) -> web.Response:
    """Reopen a closed complaint (Kominfo only); the resident is told why."""
    return await _tell_resident(request, "reopen", "complaint_reopen", "dibuka")


async def message_resident(request: web.Request) -> web.Response:
    """Send the resident a message without changing the status (a progress update, a question)."""
    return await _tell_resident(request, "message_resident", "complaint_message", "pesan")


async def _tell_resident(request: web.Request, action: str, audited: str, notice: str) -> web.Response:
    """Run a ComplaintService action that sends the form's note to the resident; show its refusal, if any,
    with the note kept in the form (`kept[action]`)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    note = _note(await request.post())
    async with ctx.db.session() as session:
        c, _ = await _load(request, session)
        try:
            await getattr(ctx.complaints, action)(session, c.ticket, note, actor=admin.username)
        except ComplaintError as exc:
            await session.rollback()
            error = str(exc)
        else:
            await audit.record(session, admin, audited, c.ticket, now=ctx.now())
            await session.commit()
            error = None
    if error:
        return await detail(request, error=error, status=400, kept={action: note})
    raise redirect(request, "complaint", notice=notice, ticket=c.ticket)


async def add_note(request: web.Request) -> web.Response:
    """Add an internal note the resident does not see."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    note = _note(await request.post())
    if not note:
        return await detail(request, error="Catatan internal tidak boleh kosong.", status=400)
    async with ctx.db.session() as session:
        c, _ = await _load(request, session)
        await ctx.complaints.add_note(session, c.ticket, note, actor=admin.username)
        await audit.record(session, admin, "complaint_note", c.ticket, now=ctx.now())
        await session.commit()
    raise redirect(request, "complaint", notice="catatan", ticket=c.ticket)


async def set_category(request: web.Request) -> web.Response:
    """Set the complaint's category to one of its OPD's (internal: the resident is not told)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    code = str((await request.post()).get("category", ""))
    error = None
    async with ctx.db.session() as session:
        c, opd = await _load(request, session)
        try:
            await ctx.complaints.set_category(session, c.ticket, code, actor=admin.username)
        except ComplaintError as exc:
            await session.rollback()
            error = str(exc)
        else:
            await audit.record(session, admin, "complaint_category", c.ticket, now=ctx.now(), kategori=code)
            await session.commit()
    if error:
        return await detail(request, error=error, status=400)
    raise redirect(request, "complaint", notice="kategori", ticket=c.ticket)


async def reassign(request: web.Request) -> web.Response:
    """Move the complaint to another OPD's inbox (status "dialihkan"); the resident is told."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    to_slug, note = str(form.get("opd", "")), _note(form)
    error = None
    async with ctx.db.session() as session:
        c, opd = await _load(request, session)
        try:
            await ctx.complaints.set_status(session, c.ticket, "dialihkan", note=note, actor=admin.username,
                                            to_opd=to_slug or None)
        except ComplaintError as exc:
            await session.rollback()
            error = str(exc)
        else:
            await audit.record(session, admin, "complaint_reassign", c.ticket, now=ctx.now(), dari=opd.slug,
                               ke=to_slug)
            await session.commit()
    if error:
        return await detail(request, error=error, status=400)
    if admin.is_kominfo:
        raise redirect(request, "complaint", notice="dialihkan", ticket=c.ticket)
    raise redirect(request, "complaints", notice="dialihkan")


async def photo(request: web.Request) -> web.StreamResponse:
    """Serve a complaint's photo to the admins who may see the complaint (never a public URL)."""
    ctx: AdminContext = request.app[CTX]
    async with ctx.db.session() as session:
        c, _ = await _load(request, session)
    if not c.photo_path:
        raise web.HTTPNotFound(text="Pengaduan ini tidak berfoto.")
    root = Path(ctx.media_dir).resolve()
    path = (root / c.photo_path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        log.warning("photo of %s is missing or outside the media folder", c.ticket)
        raise web.HTTPNotFound(text="Foto tidak ditemukan.")
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Content-Type": mime if mime in IMAGE_TYPES else "application/octet-stream",
               "Content-Disposition": "inline" if mime in IMAGE_TYPES else "attachment",
               "Cache-Control": "private, no-store"}
    return web.FileResponse(path, headers=headers)
