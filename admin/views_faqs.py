"""FAQ pages: list and search, new, edit, archive, versions and restore, the "perlu ditinjau" list.

Every lookup goes through `faqstore` with the admin's OPD scope, so another OPD's entry is a 404.
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from admin import audit, faqstore, unanswered
from admin.auth import Admin, current, opd_scope
from admin.context import AdminContext
from admin.keys import CTX
from admin.pages import redirect, render
from admin.timeutil import city_today
from knowledge.records.models import FaqRow, OpdRow

log = logging.getLogger(__name__)


async def reload_knowledge(ctx: AdminContext) -> None:
    """Rebuild this instance's matcher at once (other instances notice the revision within seconds)."""
    try:
        await ctx.live.refresh(force=True)
    except Exception:  # the change is saved; the bot picks it up at its next check anyway
        log.exception("could not reload the knowledge base after an FAQ change")


async def faq_list(request: web.Request) -> web.Response:
    """List the FAQ entries of the admin's OPD (Kominfo: every OPD), with a search box."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    search = request.query.get("q", "").strip()[:200]
    show_archived = request.query.get("arsip") == "1"
    async with ctx.db.session() as session:
        opds = await faqstore.opds(session, opd_scope(admin))
        opd_filter = next((o.id for o in opds if o.slug == request.query.get("opd")), None)
        rows = await faqstore.list_faqs(session, opd_scope(admin), search=search, archived=show_archived,
                                        opd_filter=opd_filter)
        due = await faqstore.due_for_review(session, opd_scope(admin), city_today(ctx))
    return render(request, "faqs.html", {
        "rows": rows, "search": search, "show_archived": show_archived, "opds": opds,
        "opd_filter": request.query.get("opd", ""), "due_count": len(due), "today": city_today(ctx),
    })


async def _form_opd(session: AsyncSession, admin: Admin, slug: str) -> OpdRow | None:
    """Return the OPD a new entry goes to: the admin's own, or the one Kominfo chose."""
    opds = await faqstore.opds(session, opd_scope(admin))
    if not admin.is_kominfo:
        return opds[0] if opds else None
    return next((o for o in opds if o.slug == slug), None)


def _prefill(request: web.Request) -> dict[str, str]:
    """Read a pre-filled form from the query ("jadikan FAQ" from the unanswered questions)."""
    q = request.query
    return {k: q.get(k, "")[:2000] for k in ("question", "alternatives", "answer", "keywords", "source",
                                               "review_by", "opd", "group")}


