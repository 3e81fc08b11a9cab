"""Signing in and out, and changing one's own password."""

from __future__ import annotations

import logging

from aiohttp import web

from admin import audit, devices
from admin.auth import current, safe_next, sign_in, sign_out
from admin.context import AdminContext
from admin.keys import ADMIN, CTX
from admin.pages import redirect, render
from knowledge.records import users

log = logging.getLogger(__name__)

LOGIN_FAILED = ("Nama pengguna atau kata sandi salah, atau akun sedang dikunci sementara karena terlalu banyak "
                "percobaan. Coba lagi nanti atau hubungi Kominfo.")


async def login(request: web.Request) -> web.Response:
    """Show the login form, or check the username and password (argon2, with throttling)."""
    ctx: AdminContext = request.app[CTX]
    next_url = request.query.get("next", "")
    if request.method == "GET":
        if request.get(ADMIN) is not None:
            raise redirect(request, "home")
        return render(request, "login.html", {"username": "", "error": None, "next": next_url})
    form = await request.post()
    username = str(form.get("username", "")).strip().lower()[:64]
    password = str(form.get("password", ""))
    next_url = str(form.get("next", ""))
    async with ctx.db.session() as session:
        user = await users.verify_login(session, username, password, ctx.now(),
                                        known_device=devices.known(request, username)) \
            if username and password else None
        if user is None:
            await audit.record(session, username or "-", "login_failed", now=ctx.now(), ip=request.remote)
        else:
            await audit.record(session, user.username, "login", now=ctx.now(), ip=request.remote)
        await session.commit()
    if user is None:
        log.info("failed admin login for %r from %s", username, request.remote)
        return render(request, "login.html", {"username": username, "error": LOGIN_FAILED, "next": next_url},
                      status=401)
    sign_in(request, user)
    devices.remember(request, user.username)
    target = safe_next(request, next_url)
    raise web.HTTPSeeOther(target) if target else redirect(request, "home")


async def logout(request: web.Request) -> web.Response:
    """Show a "keluar" button (GET), or end the session (POST)."""
    ctx: AdminContext = request.app[CTX]
    if request.method == "GET":
        return render(request, "logout.html", {})
    admin = current(request)
    async with ctx.db.session() as session:
        await audit.record(session, admin, "logout", now=ctx.now())
        await sign_out(request, session)
        await session.commit()
    raise redirect(request, "login")


async def home(request: web.Request) -> web.Response:
    """Send Kominfo to the dashboard and OPD admins to their complaint inbox."""
    raise redirect(request, "stats" if current(request).is_kominfo else "complaints")


async def password(request: web.Request) -> web.Response:
    """Change one's own password (the old one is required); other sessions end."""
    ctx: AdminContext = request.app[CTX]
    admin = current(request)
    if request.method == "GET":
        return render(request, "password.html", {"error": None})
    form = await request.post()
    old, new, again = (str(form.get(k, "")) for k in ("old", "new", "again"))
    error = None
    if new != again:
        error = "Kata sandi baru dan ulangannya tidak sama."
    elif new == old:
        error = "Kata sandi baru harus berbeda dari kata sandi lama."
    else:
        try:
            users.check_password(new, admin.username)
        except users.UserError as exc:
            error = str(exc)
    if error:
        return render(request, "password.html", {"error": error}, status=400)
    async with ctx.db.session() as session:
        user = await users.verify_login(session, admin.username, old, ctx.now())
        if user is None:
            await session.commit()  # keep the failed-attempt count
            return render(request, "password.html", {"error": "Kata sandi lama salah."}, status=400)
        await users.set_password(session, user, new)
        await audit.record(session, admin, "password_change", admin.username, now=ctx.now())
        await session.commit()
        sign_in(request, user)  # a new cookie for the new password; other sessions end
    raise redirect(request, "password", notice="sandi")
