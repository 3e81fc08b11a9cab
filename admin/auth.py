"""Admin sessions: an HMAC-signed cookie with an expiry, the signed-in admin, and role checks.

The cookie holds a random session id (for the CSRF token), the user id, a fingerprint of the
user's password hash and session generation (so a password change ends every other session, and
signing out ends every session of the account, even a copied cookie) and an expiry time. It is
HttpOnly, SameSite=Lax, and Secure when the page is served over HTTPS.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from aiohttp import web
from yarl import URL
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from admin.context import AdminContext
from admin.keys import ADMIN, CTX, SESSION
from knowledge.records.models import OpdRow, UserRow

log = logging.getLogger(__name__)

COOKIE = "tk_admin"
PUBLIC_ROUTES = frozenset({"login", "static"})  # everything else needs a signed-in admin
# Pages an admin whose password someone else chose may open before choosing their own.
MAY_BEFORE_NEW_PASSWORD = frozenset({"password", "logout", "login", "static"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def derive_key(secret_key: str, purpose: str) -> bytes:
    """Derive a separate key per purpose from the bot's secret key."""
    return hmac.new(secret_key.encode(), f"tanyakota-admin:{purpose}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Session:
    sid: str
    uid: int | None = None
    pw: str = ""  # fingerprint of the password hash and the session generation at login
    exp: float = 0.0  # unix time
    dirty: bool = False  # the cookie must be (re)written
    cleared: bool = False  # the cookie must be deleted

    @classmethod
    def fresh(cls, exp: float) -> Session:
        return cls(sid=secrets.token_urlsafe(18), exp=exp, dirty=True)


@dataclass(frozen=True)
class Admin:
    """The signed-in admin, as every view sees them."""

    id: int
    username: str
    role: str  # "opd" | "kominfo"
    opd_id: int | None
    opd_slug: str | None
    opd_name: str | None
    must_change_password: bool = False  # a password someone else chose: the password page comes first

    @property
    def is_kominfo(self) -> bool:
        return self.role == "kominfo"


class SessionCodec:
    """Sign and verify session cookies (constant-time comparison)."""

    def __init__(self, secret_key: str):
        self._key = derive_key(secret_key, "session")
        self._fp_key = derive_key(secret_key, "password-fingerprint")

    def encode(self, s: Session) -> str:
        body = _b64(json.dumps({"sid": s.sid, "uid": s.uid, "pw": s.pw, "exp": s.exp},
                               separators=(",", ":")).encode())
        return f"{body}.{_b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())}"

    def decode(self, value: str | None, now: float) -> Session | None:
        if not value or value.count(".") != 1:
            return None
        body, sig = value.split(".")
        expected = _b64(hmac.new(self._key, body.encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(sig, expected):
            return None
        try:
            data = json.loads(_unb64(body))
            s = Session(sid=str(data["sid"]), uid=data.get("uid"), pw=str(data.get("pw", "")),
                        exp=float(data["exp"]))
        except (ValueError, KeyError, TypeError):
            return None
        return s if s.exp > now else None

    def fingerprint(self, user: UserRow) -> str:
        """Return what a session must carry to stay valid: it changes with the password and at sign-out."""
        material = f"{user.password_hash}|{user.session_generation or 0}".encode()
        return _b64(hmac.new(self._fp_key, material, hashlib.sha256).digest()[:12])


def _expiry(ctx: AdminContext) -> float:
    return ctx.now().timestamp() + ctx.session_hours * 3600


async def _load_admin(ctx: AdminContext, codec: SessionCodec, s: Session) -> Admin | None:
    if s.uid is None:
        return None
    async with ctx.db.session() as db:
        row = (await db.execute(
            select(UserRow, OpdRow).outerjoin(OpdRow, OpdRow.id == UserRow.opd_id).where(UserRow.id == s.uid)
        )).first()
    if row is None:
        return None
    user, opd = row
    if not user.active or not hmac.compare_digest(codec.fingerprint(user), s.pw):
        return None
    if user.role == "opd" and opd is None:
        return None  # an OPD account without its OPD can see nothing
    return Admin(user.id, user.username, user.role, user.opd_id, opd.slug if opd else None, opd.name if opd else None,
                 bool(user.must_change_password))


def cookie_path(request: web.Request) -> str:
    """Return the path the admin page's cookies are scoped to (the folder of its login page)."""
    return request.app.router["login"].url_for().path.rsplit("/", 1)[0] or "/"


def set_cookie(request: web.Request, response: web.StreamResponse) -> None:
    """Write or delete the session cookie on a response when the session changed."""
    ctx: AdminContext = request.app[CTX]
    s: Session | None = request.get(SESSION)
    if s is None:
        return
    path = cookie_path(request)
    if s.cleared:
        response.del_cookie(COOKIE, path=path)
    elif s.dirty:
        response.set_cookie(COOKIE, SessionCodec(ctx.secret_key).encode(s), path=path, httponly=True,
                            samesite="Lax", secure=ctx.secure_cookies, max_age=ctx.session_hours * 3600)


def session_middleware() -> Callable[..., Awaitable[web.StreamResponse]]:
    """Read the session cookie, load the admin, and send anonymous visitors to the login page."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        ctx: AdminContext = request.app[CTX]
        codec = SessionCodec(ctx.secret_key)
        now = ctx.now().timestamp()
        route = request.match_info.route.name
        home = request.app.router["home"].url_for()
        if request.path == home.path.rstrip("/"):  # "/admin" without the slash
            raise web.HTTPSeeOther(home)
        if route == "static":  # stylesheet and script: no database, no cookie
            request[SESSION] = Session(sid="", dirty=False)
            request[ADMIN] = None
            return await handler(request)
        s = codec.decode(request.cookies.get(COOKIE), now) or Session.fresh(_expiry(ctx))
        admin = await _load_admin(ctx, codec, s)
        if s.uid is not None and admin is None:
            s = Session.fresh(_expiry(ctx))  # deactivated, password changed or unknown: start over
        request[SESSION] = s
        request[ADMIN] = admin
        if admin is None and route not in PUBLIC_ROUTES:
            login = request.app.router["login"].url_for()
            back = request.rel_url.path_qs if request.method == "GET" else _form_page(request)
            if back:  # a form sent after the session ended returns to its page (admin.js keeps the text)
                login = login.with_query(next=back)
            raise web.HTTPSeeOther(login)
        if admin is not None and admin.must_change_password and route not in MAY_BEFORE_NEW_PASSWORD:
            raise web.HTTPSeeOther(request.app.router["password"].url_for().with_query(pesan="wajib-ganti"))
        return await handler(request)

    return middleware


def safe_next(request: web.Request, target: str) -> str | None:
    """Accept only a path inside the admin page as the place to return to after login."""
    root = str(request.app.router["home"].url_for())
    if target.startswith(root) and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _form_page(request: web.Request) -> str | None:
    """Return the admin page a POST was sent from (its Referer, on this host), if any."""
    referer = request.headers.get("Referer", "")
    try:
        url = URL(referer)
    except ValueError:
        return None
    if not referer or (url.is_absolute() and (url.host, url.port) != (request.url.host, request.url.port)):
        return None
    return safe_next(request, url.path_qs)


def sign_in(request: web.Request, user: UserRow) -> None:
    """Start a new session for a user who just proved their password (new id: no fixation)."""
    ctx: AdminContext = request.app[CTX]
    s = Session.fresh(_expiry(ctx))
    s.uid = user.id
    s.pw = SessionCodec(ctx.secret_key).fingerprint(user)
    request[SESSION] = s


async def sign_out(request: web.Request, session: AsyncSession) -> None:
    """End the account's sessions: the browser drops the cookie, and the session generation is raised so no
    copy of this (or any other) cookie of the account works again. The caller commits."""
    s: Session = request[SESSION]
    s.cleared = True
    admin = current(request)
    await session.execute(update(UserRow).where(UserRow.id == admin.id)
                          .values(session_generation=UserRow.session_generation + 1))


def current(request: web.Request) -> Admin:
    """Return the signed-in admin (the middleware guarantees one outside the public routes)."""
    admin: Admin | None = request.get(ADMIN)
    if admin is None:
        raise web.HTTPForbidden()
    return admin


def kominfo_only(handler: Handler) -> Handler:
    """Allow a view to Kominfo accounts only; OPD admins get 403."""

    @functools.wraps(handler)
    async def wrapper(request: web.Request) -> web.StreamResponse:
        if not current(request).is_kominfo:
            raise web.HTTPForbidden(text="Halaman ini hanya untuk Kominfo.")
        return await handler(request)

    return wrapper


def opd_scope(admin: Admin) -> int | None:
    """Return the OPD id every query must be limited to, or None for Kominfo (every OPD)."""
    return None if admin.is_kominfo else admin.opd_id
