"""Known browsers: a signed cookie from each successful sign-in lets its browser past an account's lock.

Five wrong passwords lock an account for 15 minutes (`knowledge.records.users`), so anyone who knows
a username could keep it locked, Kominfo's included. Against that denial of service (OWASP's "device
cookie"): a browser that signed in to an account within DEVICE_DAYS carries a cookie naming the
account and the day, signed with the secret key, and its password attempts are not held back by the
lock. They are still checked and counted; only strangers wait out the lock.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web

from admin.auth import cookie_path, derive_key
from admin.context import AdminContext
from admin.keys import CTX, DEVICE

COOKIE = "tk_admin_device"
DEVICE_DAYS = 90


def _day(ctx: AdminContext) -> int:
    return int(ctx.now().timestamp() // 86_400)


def _sign(ctx: AdminContext, username: str, day: int) -> str:
    key = derive_key(ctx.secret_key, "known-device")
    return hmac.new(key, f"{username}|{day}".encode(), hashlib.sha256).hexdigest()[:32]


def remember(request: web.Request, username: str) -> None:
    """Mark this browser as known to the account (written with the response, see `write`)."""
    ctx: AdminContext = request.app[CTX]
    day = _day(ctx)
    request[DEVICE] = f"{username}|{day}|{_sign(ctx, username, day)}"


def known(request: web.Request, username: str) -> bool:
    """Tell whether this browser signed in to the account within DEVICE_DAYS (a valid signed cookie)."""
    ctx: AdminContext = request.app[CTX]
    name, _, rest = request.cookies.get(COOKIE, "").partition("|")
    day_text, _, signature = rest.partition("|")
    if name != username or not day_text.isdigit():
        return False
    day = int(day_text)
    return 0 <= _day(ctx) - day <= DEVICE_DAYS and hmac.compare_digest(signature, _sign(ctx, username, day))


def write(request: web.Request, response: web.StreamResponse) -> None:
    """Set the known-browser cookie on the response when this request signed in."""
    value = request.get(DEVICE)
    if value:
        ctx: AdminContext = request.app[CTX]
        response.set_cookie(COOKIE, value, path=cookie_path(request), httponly=True, samesite="Strict",
                            secure=ctx.secure_cookies, max_age=DEVICE_DAYS * 86_400)
