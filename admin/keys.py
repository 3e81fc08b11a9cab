"""Typed keys for the admin sub-app and its requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from admin.auth import Admin, Session
    from admin.context import AdminContext

CTX: web.AppKey[AdminContext] = web.AppKey("admin_ctx")
STATE: web.AppKey[dict[str, Any]] = web.AppKey("admin_state", dict)  # per-app caches, e.g. the normaliser
SESSION: web.RequestKey[Session] = web.RequestKey("tk_admin_session")
ADMIN: web.RequestKey[Admin | None] = web.RequestKey("tk_admin_user")
DEVICE: web.RequestKey[str] = web.RequestKey("tk_admin_device")  # a known-browser cookie to set (admin.devices)
