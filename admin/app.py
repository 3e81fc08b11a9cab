"""The admin sub-app: `create_admin_app(ctx)` builds it; `bot/app.py` mounts it at /admin."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web
from markupsafe import Markup, escape

from admin import (
    views_auth,
    views_complaints,
    views_contact,
    views_faqio,
    views_faqs,
    views_stats,
    views_unanswered,
    views_users,
)
from admin.audit import ACTIONS
from admin.auth import Handler, session_middleware
from admin.complaintsq import STATUS_LABELS
from admin.context import AdminContext
from admin.csrf import csrf_middleware
from admin.keys import CTX, STATE
from admin.pages import headers_middleware
from admin.timeutil import MONTHS, city_zone, long_date, zone_label

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
FAQ_ACTIONS = {"create": "dibuat", "update": "diubah", "archive": "diarsipkan", "unarchive": "diaktifkan kembali",
               "restore": "dipulihkan", "import": "diimpor"}
CHANNELS = {"telegram": "Telegram", "whatsapp": "WhatsApp", "web": "Web chat", "console": "Konsol", "test": "Uji"}


def rich(text: str | None) -> Markup:
    """Show an FAQ answer as the bot does: escaped text with **bold** (nothing else becomes markup)."""
    escaped = str(escape(text or ""))
    return Markup(_BOLD_RE.sub(r"<strong>\1</strong>", escaped))


def _environment(app: web.Application, ctx: AdminContext) -> jinja2.Environment:
    env = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def when(moment: dt.datetime | None) -> str:
        if moment is None:
            return "–"
        zone = city_zone(ctx)
        local = moment.astimezone(zone)
        return f"{long_date(local.date())} {local:%H.%M} {zone_label(zone, moment)}"

    def day(value: dt.date | None) -> str:
        return long_date(value) if value else "–"

    def when_short(moment: dt.datetime | None) -> str:
        if moment is None:
            return "–"
        zone = city_zone(ctx)
        local = moment.astimezone(zone)
        return f"{local.day} {MONTHS[local.month - 1][:3]} {local.year} {local:%H.%M} {zone_label(zone, moment)}"

    env.filters.update(when=when, when_short=when_short, day=day, rich=rich,
                       status=lambda s: STATUS_LABELS.get(s or "", s or "–"),
                       channel=lambda c: CHANNELS.get(c or "", c or "–"), action=lambda a: ACTIONS.get(a, a),
                       faq_action=lambda a: FAQ_ACTIONS.get(a, a),
                       actor=lambda a: {"resident": "warga", "system": "sistem"}.get(a, a))
    return env


def _get_post(r: web.UrlDispatcher, path: str, handler: Handler, name: str) -> None:
    """Register a form page: GET shows it, POST submits it (one named resource)."""
    r.add_get(path, handler, name=name)
    r.add_post(path, handler, name=name)


def _routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/", views_auth.home, name="home")
    _get_post(r, "/login", views_auth.login, "login")
    _get_post(r, "/logout", views_auth.logout, "logout")
    _get_post(r, "/password", views_auth.password, "password")

    r.add_get("/faqs", views_faqs.faq_list, name="faqs")
    _get_post(r, "/faqs/new", views_faqs.faq_new, "faq_new")
    r.add_get("/faqs/try", views_faqio.faq_try, name="faq_try")
    r.add_get("/faqs/export", views_faqio.faq_export, name="faq_export")
    _get_post(r, "/faqs/import", views_faqio.faq_import, "faq_import")
    _get_post(r, "/faqs/{key:[a-z0-9-]+}", views_faqs.faq_edit, "faq_edit")
    r.add_post("/faqs/{key:[a-z0-9-]+}/archive", views_faqs.faq_archive, name="faq_archive")
    r.add_get("/faqs/{key:[a-z0-9-]+}/versions", views_faqs.faq_versions, name="faq_versions")
    r.add_post("/faqs/{key:[a-z0-9-]+}/restore", views_faqs.faq_restore, name="faq_restore")
    r.add_get("/review", views_faqs.review_list, name="review")
    _get_post(r, "/contact", views_contact.contact, "contact")

    r.add_get("/complaints", views_complaints.inbox, name="complaints")
    r.add_get("/complaints/{ticket:[A-Za-z0-9-]+}", views_complaints.detail_view, name="complaint")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/status", views_complaints.change_status, name="complaint_status")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/note", views_complaints.add_note, name="complaint_note")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/message", views_complaints.message_resident,
               name="complaint_message")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/reopen", views_complaints.reopen, name="complaint_reopen")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/reassign", views_complaints.reassign, name="complaint_reassign")
    r.add_post("/complaints/{ticket:[A-Za-z0-9-]+}/category", views_complaints.set_category, name="complaint_category")
    r.add_get("/complaints/{ticket:[A-Za-z0-9-]+}/photo", views_complaints.photo, name="complaint_photo")

    r.add_get("/unanswered", views_unanswered.unanswered_view, name="unanswered")
    r.add_post("/unanswered/dismiss", views_unanswered.dismiss, name="unanswered_dismiss")

    r.add_get("/stats", views_stats.dashboard, name="stats")
    r.add_get("/stats.csv", views_stats.dashboard_csv, name="stats_csv")
    r.add_get("/stats/report", views_stats.report, name="stats_report")
    _get_post(r, "/targets", views_stats.targets_view, "targets")

    _get_post(r, "/users", views_users.users_view, "users")
    r.add_post("/users/{id:[0-9]+}/active", views_users.user_active, name="user_active")
    r.add_post("/users/{id:[0-9]+}/password", views_users.user_password, name="user_password")
    r.add_get("/audit", views_users.audit_view, name="audit")

    r.add_static("/static", HERE / "static", name="static")


def create_admin_app(ctx: AdminContext) -> web.Application:
    """Build the admin sub-app (mount it with `app.add_subapp("/admin", create_admin_app(ctx))`)."""
    app = web.Application(middlewares=[headers_middleware(), session_middleware(), csrf_middleware()])
    app[CTX] = ctx
    app[STATE] = {}
    _environment(app, ctx)
    _routes(app)
    return app
