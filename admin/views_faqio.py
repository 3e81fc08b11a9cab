"""The "coba" box (what the bot would answer) and import/export of an OPD's YAML file."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin import audit, faqstore
from admin.auth import current, opd_scope
from admin.context import AdminContext
from admin.kbmessages import indonesian
from admin.keys import CTX
from admin.pages import render
from admin.timeutil import city_today
from admin.views_faqs import reload_knowledge
from knowledge.kb import Category, Contact, Faq, Opd
from knowledge.kbexport import dump_opd
from knowledge.kbfiles import load_kb
from knowledge.records.models import CategoryRow, FaqRow, OpdRow

log = logging.getLogger(__name__)

MAX_UPLOAD = 512 * 1024
DECISIONS = {"answer": "Bot menjawab", "suggest": "Bot menawarkan pilihan", "abstain": "Bot tidak tahu jawabannya"}


async def faq_try(request: web.Request) -> web.Response:
    """Show what the bot would answer to a question, with the score and the runners-up."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    question = request.query.get("q", "").strip()[:500]
    result = None
    if question:
        await ctx.live.refresh()  # cheap unless the revision changed (e.g. another instance's edit)
        match = ctx.live.matcher.match(question)
        candidates = [{"faq": c.faq, "score": c.score, "own": admin.is_kominfo or c.faq.opd == admin.opd_slug,
                       "opd": ctx.live.kb.opd(c.faq.opd)} for c in match.candidates[:4]]
        result = {"decision": match.decision, "label": DECISIONS.get(match.decision, match.decision),
                  "score": match.score, "candidates": candidates,
                  "faq": match.faq if match.decision == "answer" else None}
    return render(request, "faq_try.html", {"question": question, "result": result})


async def _opd_for(request: web.Request, slug: str) -> OpdRow:
    """Return the OPD named by `slug` if the admin may use it (an OPD admin: only their own)."""
    ctx: AdminContext = request.app[CTX]
    async with ctx.db.session() as session:
        opds = await faqstore.opds(session, opd_scope(current(request)))
    found = next((o for o in opds if o.slug == slug or (not slug and len(opds) == 1)), None)
    if found is None:
        raise web.HTTPNotFound(text="OPD tidak ditemukan.")
    return found


async def opd_record(ctx: AdminContext, opd: OpdRow) -> Opd:
    """Build the knowledge-base record of one OPD from the database (active FAQs only)."""
    async with ctx.db.session() as session:
        cats = (await session.scalars(select(CategoryRow).where(CategoryRow.opd_id == opd.id)
                                      .order_by(CategoryRow.id))).all()
        faqs = (await session.scalars(select(FaqRow).where(FaqRow.opd_id == opd.id, FaqRow.archived.is_(False))
                                      .order_by(FaqRow.id))).all()
    contact = {k: v for k, v in (opd.contact or {}).items() if k in Contact.__dataclass_fields__ and v}
    return Opd(
        slug=opd.slug, name=opd.name, short_name=opd.short_name, description=opd.description,
        contact=Contact(**contact),
        categories=tuple(Category(code=c.code, name=c.name, opd=opd.slug, keywords=tuple(c.keywords or ()),
                                  examples=tuple(c.examples or ()), sla_days=c.sla_days) for c in cats),
        faqs=tuple(Faq(id=f.key, opd=opd.slug, question=f.question, answer=f.answer,
                       alternatives=tuple(f.alternatives or ()), keywords=tuple(f.keywords or ()),
                       source=f.source, review_by=f.review_by) for f in faqs),
    )


