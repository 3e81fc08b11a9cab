"""Kominfo's pages: admin accounts (create, deactivate, reset a password) and the audit log."""

from __future__ import annotations

import datetime as dt
import hmac
import logging

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from admin import audit
from admin.auth import current, kominfo_only
from admin.context import AdminContext
from admin.keys import CTX
from admin.pages import redirect, render
from knowledge.records import users
from knowledge.records.models import AuditRow, OpdRow, UserRow

log = logging.getLogger(__name__)

AUDIT_PAGE = 100
EMPTY_FORM = {"username": "", "role": "opd", "opd": ""}
RESENT_WITHIN = dt.timedelta(minutes=30)  # a create form for an account made this recently is a resubmission


async def _listing(ctx: AdminContext) -> tuple[list[tuple[UserRow, OpdRow | None]], list[OpdRow]]:
    async with ctx.db.session() as session:
        rows = (await session.execute(select(UserRow, OpdRow).outerjoin(OpdRow, OpdRow.id == UserRow.opd_id)
                                      .order_by(UserRow.username))).all()
        opds = list((await session.scalars(select(OpdRow).order_by(OpdRow.name))).all())
    return [(u, o) for u, o in rows], opds


async def _page(request: web.Request, *, created: dict[str, str] | None = None, reset: dict[str, str] | None = None,
                error: str | None = None, values: dict[str, str] | None = None) -> web.Response:
    """Render the accounts page, with a password to show once (new account or reset) or a form error."""
    rows, opds = await _listing(request.app[CTX])
    stamps = {u.id: users.password_stamp(u) for u, _ in rows}
    return render(request, "users.html", {"rows": rows, "opds": opds, "created": created, "reset": reset,
                                          "error": error, "values": values or dict(EMPTY_FORM), "stamps": stamps},
                  status=400 if error else 200)


def _user_id(request: web.Request) -> int:
    """Return the account id in the URL (404 when it is not a number)."""
    try:
        return int(request.match_info["id"])
    except ValueError:
        raise web.HTTPNotFound() from None


@kominfo_only
async def users_view(request: web.Request) -> web.Response:
    """List accounts, or create one; the new password is shown once."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    created: dict[str, str] | None = None
    error = None
    values = dict(EMPTY_FORM)
    if request.method == "POST":
        form = await request.post()
        values = {k: str(form.get(k, "")).strip() for k in values}
        values["username"] = values["username"].lower()
        role = values["role"] if values["role"] in ("opd", "kominfo") else "opd"
        new_password = users.generate_password(values["username"])
        async with ctx.db.session() as session:
            try:
                await users.create_user(session, values["username"], new_password, role,
                                        values["opd"] if role == "opd" else None, must_change=True)
                await audit.record(session, admin, "user_create", values["username"], now=ctx.now(), peran=role,
                                   opd=values["opd"] if role == "opd" else None)
                await session.commit()
                created = {"username": values["username"], "password": new_password}
                values = dict(EMPTY_FORM)
            except users.UserError as exc:
                await session.rollback()
                error = await _resent(session, admin.username, values["username"], ctx.now()) or str(exc)
    return await _page(request, created=created, error=error, values=values)


async def _resent(session: AsyncSession, actor: str, username: str, now: dt.datetime) -> str | None:
    """Explain a form for an account this admin created minutes ago, sent again (a refresh of the page that
    showed its password): nothing new is made, and the password is not shown again (None: not that case)."""
    created = await session.scalar(
        select(AuditRow.created_at).where(AuditRow.action == "user_create", AuditRow.target == username,
                                          AuditRow.username == actor, AuditRow.created_at >= now - RESENT_WITHIN)
        .order_by(AuditRow.created_at.desc()).limit(1))
    if created is None:
        return None
    return (f"Akun {username} sudah Anda buat tadi; formulir yang sama terkirim lagi (mungkin halaman dimuat ulang), "
            "jadi tidak ada akun baru. Kata sandinya hanya ditampilkan sekali: bila belum Anda catat, klik "
            "“Reset kata sandi” pada akun itu.")


@kominfo_only
async def user_active(request: web.Request) -> web.Response:
    """Deactivate an account (its sessions end at once) or activate it again."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    form = await request.post()
    active = form.get("active") == "1"
    user_id = _user_id(request)
    if user_id == admin.id and not active:
        raise web.HTTPBadRequest(text="Anda tidak bisa menonaktifkan akun Anda sendiri.")
    async with ctx.db.session() as session:
        user = await session.get(UserRow, user_id)
        if user is None:
            raise web.HTTPNotFound(text="Akun tidak ditemukan.")
        if user.active != active:
            user.active = active
            await audit.record(session, admin, "user_activate" if active else "user_deactivate", user.username,
                               now=ctx.now())
            await session.commit()
    raise redirect(request, "users", notice="pengguna")


@kominfo_only
async def user_password(request: web.Request) -> web.Response:
    """Give another account a new random password, shown once; that account's sessions end."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    user_id = _user_id(request)
    if user_id == admin.id:
        # Changing one's own password needs the old one (a stolen session must not take the account over).
        raise web.HTTPBadRequest(text="Ganti kata sandi Anda sendiri lewat menu “Ganti kata sandi”.")
    stamp = str((await request.post()).get("stamp", ""))
    async with ctx.db.session() as session:
        user = await session.get(UserRow, user_id)
        if user is None:
            raise web.HTTPNotFound(text="Akun tidak ditemukan.")
        # The form carries the password it was shown with: sent again (a refresh), it resets nothing.
        username, fresh = user.username, hmac.compare_digest(stamp, users.password_stamp(user))
        if fresh:
            new_password = users.generate_password(username)
            # A new hash changes the session fingerprint (admin/auth.py): the account's sessions end at once.
            await users.set_password(session, user, new_password, must_change=True)  # they choose their own next
            await audit.record(session, admin, "user_password_reset", username, now=ctx.now())
            await session.commit()
    if not fresh:
        return await _page(request, error=f"Kata sandi akun {username} sudah diganti sejak halaman ini dibuka; "
                                          "tidak direset lagi. Muat ulang halaman bila perlu.")
    log.info("password of %s reset by %s", username, admin.username)
    return await _page(request, reset={"username": username, "password": new_password})


@kominfo_only
async def audit_view(request: web.Request) -> web.Response:
    """Show the audit log, newest first, filtered by user or action."""
    ctx: AdminContext = request.app[CTX]
    try:
        page = max(1, int(request.query.get("hal", "1")))
    except ValueError:
        page = 1
    username = request.query.get("pengguna", "").strip()[:64] or None
    action = request.query.get("aksi", "").strip()[:64] or None
    async with ctx.db.session() as session:
        rows, total = await audit.page(session, offset=(page - 1) * AUDIT_PAGE, limit=AUDIT_PAGE,
                                       username=username, action=action)
    return render(request, "audit.html", {"rows": rows, "total": total, "page": page,
                                          "pages": max(1, -(-total // AUDIT_PAGE)), "actions": audit.ACTIONS,
                                          "username": username or "", "action": action or ""})
