"""Rendering pages: the shared template context, short status messages, security headers, error pages."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from admin import csrf, devices
from admin.auth import set_cookie
from admin.keys import ADMIN, SESSION

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

# Messages shown after a redirect, chosen by code so no user text is ever reflected from the URL.
NOTICES = {
    "disimpan": "Perubahan disimpan.",
    "kontak": "Kontak OPD disimpan. Bot memakainya dalam beberapa detik.",
    "dibuat": "FAQ baru disimpan. Bot memakainya dalam beberapa detik.",
    "diarsipkan": "FAQ diarsipkan. Bot tidak lagi memakainya.",
    "dipulihkan": "Versi lama dipulihkan sebagai versi baru.",
    "diaktifkan": "FAQ diaktifkan kembali.",
    "status": "Status pengaduan diubah. Pelapor akan menerima pemberitahuan.",
    "catatan": "Catatan internal disimpan (tidak dikirim ke pelapor).",
    "pesan": "Pesan dikirim ke pelapor; status pengaduan tidak berubah.",
    "dibuka": "Pengaduan dibuka kembali (Sedang diproses). Pelapor akan menerima pemberitahuan.",
    "dialihkan": "Pengaduan dialihkan ke OPD lain.",
    "kategori": "Kategori pengaduan diubah (tidak diberitahukan ke pelapor).",
    "diabaikan": "Kelompok pertanyaan diabaikan.",
    "sandi": "Kata sandi Anda sudah diganti.",
    "wajib-ganti": ("Kata sandi Anda dibuat oleh orang lain (saat pemasangan atau oleh Kominfo). Ganti dengan "
                    "kata sandi pilihan Anda sendiri sebelum memakai halaman admin."),
    "pengguna": "Akun dinonaktifkan atau diaktifkan kembali.",
    "target": "Target disimpan.",
    "impor": "File FAQ diimpor.",
}

ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Cara akses tidak diizinkan",
    413: "File terlalu besar",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def render(request: web.Request, template: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    """Render a template with the signed-in admin, the CSRF token and the notice from the URL."""
    full = {
        "admin": request.get(ADMIN),
        "csrf_token": csrf.token(request) if SESSION in request else "",
        "notice": NOTICES.get(request.query.get("pesan", "")),
        "path": request.path,
        **context,
    }
    return aiohttp_jinja2.render_template(template, request, full, status=status)


def _error_page(request: web.Request, status: int, text: str | None) -> web.Response:
    title = "Halaman kedaluwarsa" if text == csrf.EXPIRED else ERROR_TITLES.get(status, "Terjadi kesalahan")
    message = text if text and not text.startswith(f"{status}:") else None
    try:
        return render(request, "error.html", {"title": title, "message": message, "status": status}, status=status)
    except Exception:  # the error page itself must never fail
        log.exception("cannot render the error page")
        return web.Response(status=status, text=title)


def headers_middleware() -> Callable[..., Awaitable[web.StreamResponse]]:
    """Add security headers and the session cookie to every response; render error pages."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status >= 400:
                response = _error_page(request, exc.status, exc.text)
            else:
                response = web.Response(status=exc.status, headers={k: v for k, v in exc.headers.items()
                                                                     if k.lower() == "location"})
        except Exception:
            log.exception("admin page failed: %s %s", request.method, request.path)
            response = _error_page(request, 500, "Maaf, terjadi kesalahan di server. Silakan coba lagi.")
        set_cookie(request, response)
        devices.write(request, response)
        if request.match_info.route.name == "static" and response.status == 200:
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return middleware


def redirect(request: web.Request, route: str, *, notice: str | None = None,
             query: dict[str, str] | None = None, **parts: str) -> web.HTTPSeeOther:
    """Return a 303 redirect to a named route (Post/Redirect/Get), optionally with a notice code."""
    url = request.app.router[route].url_for(**parts)
    q = dict(query or {})
    if notice:
        q["pesan"] = notice
    return web.HTTPSeeOther(url.with_query(q) if q else url)