async def faq_export(request: web.Request) -> web.Response:
    """Download the OPD's knowledge-base file (opd/<slug>.yaml)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    opd = await _opd_for(request, request.query.get("opd", admin.opd_slug or ""))
    text = dump_opd(await opd_record(ctx, opd))
    async with ctx.db.session() as session:  # who took a copy of which OPD's entries
        await audit.record(session, admin, "faq_export", opd.slug, now=ctx.now())
        await session.commit()
    return web.Response(text=text, content_type="application/x-yaml", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{opd.slug}.yaml"'})


async def faq_import(request: web.Request) -> web.Response:
    """Show the upload form, or check an uploaded OPD file and save its FAQs (all or nothing)."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    async with ctx.db.session() as session:
        opds = await faqstore.opds(session, opd_scope(admin))
    if request.method == "GET":
        return render(request, "faq_import.html", {"opds": opds, "problems": [], "summary": None})
    form = await request.post()
    opd = await _opd_for(request, str(form.get("opd", "")))
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise web.HTTPBadRequest(text="Pilih file YAML yang akan diimpor.")
    raw = upload.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_UPLOAD, actual_size=len(raw))
    problems, faqs = _validate(raw, opd.slug, upload.filename or f"{opd.slug}.yaml", city_today(ctx))
    errors = [p for p in problems if p["severity"] == "error"]
    summary = None
    if not errors:
        async with ctx.db.session() as session:
            summary, clashes = await _save(session, opd, faqs, admin.username, ctx)
            if clashes:
                errors = [{"line": 0, "severity": "error", "message": f"ID FAQ '{key}' sudah dipakai OPD lain."}
                          for key in clashes]
                await session.rollback()
                summary = None
            else:
                await audit.record(session, admin, "faq_import", opd.slug, now=ctx.now(), **summary)
                await session.commit()
    if summary:
        await reload_knowledge(ctx)
    shown = errors + [p for p in problems if p not in errors] if errors else problems
    return render(request, "faq_import.html", {"opds": opds, "problems": shown, "summary": summary, "opd": opd},
                  status=400 if errors else 200)


def _validate(raw: bytes, slug: str, filename: str, today: dt.date) -> tuple[list[dict], list[Faq]]:
    """Check an uploaded file with the knowledge-base loader; return problems and the FAQs."""
    with tempfile.TemporaryDirectory(prefix="tk-import-") as tmp:
        path = Path(tmp) / "opd" / f"{slug}.yaml"
        path.parent.mkdir()
        path.write_bytes(raw)
        result = load_kb(tmp, today=today)
    problems = [{"line": p.line, "severity": p.severity,
                 "message": indonesian(p.message.replace(str(path), filename))} for p in result.problems]
    opd = result.kb.opd(slug)
    if opd is None and not any(p["severity"] == "error" for p in problems):
        problems.append({"line": 0, "severity": "error", "message": "File tidak berisi data OPD."})
    return problems, list(opd.faqs) if opd else []


async def _save(session: AsyncSession, opd: OpdRow, faqs: list[Faq], actor: str,
                ctx: AdminContext) -> tuple[dict, list[str]]:
    """Create or update the file's FAQs for the OPD; return counts, or the ids another OPD owns."""
    keys = [f.id for f in faqs]
    existing = {r.key: r for r in (await session.scalars(select(FaqRow).where(FaqRow.key.in_(keys)))).all()} \
        if keys else {}
    clashes = [k for k, r in existing.items() if r.opd_id != opd.id]
    if clashes:
        return {}, clashes
    created = updated = unchanged = archived = 0
    for f in faqs:
        data = faqstore.FaqInput(question=f.question, answer=f.answer, alternatives=f.alternatives,
                                 keywords=f.keywords, source=f.source, review_by=f.review_by)
        row = existing.get(f.id)
        if row is None:
            await faqstore.create(session, opd, data, actor=actor, now=ctx.now(), key=f.id, action="import")
            created += 1
        elif row.archived:  # withdrawn on purpose: an older file must not bring it back unseen
            archived += 1
        elif await faqstore.update(session, row, opd, data, actor=actor, now=ctx.now(), action="import"):
            updated += 1
        else:
            unchanged += 1
    return {"dibuat": created, "diubah": updated, "tetap": unchanged, "diarsip": archived}, []
