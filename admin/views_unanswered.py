"""The unanswered-questions page: groups with counts and the likely OPD, "jadikan FAQ", "tambahkan ke
variasi" (questions answered only by a choice from the bot's menu) and dismiss."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from admin import audit, unanswered
from admin.auth import current, opd_scope
from admin.context import AdminContext
from admin.keys import CTX, STATE
from admin.pages import redirect, render
from admin.timeutil import parse_period
from knowledge.kb import KnowledgeBase
from knowledge.normalize import Normalizer

log = logging.getLogger(__name__)

GROUP_KINDS = ("question", "feedback", "choice")


def _normalizer(request: web.Request) -> Normalizer:
    """Return the matcher's normaliser (or one built once for this app) to compare questions."""
    ctx: AdminContext = request.app[CTX]
    normalizer = getattr(ctx.live.matcher, "normalizer", None)
    if normalizer is None:
        state = request.app[STATE]
        normalizer = state.get("normalizer") or state.setdefault("normalizer", Normalizer.default())
    return normalizer


def _guess_opd(ctx: AdminContext, text: str) -> str | None:
    try:
        route = ctx.live.router.route(text)
    except Exception:  # a guess only: never fail the page for it
        log.exception("router failed on an unanswered question")
        return None
    return route.opd if route and route.score else None


async def unanswered_view(request: web.Request) -> web.Response:
    """Show unanswered questions and 👎-rated answers, grouped by similarity."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    period = parse_period(ctx, request.query.get("dari"), request.query.get("sampai"))
    normalizer = _normalizer(request)
    async with ctx.db.session() as session:
        lists = await unanswered.groups(
            session, period, slug=None if admin.is_kominfo else admin.opd_slug, opd_id=opd_scope(admin),
            tokens=normalizer.tokens, guess_opd=lambda text: _guess_opd(ctx, text))
    kb = ctx.live.kb
    items = []
    for g in lists.questions:
        opd = kb.opd(g.opd)
        can_make = admin.is_kominfo or g.opd in (None, admin.opd_slug)
        prefill = {"question": g.sample, "alternatives": "\n".join(g.examples[1:]), "group": g.signature,
                   **({"opd": g.opd} if g.opd else {})}
        new_url = request.app.router["faq_new"].url_for().with_query(prefill) if can_make else None
        items.append({"g": g, "opd": opd, "new_url": new_url})
    rated = [{"g": g, "faq": kb.faq(g.faq_key)} for g in lists.rated]
    chosen = [item for g in lists.chosen if (item := _chosen_item(request, kb, g))]
    return render(request, "unanswered.html", {"items": items, "rated": rated, "chosen": chosen, "period": period})


def _chosen_item(request: web.Request, kb: KnowledgeBase, g: unanswered.Group) -> dict[str, Any] | None:
    """Describe a group of questions answered by a choice from the menu, with the link that adds the
    ones the entry does not have yet to its alternatives (None when it has them all)."""
    faq = kb.faq(g.faq_key) if g.faq_key else None
    new = unanswered.new_phrasings((faq.question, *faq.alternatives) if faq else (), g.examples)
    if not new:
        return None
    add_url = None
    if faq is not None:
        query = [("variasi", t) for t in new] + [("group", faq.id)]
        add_url = request.app.router["faq_edit"].url_for(key=faq.id).with_query(query)
    return {"g": g, "faq": faq, "new": new, "add_url": add_url}


async def dismiss(request: web.Request) -> web.Response:
    """Hide a group of questions (for this OPD; Kominfo: for everyone) until it is asked again."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    kind = str(form.get("kind", ""))
    signature = str(form.get("signature", "")).strip()
    if kind not in GROUP_KINDS or not signature:
        raise web.HTTPBadRequest(text="Kelompok tidak valid.")
    async with ctx.db.session() as session:
        await unanswered.dismiss(session, kind=kind, signature=signature, opd_id=opd_scope(admin),
                                 actor=admin.username, now=ctx.now())
        await audit.record(session, admin, "unanswered_dismiss", signature[:200], now=ctx.now(), jenis=kind)
        await session.commit()
    raise redirect(request, "unanswered", notice="diabaikan")
