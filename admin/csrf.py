"""CSRF protection: a synchronizer token tied to the session, checked on every state-changing request.

The token is HMAC(secret, session id), so it needs no storage and changes when the session does
(for example at login). Forms carry it in the hidden field `csrf_token`; scripts may send the
`X-CSRF-Token` header instead. A missing or wrong token gets 403.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from admin.auth import Session, derive_key
from admin.keys import CTX, SESSION

log = logging.getLogger(__name__)

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def token(request: web.Request) -> str:
    """Return the CSRF token for the current session."""
    s: Session = request[SESSION]
    key = derive_key(request.app[CTX].secret_key, "csrf")
    return hmac.new(key, s.sid.encode(), hashlib.sha256).hexdigest()


# Said when a form's token does not match: most often a tab left open while the admin signed in again.
EXPIRED = ("Halaman ini sudah kedaluwarsa (misalnya karena Anda masuk lagi di tab lain), jadi isiannya tidak "
           "disimpan demi keamanan. Kembali ke halaman sebelumnya, salin isian Anda, muat ulang halaman, lalu "
           "kirim lagi.")


def csrf_middleware() -> Callable[..., Awaitable[web.StreamResponse]]:
    """Refuse state-changing requests without the session's CSRF token."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(HEADER, "")
            if not sent and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                value = (await request.post()).get(FIELD, "")
                sent = value if isinstance(value, str) else ""
            if not sent or not hmac.compare_digest(sent, token(request)):
                log.warning("refused %s %s: missing or wrong CSRF token", request.method, request.path)
                raise web.HTTPForbidden(text=EXPIRED)
        return await handler(request)

    return middleware