async def faq_new(request: web.Request) -> web.Response:
    """Show the form for a new FAQ entry, or save it."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    async with ctx.db.session() as session:
        opds = await faqstore.opds(session, opd_scope(admin))
        if request.method == "GET":
            values = _prefill(request)
            return render(request, "faq_form.html", {"values": values, "errors": {}, "opds": opds, "row": None})
        form = await request.post()
        data, errors = faqstore.parse_form(form)
        opd = await _form_opd(session, admin, str(form.get("opd", "")))
        if opd is None:
            errors["opd"] = "Pilih OPD yang menjawab pertanyaan ini."
        errors = await faqstore.duplicate_errors(session, data, None) | errors
        if errors:
            return render(request, "faq_form.html", {"values": dict(form), "errors": errors, "opds": opds,
                                                     "row": None}, status=400)
        assert opd is not None
        row = await faqstore.create(session, opd, data, actor=admin.username, now=ctx.now())
        await audit.record(session, admin, "faq_create", row.key, now=ctx.now(), opd=opd.slug)
        group = str(form.get("group", "")).strip()
        if group:  # made from a group of unanswered questions ("Jadikan FAQ"): that group is dealt with
            await unanswered.dismiss(session, kind="question", signature=group, opd_id=opd_scope(admin),
                                     actor=admin.username, now=ctx.now())
        await session.commit()
        log.info("faq %s created by %s", row.key, admin.username)
    await reload_knowledge(ctx)
    raise redirect(request, "faq_edit", notice="dibuat", key=row.key)


async def _scoped_faq(session: AsyncSession, request: web.Request) -> tuple[FaqRow, OpdRow]:
    found = await faqstore.get_faq(session, request.match_info["key"], opd_scope(current(request)))
    if found is None:
        raise web.HTTPNotFound(text="FAQ tidak ditemukan.")
    return found


def _values(row: FaqRow) -> dict[str, str]:
    return {
        "question": row.question, "answer": row.answer,
        "alternatives": "\n".join(row.alternatives or []), "keywords": ", ".join(row.keywords or []),
        "source": row.source or "", "review_by": row.review_by.isoformat() if row.review_by else "",
    }


def _with_new_phrasings(values: dict[str, str], request: web.Request, key: str) -> tuple[dict[str, str], int]:
    """Add the residents' questions passed as `variasi` ("tambahkan ke variasi" on the unanswered page)
    to the form's alternatives, those it lacks; the admin reviews them and saves. Return the values and
    how many were added."""
    lines = values["alternatives"].splitlines() if values["alternatives"] else []
    typed = (" ".join(text.split())[:faqstore.MAX_QUESTION] for text in request.query.getall("variasi", []))
    added = unanswered.new_phrasings((values["question"], *lines), typed)
    if not added:
        return values, 0
    group = request.query.get("group", "")
    return {**values, "alternatives": "\n".join(lines + added), **({"group": key} if group == key else {})}, len(added)


async def faq_edit(request: web.Request) -> web.Response:
    """Show an entry with its versions, or save the edited entry as a new version."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    async with ctx.db.session() as session:
        row, opd = await _scoped_faq(session, request)
        history = await faqstore.versions(session, row)
        page = {"row": row, "opd": opd, "opds": [opd], "versions": history[:5]}
        if request.method == "GET":
            values, added = _with_new_phrasings(_values(row), request, row.key)
            return render(request, "faq_form.html", {**page, "values": values, "errors": {}, "added": added})
        form = await request.post()
        data, errors = faqstore.parse_form(form)
        if str(form.get("version", "")) != str(row.version):
            errors["version"] = (f"FAQ ini sudah diubah oleh {row.updated_by or 'orang lain'} sejak Anda membukanya. "
                                 "Salin perubahan Anda, muat ulang halaman, lalu simpan lagi.")
        errors = await faqstore.duplicate_errors(session, data, row.id) | errors
        if errors:
            return render(request, "faq_form.html", {**page, "values": dict(form), "errors": errors}, status=400)
        changed = await faqstore.update(session, row, opd, data, actor=admin.username, now=ctx.now())
        if changed:
            await audit.record(session, admin, "faq_update", row.key, now=ctx.now(), version=row.version)
        if str(form.get("group", "")) == row.key:  # opened from "tambahkan ke variasi": that group is dealt with
            await unanswered.dismiss(session, kind="choice", signature=row.key, opd_id=opd_scope(admin),
                                     actor=admin.username, now=ctx.now())
        await session.commit()
    if changed:
        await reload_knowledge(ctx)
    raise redirect(request, "faq_edit", notice="disimpan", key=row.key)


async def faq_archive(request: web.Request) -> web.Response:
    """Archive an entry (field `archived`=1) or bring it back (`archived`=0)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    archived = form.get("archived", "1") == "1"
    async with ctx.db.session() as session:
        row, opd = await _scoped_faq(session, request)
        if row.archived != archived:
            await faqstore.set_archived(session, row, opd, archived, actor=admin.username, now=ctx.now())
            await audit.record(session, admin, "faq_archive" if archived else "faq_unarchive", row.key, now=ctx.now())
            await session.commit()
    await reload_knowledge(ctx)
    raise redirect(request, "faq_edit", notice="diarsipkan" if archived else "diaktifkan", key=row.key)


async def faq_versions(request: web.Request) -> web.Response:
    """Show every version of an entry: who, when, what changed, and the full text."""
    ctx: AdminContext = request.app[CTX]
    async with ctx.db.session() as session:
        row, opd = await _scoped_faq(session, request)
        history = await faqstore.versions(session, row)
    items = []
    for i, v in enumerate(history):
        older = history[i + 1].data if i + 1 < len(history) else None
        items.append({"v": v, "changes": faqstore.changed_fields(older, v.data), "data": v.data})
    return render(request, "faq_versions.html", {"row": row, "opd": opd, "items": items})


async def faq_restore(request: web.Request) -> web.Response:
    """Restore an old version's content (written as a new version)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        raise web.HTTPBadRequest(text="Versi tidak valid.") from None
    async with ctx.db.session() as session:
        row, opd = await _scoped_faq(session, request)
        if not await faqstore.restore(session, row, opd, version, actor=admin.username, now=ctx.now()):
            raise web.HTTPNotFound(text="Versi tidak ditemukan.")
        await audit.record(session, admin, "faq_restore", row.key, now=ctx.now(), restored=version,
                           version=row.version)
        await session.commit()
    await reload_knowledge(ctx)
    raise redirect(request, "faq_edit", notice="dipulihkan", key=row.key)


async def review_list(request: web.Request) -> web.Response:
    """List the entries whose review date has passed ("perlu ditinjau")."""
    ctx: AdminContext = request.app[CTX]
    async with ctx.db.session() as session:
        rows = await faqstore.due_for_review(session, opd_scope(current(request)), city_today(ctx))
    return render(request, "review.html", {"rows": rows, "today": city_today(ctx)})
