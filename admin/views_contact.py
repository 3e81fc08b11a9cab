"""The OPD's contact (phone, WhatsApp, e-mail, address, hours, website): what the bot tells residents who
ask how to reach the OPD ("nomor telepon Dinas Sosial?"), edited by the OPD's own admin.

Only facts the OPD publishes belong here: the bot repeats them word for word, and an empty field is
said to be unavailable rather than guessed.
"""

from __future__ import annotations

import logging
import re

from aiohttp import web
from sqlalchemy import select

from admin import audit, faqstore
from admin.auth import current, opd_scope
from admin.context import AdminContext
from admin.keys import CTX
from admin.pages import redirect, render
from admin.views_faqs import reload_knowledge
from knowledge.kb import CONTACT_KEYS
from knowledge.records.kbstore import bump_revision
from knowledge.records.models import OpdRow

log = logging.getLogger(__name__)

MAX_FIELD = 200
LABELS = {"phone": "Telepon", "whatsapp": "WhatsApp", "email": "Email", "address": "Alamat kantor",
          "hours": "Jam layanan", "website": "Situs web"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A website residents are sent to: http(s) or a bare domain ("dlh.padang.go.id"), nothing else ("javascript:").
_WEBSITE = re.compile(r"^(?:https?://)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d{1,5})?(?:[/?#]\S*)?$", re.IGNORECASE)


def parse(form: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Return the contact fields that are filled in, and errors by field."""
    values = {k: " ".join(str(form.get(k, "")).split()) for k in CONTACT_KEYS}
    errors: dict[str, str] = {}
    for key, value in values.items():
        if len(value) > MAX_FIELD:
            errors[key] = f"{LABELS[key]} terlalu panjang (maksimal {MAX_FIELD} huruf)."
    if values["email"] and not _EMAIL.match(values["email"]):
        errors["email"] = "Alamat email tidak valid. Contoh: dlh@padang.go.id"
    if values["website"] and not _WEBSITE.match(values["website"]):
        errors["website"] = "Alamat situs web tidak valid. Contoh: https://dlh.padang.go.id"
    for key in ("phone", "whatsapp"):
        if values[key] and not any(ch.isdigit() for ch in values[key]):
            errors[key] = f"{LABELS[key]} harus berisi nomor."
    return {k: v for k, v in values.items() if v}, errors


async def contact(request: web.Request) -> web.Response:
    """Show the OPD's contact form (Kominfo picks the OPD with ?opd=), or save it."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = {k: str(v) for k, v in (await request.post()).items()} if request.method == "POST" else None
    async with ctx.db.session() as session:
        opds = await faqstore.opds(session, opd_scope(admin))
        slug = request.query.get("opd", "") if form is None else form.get("opd", "")
        opd = next((o for o in opds if o.slug == slug), opds[0] if len(opds) == 1 or not slug else None)
        if opd is None:
            raise web.HTTPNotFound(text="OPD tidak ditemukan.")
        page = {"opd": opd, "opds": opds, "labels": LABELS}
        if form is None:
            return render(request, "contact.html", {**page, "values": dict(opd.contact or {}), "errors": {}})
        values, errors = parse(form)
        if errors:
            return render(request, "contact.html", {**page, "values": form, "errors": errors}, status=400)
        row = await session.scalar(select(OpdRow).where(OpdRow.id == opd.id))
        assert row is not None
        changed = dict(row.contact or {}) != values
        if changed:
            row.contact = values
            await bump_revision(session)
            await audit.record(session, admin, "opd_contact", opd.slug, now=ctx.now(), kolom=sorted(values))
        await session.commit()
    if changed:
        await reload_knowledge(ctx)
        log.info("contact of %s changed by %s", opd.slug, admin.username)
    raise redirect(request, "contact", notice="kontak", query={"opd": opd.slug})
